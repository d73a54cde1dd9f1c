"""Paying an order through a provider, and the provider's confirmation (exactly once).

The webhook handler locks the payment row, then the order row, and only a payment still
``pending`` moves anything: a replayed or duplicated webhook finds it ``succeeded`` and returns.

Payment providers: the interface the order services use, and the built-in sandbox. The sandbox
behaves like a real provider from the outside: it hands out a provider payment id, and confirms
later through a webhook whose JSON body is signed with HMAC-SHA256
(``X-Sandbox-Signature: t=<unix time>,v1=<hex>``, over ``"<t>.<body>"``). The webhook handler
verifies the signature and the timestamp's freshness before anything else; what happens next
(paying the order once) is the service's job.
"""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import User
from community.services.insights.events import track
from groupbuy.exceptions import (
    OrderStateError,
    PaymentAmountMismatchError,
    ShopNotFoundError,
    WebhookRejected,
    WebhookRejectedError,
)
from groupbuy.models import Order, OrderStatus, Payment, PaymentStatus
from groupbuy.services.commission import commission_record
from groupbuy.services.orders import order_kind, order_move, send_on_commit
from groupbuy.signals import order_paid

# --- payment providers --------------------------------------------------------------------------

SIGNATURE_HEADER = "X-Sandbox-Signature"


@dataclass(frozen=True)
class ProviderPayment:
    provider: str
    provider_payment_id: str
    status: str  # "pending" until the webhook confirms


@dataclass(frozen=True)
class WebhookEvent:
    provider_payment_id: str
    event: str  # "payment.succeeded" | "payment.failed" | "refund.succeeded"
    amount: Decimal
    reference: str  # our payment id, echoed back


class PaymentProvider(Protocol):
    name: str

    def create_payment(
        self, *, reference: str, amount: Decimal, description: str
    ) -> ProviderPayment: ...

    def parse_webhook(self, *, body: bytes, headers) -> WebhookEvent: ...

    def refund(self, *, provider_payment_id: str, amount: Decimal, idempotency_key: str) -> str:
        """Send money back; the same key always names the same refund (retries are safe)."""
        ...


class SandboxProvider:
    name = "sandbox"

    def __init__(self, secret: str | None = None, tolerance_seconds: int = 300) -> None:
        self.secret = (secret or settings.PAYMENT_SANDBOX_SECRET).encode()
        self.tolerance = tolerance_seconds

    def create_payment(
        self, *, reference: str, amount: Decimal, description: str
    ) -> ProviderPayment:
        return ProviderPayment(self.name, f"sbx_{secrets.token_hex(12)}", "pending")

    def refund(self, *, provider_payment_id: str, amount: Decimal, idempotency_key: str) -> str:
        if amount < 0:
            raise ValueError("a refund cannot be negative")
        return (
            "sbx_rf_"
            + self._sign("refund", f"{provider_payment_id}:{idempotency_key}".encode())[:24]
        )

    # -- the provider's side: what its servers would send ----------------------------------------

    def webhook_for(
        self,
        *,
        provider_payment_id: str,
        reference: str,
        amount: Decimal,
        event: str = "payment.succeeded",
        at: int | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The signed body and headers the sandbox posts to our webhook."""
        body = json.dumps(
            {
                "id": provider_payment_id,
                "event": event,
                "amount": str(amount),
                "reference": reference,
            },
            separators=(",", ":"),
        ).encode()
        timestamp = str(at if at is not None else int(time.time()))
        return body, {SIGNATURE_HEADER: f"t={timestamp},v1={self._sign(timestamp, body)}"}

    # -- our side -------------------------------------------------------------------------------

    def parse_webhook(self, *, body: bytes, headers) -> WebhookEvent:
        header = headers.get(SIGNATURE_HEADER, "")
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        timestamp, signature = parts.get("t", ""), parts.get("v1", "")
        if not timestamp.isdigit() or not hmac.compare_digest(
            self._sign(timestamp, body), signature
        ):
            raise WebhookRejected("bad signature")
        if abs(time.time() - int(timestamp)) > self.tolerance:
            raise WebhookRejected("stale signature")
        try:
            payload = json.loads(body)
            return WebhookEvent(
                provider_payment_id=str(payload["id"]),
                event=str(payload["event"]),
                amount=Decimal(str(payload["amount"])),
                reference=str(payload["reference"]),
            )
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise WebhookRejected("malformed body") from exc

    def _sign(self, timestamp: str, body: bytes) -> str:
        return hmac.new(self.secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def provider(name: str = "sandbox") -> PaymentProvider:
    if name != "sandbox":
        raise LookupError(f"no payment provider {name!r}")
    return SandboxProvider()


# --- paying an order -----------------------------------------------------------------------------


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
            paid = {"order_id": order.pk, "amount": str(order.total), "kind": order.kind}
            track("order_paid", user_id=order.buyer_id, properties=paid)
            if order.user_coupon_id:
                # Redeemed means used on a paid order: a coupon on a cancelled order came back.
                track(
                    "coupon_redeem",
                    user_id=order.buyer_id,
                    properties={**paid, "user_coupon_id": order.user_coupon_id},
                )
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
