"""The same webhook delivered 5 times at once pays the order once (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db.models import F

from groupbuy.models import Order, OrderEvent, OrderStatus, Payment, Product
from groupbuy.services import order_create, payment_create, payment_webhook_handle
from groupbuy.services.payments import SandboxProvider
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def _paid_webhook(payment: Payment):
    return SandboxProvider().webhook_for(
        provider_payment_id=payment.provider_payment_id,
        reference=f"order-{payment.order_id}",
        amount=payment.amount,
    )


def _order_and_payment():
    product = Product.objects.create(title="Tea", price=Decimal("19.90"), stock=5, status="active")
    buyer = UserFactory()
    order = order_create(buyer=buyer, items=[(product.pk, 1)])
    return order, payment_create(actor=buyer, order_id=order.pk)


def test_five_concurrent_deliveries_of_one_webhook_pay_once():
    order, payment = _order_and_payment()
    body, headers = _paid_webhook(payment)

    results = run_concurrently(
        lambda _: payment_webhook_handle(provider_name="sandbox", body=body, headers=headers), 5
    )

    assert all(isinstance(r, Payment) for r in results), results
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert Order.objects.get(pk=order.pk).status == "paid"
    payment.refresh_from_db()
    assert (payment.status, payment.needs_refund) == ("succeeded", False)


def test_naive_unlocked_handler_control_pays_several_times():
    order, payment = _order_and_payment()
    all_read = threading.Barrier(5)

    def naive_handle(_):
        current = Payment.objects.get(pk=payment.pk)
        all_read.wait(timeout=30)
        if current.status == "pending":
            Payment.objects.filter(pk=payment.pk).update(status="succeeded")
            Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID, total=F("total"))
            OrderEvent.objects.create(order=order, from_status="pending_payment", to_status="paid")

    run_concurrently(naive_handle, 5)

    assert OrderEvent.objects.filter(order=order, to_status="paid").count() > 1  # the bug
