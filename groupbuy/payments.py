"""Payment providers: the interface the order services use, and the built-in sandbox.

The sandbox behaves like a real provider from the outside: it hands out a provider payment id,
and confirms later through a webhook whose JSON body is signed with HMAC-SHA256
(``X-Sandbox-Signature: t=<unix time>,v1=<hex>``, over ``"<t>.<body>"``). The webhook handler
verifies the signature and the timestamp's freshness before anything else; what happens next
(paying the order once) is the order service's job.
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

SIGNATURE_HEADER = "X-Sandbox-Signature"


class WebhookRejected(ValueError):
    """The webhook is not from our provider (bad or stale signature, malformed body)."""


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
