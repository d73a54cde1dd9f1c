"""Refunds give back stock, coupon and points, take back what completion paid, reverse
commission, and happen exactly once (PRODUCT.md §7)."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.models import GrowthEntry, Notification, PointsEntry, User
from community.services import points_award, role_grant
from groupbuy.models import (
    CommissionEntry,
    Coupon,
    CreatorCode,
    Order,
    Payment,
    Product,
    Refund,
    UserCoupon,
)
from groupbuy.services import (
    coupon_claim,
    order_cancel,
    order_complete,
    order_create,
    order_refund_request,
    payment_create,
    payment_webhook_handle,
    refund_process,
    refunds_sweep,
)
from groupbuy.services.payments import SandboxProvider
from groupbuy.signals import order_refunded
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer(db):
    person = UserFactory(username="buyer")
    points_award(user_id=person.pk, amount=5000, reason="task", idempotency_key="seed")
    return person


@pytest.fixture
def staff(db):
    return staff_member()


def _balance(user) -> int:
    return User.objects.get(pk=user.pk).points_balance


def test_refunding_a_paid_order_gives_back_stock_coupon_and_points_once(
    buyer, django_capture_on_commit_callbacks
):
    tea = product(price="99.00", stock=10)
    coupon = Coupon.objects.create(title="¥10 off", kind="amount", value=D("10"))
    wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)
    order = paid_order(buyer, [(tea.pk, 2)], user_coupon_id=wallet.pk, points=1000)
    assert (Product.objects.get(pk=tea.pk).stock, _balance(buyer)) == (8, 4000)
    heard = []
    order_refunded.connect(lambda sender, **kw: heard.append(kw["amount"]), weak=False)
    client = client_for(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/v1/orders/{order.pk}/refund/", {"reason": "changed my mind"})
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"/api/v1/orders/{order.pk}/refund/")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == "refunding"  # the task runs once this commits
    assert second.json()["status"] == "refunded"
    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.reason) == (
        D("178.00"),
        "succeeded",
        "changed my mind",
    )
    assert refund.provider_refund_id.startswith("sbx_rf_")
    assert Product.objects.get(pk=tea.pk).stock == 10
    assert UserCoupon.objects.get(pk=wallet.pk).used_at is None
    assert _balance(buyer) == 5000
    assert second.json()["refunds"][0]["amount"] == "178.00"
    assert Notification.objects.filter(user=buyer, type="refund").count() == 1
    assert heard == [D("178.00")]
    order_refunded.receivers.clear()


def test_a_refund_after_completion_takes_back_points_growth_and_commission(
    buyer, staff, django_capture_on_commit_callbacks
):
    creator = UserFactory(username="lily")
    role_grant(actor=None, user=creator, role="creator")
    CreatorCode.objects.create(creator=creator, code="LILY", discount_percent=5)
    order = delivered_order(buyer, [(product(price="200.00").pk, 1)], staff, creator_code="LILY")
    order_complete(order_id=order.pk)
    assert _balance(buyer) == 5000 + 190
    assert CommissionEntry.objects.get(order=order).status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        order_refund_request(actor=staff, order_id=order.pk, reason="damaged", by_staff=True)

    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert _balance(buyer) == 5000
    clawback = PointsEntry.objects.get(user=buyer, reason="refund_clawback")
    assert clawback.delta == -190
    growth = GrowthEntry.objects.filter(user=buyer, source="purchase").order_by("id")
    assert [g.amount for g in growth] == [190, -190]
    entry = CommissionEntry.objects.get(order=order)
    assert (entry.status, entry.reversed_at is not None) == ("reversed", True)


@pytest.mark.parametrize("state", ["shipped", "completed"])
def test_a_buyer_cannot_refund_a_shipped_order_directly(buyer, staff, state):
    order = delivered_order(buyer, [(product().pk, 1)], staff)
    Order.objects.filter(pk=order.pk).update(status=state)

    response = client_for(buyer).post(f"/api/v1/orders/{order.pk}/refund/")

    assert (response.status_code, response.json()["code"]) == (409, "refund_not_allowed")
    assert "after-sales" in response.json()["detail"]
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=order.pk).status == state


def test_unpaid_and_cancelled_orders_cannot_be_refunded_and_others_orders_are_invisible(buyer):
    tea = product()
    unpaid = order_create(buyer=buyer, items=[(tea.pk, 1)])
    cancelled = order_create(buyer=buyer, items=[(tea.pk, 1)])
    order_cancel(order_id=cancelled.pk, reason="test")
    paid = paid_order(buyer, [(tea.pk, 1)])

    responses = [
        client_for(buyer).post(f"/api/v1/orders/{unpaid.pk}/refund/"),
        client_for(buyer).post(f"/api/v1/orders/{cancelled.pk}/refund/"),
        client_for(UserFactory()).post(f"/api/v1/orders/{paid.pk}/refund/"),
        client_for(None).post(f"/api/v1/orders/{paid.pk}/refund/"),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (409, "refund_not_allowed"),
        (409, "refund_not_allowed"),
        (404, "not_found"),
        (401, "not_authenticated"),
    ]
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=paid.pk).status == "paid"


def test_a_provider_failure_mid_refund_leaves_nothing_half_done_and_the_sweeper_finishes(
    buyer, django_capture_on_commit_callbacks
):
    tea = product(stock=5)
    order = paid_order(buyer, [(tea.pk, 1)], points=500)
    provider_down = mock.patch.object(
        SandboxProvider, "refund", side_effect=ConnectionError("provider down")
    )
    with (
        provider_down,
        pytest.raises(ConnectionError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        order_refund_request(actor=buyer, order_id=order.pk)  # the eager task raises

    # The request committed; the processing rolled back entirely.
    refund = Refund.objects.get()
    assert refund.status == "pending"
    assert Order.objects.get(pk=order.pk).status == "refunding"
    assert Product.objects.get(pk=tea.pk).stock == 4
    assert _balance(buyer) == 4500

    assert refunds_sweep(now=refund.created_at) == 0  # within the grace period: the task's turn
    assert refunds_sweep(now=refund.created_at + timedelta(minutes=2)) == 1
    assert refunds_sweep(now=refund.created_at + timedelta(minutes=3)) == 0
    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert Product.objects.get(pk=tea.pk).stock == 5
    assert _balance(buyer) == 5000


def test_processing_the_same_refund_twice_restores_once(buyer):
    tea = product(stock=5)
    order = paid_order(buyer, [(tea.pk, 1)])
    with mock.patch("groupbuy.services.refunds.enqueue_on_commit"):
        order_refund_request(actor=buyer, order_id=order.pk)
    refund = Refund.objects.get()

    assert refund_process(refund_id=refund.pk) is not None
    assert refund_process(refund_id=refund.pk) is None

    assert Product.objects.get(pk=tea.pk).stock == 5


def test_a_payment_confirmed_after_cancellation_is_refunded_by_the_sweeper_alone(buyer):
    tea = product(stock=5)
    order = order_create(buyer=buyer, items=[(tea.pk, 1)])
    payment = payment_create(actor=buyer, order_id=order.pk)
    order_cancel(order_id=order.pk, reason="payment_timeout")
    body, headers = SandboxProvider().webhook_for(
        provider_payment_id=payment.provider_payment_id,
        reference=f"order-{order.pk}",
        amount=payment.amount,
    )
    payment_webhook_handle(provider_name="sandbox", body=body, headers=headers)
    assert Payment.objects.get(pk=payment.pk).needs_refund

    assert refunds_sweep() == 1
    assert refunds_sweep() == 0

    refund = Refund.objects.get(payment=payment)
    assert (refund.status, refund.restores_order, refund.amount) == ("succeeded", False, D("99.00"))
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert Product.objects.get(pk=tea.pk).stock == 5  # released once, by the cancellation


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    prices=st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=3),
    quantity=st.integers(min_value=1, max_value=3),
    coupon_off=st.integers(min_value=0, max_value=3000),
    points_share=st.floats(min_value=0, max_value=1),
)
def test_refunds_never_exceed_what_was_paid_and_restore_the_balance(
    buyer, django_capture_on_commit_callbacks, prices, quantity, coupon_off, points_share
):
    products = [
        Product.objects.create(
            title=f"p{cents}", price=D(cents) / 100, stock=quantity, status="active"
        )
        for cents in prices
    ]
    wallet = None
    if coupon_off:
        coupon = Coupon.objects.create(title="off", kind="amount", value=D(coupon_off) / 100)
        wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)
    before = _balance(buyer)
    items = [(p.pk, quantity) for p in products]
    from groupbuy.services.orders import order_quote

    _, max_points = order_quote(buyer=buyer, items=items, user_coupon_id=wallet and wallet.pk)
    points = int(max_points * points_share)
    order = paid_order(buyer, items, user_coupon_id=wallet and wallet.pk, points=points)

    with django_capture_on_commit_callbacks(execute=True):
        order_refund_request(actor=buyer, order_id=order.pk)

    refund = Refund.objects.get(order=order)
    assert refund.status == "succeeded"
    paid = Payment.objects.get(order=order, status="succeeded").amount
    assert D("0") <= refund.amount <= paid
    assert refund.amount == order.total
    assert _balance(buyer) == before
    assert all(p.stock == quantity for p in Product.objects.filter(pk__in=[p.pk for p in products]))
    Product.objects.filter(pk__in=[p.pk for p in products]).update(stock=F("stock"))
