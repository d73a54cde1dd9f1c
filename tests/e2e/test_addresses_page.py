"""收货地址 on a phone: a member adds addresses, a bad number is explained, the default moves."""

import re

import pytest
from playwright.sync_api import expect

from groupbuy.models import Address
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_chat_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _book(username: str) -> list[tuple[str, str, bool]]:
    return [
        (a.name, a.phone, a.is_default)
        for a in Address.objects.filter(user__username=username).order_by("pk")
    ]


def fill(page, name, phone, region, detail, default=False):
    form = page.get_by_test_id("address-form")
    form.get_by_test_id("address-name").fill(name)
    form.get_by_test_id("address-phone").fill(phone)
    form.get_by_test_id("address-region").fill(region)
    form.get_by_test_id("address-detail").fill(detail)
    if default:
        form.get_by_test_id("address-default").check()
    form.get_by_test_id("save-address").click()


def test_a_member_builds_an_address_book(page):
    outside_event_loop(UserFactory, username="mei")
    log_in(page, "mei")
    page.goto("/me/")
    page.get_by_test_id("addresses-link").click()
    expect(page.get_by_role("heading", name="收货地址")).to_be_visible()

    page.get_by_test_id("new-address").click()
    fill(page, "王小美", "12345", "浙江省 杭州市 西湖区", "文三路 90 号")
    expect(page.get_by_test_id("address-error")).to_have_text("请填写有效的 11 位手机号")
    assert outside_event_loop(_book, "mei") == []

    page.get_by_test_id("address-phone").fill("138 0013 8000")
    page.get_by_test_id("save-address").click()
    rows = page.get_by_test_id("address")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("default-tag")).to_be_visible()

    page.get_by_test_id("new-address").click()
    fill(page, "公司前台", "+86 139-0000-0000", "上海市 浦东新区", "世纪大道 100 号", default=True)
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("公司前台")
    expect(rows.first.get_by_test_id("default-tag")).to_be_visible()
    page.screenshot(path="/tmp/addresses.png", full_page=True)

    assert outside_event_loop(_book, "mei") == [
        ("王小美", "13800138000", False),
        ("公司前台", "13900000000", True),
    ]
    rows.nth(1).get_by_test_id("make-default").click()
    expect(rows.first).to_contain_text("王小美")
    page.once("dialog", lambda dialog: dialog.accept())
    rows.nth(1).get_by_test_id("delete-address").click()
    expect(rows).to_have_count(1)
    assert outside_event_loop(_book, "mei") == [("王小美", "13800138000", True)]


def _product_and_member():
    from decimal import Decimal

    from community.services import role_grant
    from groupbuy import services as shop
    from groupbuy.models import ProductStatus

    staff = UserFactory(username="staffer")
    role_grant(actor=None, user=staff, role="staff")
    UserFactory(username="mei")
    return shop.product_create(
        actor=staff, title="龙井茶", price=Decimal("58.00"), stock=5, status=ProductStatus.ACTIVE
    )


def _shipping_of_meis_order():
    from groupbuy.models import Order

    order = Order.objects.get(buyer__username="mei")
    return (order.ship_name, order.ship_phone, order.ship_detail)


def test_checkout_ships_to_the_address_picked_from_the_book(page):
    product = outside_event_loop(_product_and_member)
    log_in(page, "mei")
    page.goto("/me/addresses/")
    page.get_by_test_id("new-address").click()
    fill(page, "王小美", "13800138000", "浙江省 杭州市 西湖区", "文三路 90 号")
    page.get_by_test_id("new-address").click()
    fill(page, "公司前台", "13900000000", "上海市 浦东新区", "世纪大道 100 号")
    expect(page.get_by_test_id("address")).to_have_count(2)

    page.goto(f"/products/{product.pk}/")
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("add-to-cart")).to_have_text("Added ✓")
    page.goto("/cart/")
    # The default address comes first; picking the other one from the book brings it back here.
    expect(page.get_by_test_id("ship-text")).to_contain_text("王小美")
    page.get_by_test_id("ship-to").click()
    page.get_by_test_id("address").filter(has_text="公司前台").get_by_role(
        "button", name="选择这个地址"
    ).click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_test_id("ship-text")).to_contain_text("公司前台")
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/"))

    assert outside_event_loop(_shipping_of_meis_order) == (
        "公司前台",
        "13900000000",
        "世纪大道 100 号",
    )
