"""Paying an order through a provider, and the provider's confirmation (exactly once).

The webhook handler locks the payment row, then the order row, and only a payment still
``pending`` moves anything: a replayed or duplicated webhook finds it ``succeeded`` and returns.
"""

from django.db import transaction
from django.utils import timezone

from community.models import User
from groupbuy.exceptions import (
    OrderStateError,
    PaymentAmountMismatchError,
    ShopNotFoundError,
    WebhookRejectedError,
)
from groupbuy.models import Order, OrderStatus, Payment, PaymentStatus
from groupbuy.order_kinds import order_kind
from groupbuy.payments import SandboxProvider, WebhookRejected, provider
from groupbuy.services.commission import commission_record
from groupbuy.services.transitions import order_move, send_on_commit
from groupbuy.signals import order_paid


def payment_create(*, actor: User, order_id: int, provider_name: str = "sandbox") -> Payment:
    """Start paying an unpaid order; a pending payment of the order is reused."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id, buyer=actor).first()
        if order is None:
            raise ShopNotFoundError()
        if order.status != OrderStatus.PENDING_PAYMENT or order.expires_at <= timezone.now():
            raise OrderStateError("This order can no longer be paid.")
        pending = order.payments.filter(
            status=PaymentStatus.PENDING, provider=provider_name
        ).first()
        if pending is not None:
            return pending
        started = provider(provider_name).create_payment(
            reference=f"order-{order.pk}",
            amount=order.total,
            description=f"Tuanju order {order.pk}",
        )
        return Payment.objects.create(
            order=order,
            provider=started.provider,
            provider_payment_id=started.provider_payment_id,
            amount=order.total,
        )


def payment_webhook_handle(*, provider_name: str, body: bytes, headers) -> Payment:
    """Apply a provider's signed confirmation; replays and concurrent duplicates change nothing."""
    try:
        event = provider(provider_name).parse_webhook(body=body, headers=headers)
    except (WebhookRejected, LookupError) as exc:
        raise WebhookRejectedError() from exc
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(provider=provider_name, provider_payment_id=event.provider_payment_id)
            .first()
        )
        if payment is None:
            raise ShopNotFoundError("Unknown payment.")
        if payment.status != PaymentStatus.PENDING:
            return payment  # already applied: a replay
        if event.event != "payment.succeeded":
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status"])
            return payment
        if event.amount != payment.amount:
            raise PaymentAmountMismatchError()
        now = timezone.now()
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment.status = PaymentStatus.SUCCEEDED
        payment.confirmed_at = now
        if order.status == OrderStatus.PENDING_PAYMENT:
            order_move(order, OrderStatus.PAID, note=provider_name, paid_at=now)
            hooks = order_kind(order.kind)
            if hooks is not None and hooks.on_paid is not None:
                hooks.on_paid(order)
            commission_record(order=order)
            send_on_commit(
                order_paid,
                order_id=order.pk,
                buyer_id=order.buyer_id,
                total=order.total,
                share_code=order.share_code,
            )
        else:
            payment.needs_refund = True  # paid after the order was cancelled or paid twice
        payment.save(update_fields=["status", "confirmed_at", "needs_refund"])
        return payment


def sandbox_payment_complete(*, actor: User, payment_id: int) -> Payment:
    """Demo and tests: make the sandbox send its signed confirmation for the buyer's payment."""
    payment = Payment.objects.filter(pk=payment_id, order__buyer=actor, provider="sandbox").first()
    if payment is None:
        raise ShopNotFoundError()
    body, headers = SandboxProvider().webhook_for(
        provider_payment_id=payment.provider_payment_id,
        reference=f"order-{payment.order_id}",
        amount=payment.amount,
    )
    return payment_webhook_handle(provider_name="sandbox", body=body, headers=headers)
