from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from groupbuy.models import Order, OrderEvent, Payment, Product
from groupbuy.services.payments import SIGNATURE_HEADER, SandboxProvider
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return UserFactory()


@pytest.fixture
def order_id(buyer):
    tea = Product.objects.create(title="Tea", price=Decimal("19.90"), stock=5, status="active")
    return (
        client_for(buyer)
        .post("/api/v1/orders/", {"items": [{"product": tea.pk, "quantity": 1}]}, format="json")
        .json()["id"]
    )


def _webhook(client, payment: Payment, **overrides):
    body, headers = SandboxProvider().webhook_for(
        provider_payment_id=payment.provider_payment_id,
        reference=f"order-{payment.order_id}",
        amount=overrides.pop("amount", payment.amount),
        **overrides,
    )
    return client.post(
        "/api/v1/payments/webhooks/sandbox/",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: headers[SIGNATURE_HEADER]},
    )


def test_pay_then_sandbox_confirms_and_the_order_is_paid(buyer, order_id):
    client = client_for(buyer)

    started = client.post(f"/api/v1/orders/{order_id}/pay/")
    again = client.post(f"/api/v1/orders/{order_id}/pay/")
    completed = client.post(f"/api/v1/payments/sandbox/{started.json()['payment_id']}/complete/")

    assert started.status_code == 201
    assert (started.json()["provider"], started.json()["status"], started.json()["amount"]) == (
        "sandbox",
        "pending",
        "19.90",
    )
    assert again.json()["payment_id"] == started.json()["payment_id"]  # one pending payment
    assert (completed.json()["status"], completed.json()["order_status"]) == ("succeeded", "paid")
    order = client.get(f"/api/v1/orders/{order_id}/").json()
    assert order["status"] == "paid" and order["paid_at"]
    assert [e["to_status"] for e in order["events"]] == ["pending_payment", "paid"]


def test_replayed_webhook_changes_nothing(buyer, order_id, client):
    client_for(buyer).post(f"/api/v1/orders/{order_id}/pay/")
    payment = Payment.objects.get()

    responses = [_webhook(client, payment) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert OrderEvent.objects.filter(order_id=order_id, to_status="paid").count() == 1


@pytest.mark.parametrize("tamper", ["signature", "amount", "stale"])
def test_bad_webhooks_are_refused_and_change_nothing(buyer, order_id, client, tamper):
    client_for(buyer).post(f"/api/v1/orders/{order_id}/pay/")
    payment = Payment.objects.get()
    if tamper == "signature":
        response = client.post(
            "/api/v1/payments/webhooks/sandbox/",
            b'{"id": "x"}',
            content_type="application/json",
            headers={SIGNATURE_HEADER: "t=1,v1=00"},
        )
        expected = "bad_signature"
    elif tamper == "amount":
        response = _webhook(client, payment, amount=Decimal("0.01"))
        expected = "amount_mismatch"
    else:
        response = _webhook(client, payment, at=int(timezone.now().timestamp()) - 3600)
        expected = "bad_signature"

    assert (response.status_code, response.json()["code"]) == (400, expected)
    assert Order.objects.get(pk=order_id).status == "pending_payment"
    assert Payment.objects.get().status == "pending"


def test_nobody_else_can_pay_or_complete_my_order(buyer, order_id):
    stranger = client_for(UserFactory())
    client_for(buyer).post(f"/api/v1/orders/{order_id}/pay/")
    payment = Payment.objects.get()

    assert stranger.post(f"/api/v1/orders/{order_id}/pay/").status_code == 404
    assert stranger.post(f"/api/v1/payments/sandbox/{payment.pk}/complete/").status_code == 404
    assert client_for(None).post(f"/api/v1/orders/{order_id}/pay/").status_code == 401
    assert Order.objects.get(pk=order_id).status == "pending_payment"


def test_expired_or_cancelled_orders_cannot_be_paid(buyer, order_id):
    client = client_for(buyer)
    Order.objects.filter(pk=order_id).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(f"/api/v1/orders/{order_id}/pay/")

    assert (response.status_code, response.json()["code"]) == (409, "order_state_conflict")
    assert not Payment.objects.exists()


def test_confirmation_after_cancellation_is_flagged_for_refund(buyer, order_id, client):
    client_for(buyer).post(f"/api/v1/orders/{order_id}/pay/")
    payment = Payment.objects.get()
    client_for(buyer).post(f"/api/v1/orders/{order_id}/cancel/")

    _webhook(client, payment)

    payment.refresh_from_db()
    assert (payment.status, payment.needs_refund) == ("succeeded", True)
    assert Order.objects.get(pk=order_id).status == "cancelled"
