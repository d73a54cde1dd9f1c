"""Mei waits on a flash sale's page: the countdown runs to the start, the page turns live, the
stock falls as somebody else buys, she buys one and lands on her unpaid order."""

import json
import re
import urllib.request
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.services import role_grant
from groupbuy.models import FlashSaleReminder, Order
from groupbuy.services import flash_sale_create, product_create
from tests.factories import PASSWORD, UserFactory, token_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def rest_buy(live_url: str, token: str, sale_id: int) -> dict:
    request = urllib.request.Request(
        f"{live_url}/api/v1/flash-sales/{sale_id}/orders/",
        data=json.dumps({"quantity": 1}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


def crab_sale(*, starts_in_seconds: int, stock: int):
    staff = UserFactory(username="warehouse")
    role_grant(actor=None, user=staff, role="staff")
    crab = product_create(actor=staff, title="Hairy crab", price=Decimal("99.00"), stock=50)
    starts_at = timezone.now() + timedelta(seconds=starts_in_seconds)
    return flash_sale_create(
        actor=staff,
        product_id=crab.pk,
        price=Decimal("49.00"),
        stock=stock,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        per_user_limit=2,
    )


def test_countdown_to_live_then_stock_falls_live_and_mei_buys(page, live_url):
    sale = crab_sale(starts_in_seconds=8, stock=5)
    UserFactory(username="mei")
    rival_token = token_for(UserFactory(username="rival"))

    log_in(page, "mei")
    page.goto(f"/flash-sales/{sale.pk}/")
    expect(page.get_by_test_id("status")).to_have_text("Starts soon")
    expect(page.get_by_test_id("countdown")).to_have_text(re.compile(r"^Starts in 00:0\d$"))
    expect(page.get_by_test_id("buy")).to_be_disabled()
    page.get_by_test_id("reminder").click()
    expect(page.get_by_test_id("reminder")).to_have_text("Reminder set ✓")

    expect(page.get_by_test_id("status")).to_have_text("Live", timeout=20_000)
    expect(page.get_by_test_id("countdown")).to_have_text(re.compile(r"^Ends in (0:)?\d\d:\d\d"))
    expect(page.get_by_test_id("buy")).to_be_enabled()

    rest_buy(live_url, rival_token, sale.pk)
    rest_buy(live_url, rival_token, sale.pk)
    # Nobody reloads: the number comes from a groupbuy.flash_sale.stock_changed push.
    expect(page.get_by_test_id("stock-remaining")).to_have_text("3")

    page.get_by_test_id("buy").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    expect(page.get_by_test_id("order-status")).to_have_text("Waiting for payment")
    expect(page.get_by_test_id("order-total")).to_have_text("¥49.00")
    order = Order.objects.get(buyer__username="mei")
    assert order.kind == "flash_sale"
    assert FlashSaleReminder.objects.filter(sale=sale, user__username="mei").exists()

    page.goto(f"/flash-sales/{sale.pk}/")
    expect(page.get_by_test_id("stock-remaining")).to_have_text("2")
    expect(page.get_by_test_id("held")).to_have_text("1")
    rest_buy(live_url, token_for(UserFactory(username="third")), sale.pk)
    rest_buy(live_url, token_for(UserFactory(username="fourth")), sale.pk)
    expect(page.get_by_test_id("stock-remaining")).to_have_text("0")
    expect(page.get_by_test_id("status")).to_have_text("Sold out")
    expect(page.get_by_test_id("buy")).to_be_disabled()


def test_the_list_page_turns_a_sale_live_and_shows_its_stock_falling_without_a_reload(
    page, live_url
):
    sale = crab_sale(starts_in_seconds=6, stock=4)
    UserFactory(username="mei")
    rival_token = token_for(UserFactory(username="rival"))

    log_in(page, "mei")
    page.goto("/flash-sales/")
    row = page.get_by_test_id("flash-row").filter(has_text="Hairy crab")
    expect(row.get_by_test_id("status")).to_have_text("Starts soon")
    expect(row.get_by_test_id("countdown")).to_have_text(re.compile(r"^Starts in 00:0\d$"))

    expect(row.get_by_test_id("status")).to_have_text("Live", timeout=20_000)
    expect(row.get_by_test_id("countdown")).to_have_text(re.compile(r"^Ends in (0:)?\d\d:\d\d"))
    rest_buy(live_url, rival_token, sale.pk)
    rest_buy(live_url, rival_token, sale.pk)
    expect(row.get_by_test_id("stock-remaining")).to_have_text("2")
