import time
from decimal import Decimal

import pytest

from groupbuy.exceptions import WebhookRejected
from groupbuy.services.payments import SIGNATURE_HEADER, SandboxProvider


@pytest.fixture
def sandbox():
    return SandboxProvider(secret="test-secret")


def test_signed_webhook_round_trips(sandbox):
    body, headers = sandbox.webhook_for(
        provider_payment_id="sbx_1", reference="pay_9", amount=Decimal("19.90")
    )

    event = sandbox.parse_webhook(body=body, headers=headers)

    assert (event.provider_payment_id, event.event, event.amount, event.reference) == (
        "sbx_1",
        "payment.succeeded",
        Decimal("19.90"),
        "pay_9",
    )


def test_tampered_body_is_rejected(sandbox):
    body, headers = sandbox.webhook_for(
        provider_payment_id="sbx_1", reference="pay_9", amount=Decimal("19.90")
    )

    with pytest.raises(WebhookRejected):
        sandbox.parse_webhook(body=body.replace(b"19.90", b"0.01"), headers=headers)


def test_signature_from_another_secret_is_rejected(sandbox):
    body, headers = SandboxProvider(secret="other").webhook_for(
        provider_payment_id="sbx_1", reference="pay_9", amount=Decimal("1.00")
    )

    with pytest.raises(WebhookRejected):
        sandbox.parse_webhook(body=body, headers=headers)


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=00", "garbage"])
def test_missing_or_malformed_signature_is_rejected(sandbox, header):
    body, _ = sandbox.webhook_for(
        provider_payment_id="sbx_1", reference="pay_9", amount=Decimal("1.00")
    )

    with pytest.raises(WebhookRejected):
        sandbox.parse_webhook(body=body, headers={SIGNATURE_HEADER: header})


def test_stale_webhook_is_rejected(sandbox):
    body, headers = sandbox.webhook_for(
        provider_payment_id="sbx_1",
        reference="pay_9",
        amount=Decimal("1.00"),
        at=int(time.time()) - 3600,
    )

    with pytest.raises(WebhookRejected):
        sandbox.parse_webhook(body=body, headers=headers)


def test_validly_signed_but_malformed_body_is_rejected(sandbox):
    timestamp = str(int(time.time()))
    body = b'{"id": "x"}'
    headers = {SIGNATURE_HEADER: f"t={timestamp},v1={sandbox._sign(timestamp, body)}"}

    with pytest.raises(WebhookRejected):
        sandbox.parse_webhook(body=body, headers=headers)
