"""Mei buys Lily's bean paste with a coupon, a creator code and points, pays in the sandbox, gets
it delivered and confirms; her points arrive and Lily sees the order in her dashboard."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from community.models import User
from community.services import points_award, role_grant
from groupbuy.models import Coupon, CreatorCode, Order
from groupbuy.services import coupon_claim, order_ship, product_create, shipment_track
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_buy_with_coupon_code_and_points_then_complete_and_the_creator_sees_it(
    page, browser, live_url
):
    staff = UserFactory(username="warehouse")
    role_grant(actor=None, user=staff, role="staff")
    lily = UserFactory(username="lily", display_name="Lily")
    role_grant(actor=None, user=lily, role="creator")
    CreatorCode.objects.create(creator=lily, code="LILY5", discount_percent=5)
    paste = product_create(
        actor=staff,
        title="Pixian bean paste",
        price=Decimal("100.00"),
        stock=10,
        commission_rate=Decimal("0.10"),
    )
    mei = UserFactory(username="mei")
    points_award(user_id=mei.pk, amount=2000, reason="task", idempotency_key="seed-mei")
    coupon = Coupon.objects.create(
        title="¥10 off ¥50", kind="amount", value=Decimal("10"), threshold=Decimal("50")
    )
    coupon_claim(actor=mei, coupon_id=coupon.pk)

    log_in(page, "mei")
    page.goto(f"/products/{paste.pk}/")
    page.get_by_test_id("buy-now").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_test_id("cart-line")).to_contain_text("Pixian bean paste")
    expect(page.get_by_test_id("best-coupon")).to_contain_text("saves ¥10.00")
    expect(page.get_by_test_id("total")).to_have_text("¥90.00")
    page.fill("input[name=creator_code]", "LILY5")
    page.get_by_test_id("points-input").fill("1000")
    # ¥100 - ¥10 coupon = ¥90; - 5 % creator code = ¥85.50; - 1000 points (¥10) = ¥75.50
    expect(page.get_by_test_id("total")).to_have_text("¥75.50")
    page.get_by_test_id("place-order").click()

    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    expect(page.get_by_test_id("order-status")).to_have_text("Waiting for payment")
    expect(page.get_by_test_id("order-total")).to_have_text("¥75.50")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Paid")

    order = Order.objects.get(buyer=mei)
    assert (order.total, order.points_used, order.attributed_creator_id) == (
        Decimal("75.50"),
        1000,
        lily.pk,
    )
    order_ship(actor=staff, order_id=order.pk, carrier="SF Express", tracking_number="SF0042")
    shipment_track(actor=staff, order_id=order.pk, status="delivered", location="Chengdu")

    page.reload()
    expect(page.get_by_test_id("tracking-number")).to_have_text("SF0042")
    page.get_by_test_id("confirm-receipt").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Completed")
    page.goto("/me/")
    # 2000 - 1000 spent + 75 for ¥75.50 paid (a Regular member's multiplier is 1.0)
    expect(page.get_by_test_id("points-balance")).to_have_text("1075")
    assert User.objects.get(pk=mei.pk).points_balance == 1075

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        creator_page = context.new_page()
        log_in(creator_page, "lily")
        creator_page.goto("/creator/dashboard/?days=7")
        expect(creator_page.get_by_test_id("orders")).to_have_text("1")
        expect(creator_page.get_by_test_id("gmv")).to_have_text("¥75.50")
        expect(creator_page.get_by_test_id("commission-pending")).to_have_text("¥7.55")
        expect(creator_page.get_by_test_id("ledger-row")).to_contain_text(str(order.pk))
        expect(creator_page.get_by_test_id("top-products")).to_contain_text("Pixian bean paste")
    finally:
        context.close()
