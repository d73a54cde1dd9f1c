"""A refund requested several times at once refunds once (PostgreSQL, real threads)."""

import threading
from decimal import Decimal

import pytest
from django.db.models import F

from community.models import PointsEntry, User
from community.services import points_award
from groupbuy.models import Order, OrderEvent, Product, Refund
from groupbuy.services import order_refund_request, refund_process
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.groupbuy.orderflow import paid_order

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def _paid_order_with_points():
    tea = Product.objects.create(title="Tea", price=Decimal("80.00"), stock=5, status="active")
    buyer = UserFactory()
    points_award(user_id=buyer.pk, amount=1000, reason="task", idempotency_key=f"seed{buyer.pk}")
    order = paid_order(buyer, [(tea.pk, 2)], points=1000)
    return tea, buyer, order


def test_six_simultaneous_refund_requests_and_processors_refund_once():
    tea, buyer, order = _paid_order_with_points()
    assert Product.objects.get(pk=tea.pk).stock == 3

    def request_or_process(index):
        if index < 6:
            return order_refund_request(actor=buyer, order_id=order.pk)
        refund = Refund.objects.filter(order=order).first()
        return refund_process(refund_id=refund.pk) if refund else None

    results = run_concurrently(request_or_process, 9)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Refund.objects.filter(order=order).count() == 1
    assert Refund.objects.get(order=order).status == "succeeded"
    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert Product.objects.get(pk=tea.pk).stock == 5
    assert User.objects.get(pk=buyer.pk).points_balance == 1000
    assert PointsEntry.objects.filter(user=buyer, delta__gt=0).count() == 2  # seed + one refund
    assert OrderEvent.objects.filter(order=order, to_status="refunded").count() == 1


def test_naive_check_then_refund_control_restores_stock_several_times():
    tea, _buyer, order = _paid_order_with_points()
    all_read = threading.Barrier(6)

    def naive_refund(_):
        current = Order.objects.get(pk=order.pk)
        all_read.wait(timeout=30)
        if current.status == "paid":
            Product.objects.filter(pk=tea.pk).update(stock=F("stock") + 2)
            Order.objects.filter(pk=order.pk).update(status="refunded")

    run_concurrently(naive_refund, 6)

    assert Product.objects.get(pk=tea.pk).stock > 5  # the bug: stock made out of thin air
