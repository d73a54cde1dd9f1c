"""Finding 1 of issue #17 (forged pushes): the relay is mounted only with the in-memory layer,
is signed with a key nobody else knows, and carries only the consumer's server-side handlers."""

import hashlib
import hmac
import json

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from config.urls import internal_urlpatterns
from realtime.relay import SIGNATURE_HEADER, sign
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

# The key every checkout used to share when SECRET_KEY was unset.
OLD_PUBLIC_KEY = "django-insecure-tuanju-embedded-mode-only"


def _post(body: bytes, signature: str):
    return Client().post(
        "/internal/realtime/relay",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )


def _injected_frame(user_id: int) -> bytes:
    # What the review did: a frame the member's own consumer runs as if their client sent it.
    return json.dumps(
        {
            "group": f"topic.user-{user_id}",
            "message": {"type": "websocket.receive", "text": json.dumps({"action": "ping"})},
        }
    ).encode()


async def test_a_signed_websocket_frame_is_refused_and_never_reaches_the_consumer(
    user, token, mounted_relay
):
    socket = await open_socket(token)
    body = _injected_frame(user.id)

    response = await sync_to_async(_post)(body, sign(body))

    assert (response.status_code, response.json()["code"]) == (400, "bad_frame")
    # Before the fix the consumer answered the injected ping with realtime.pong.
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.parametrize("kind", ["websocket.disconnect", "websocket.connect", "chat.anything", 7])
def test_only_the_consumer_handler_types_are_relayed(mounted_relay, kind):
    body = json.dumps({"group": "topic.user-1", "message": {"type": kind}}).encode()

    response = _post(body, sign(body))

    assert (response.status_code, response.json()["code"]) == (400, "bad_frame")


@pytest.mark.parametrize("kind", ["realtime.revoke", "realtime.disconnect"])
def test_revoke_and_disconnect_still_cross_the_relay(mounted_relay, kind):
    body = json.dumps(
        {"group": "topic.user-1", "message": {"type": kind, "topic": "user:1"}}
    ).encode()

    assert _post(body, sign(body)).status_code == 204


async def test_a_body_signed_with_the_old_public_key_is_refused(user, token, mounted_relay):
    socket = await open_socket(token)
    body = _injected_frame(user.id)
    forged = hmac.new(OLD_PUBLIC_KEY.encode(), body, hashlib.sha256).hexdigest()

    response = await sync_to_async(_post)(body, forged)

    assert (response.status_code, response.json()["code"]) == (403, "bad_signature")
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.django_db(transaction=False)
def test_the_relay_is_mounted_only_with_the_in_memory_layer(settings):
    settings.REALTIME_RELAY_ENABLED = False
    assert "realtime-relay" not in [p.name for p in internal_urlpatterns()]

    settings.REALTIME_RELAY_ENABLED = True
    assert "realtime-relay" in [p.name for p in internal_urlpatterns()]


def test_the_view_refuses_when_the_mode_has_no_relay(mounted_relay, settings):
    settings.REALTIME_RELAY_ENABLED = False
    body = json.dumps({"group": "g", "message": {"type": "realtime.event"}}).encode()

    response = _post(body, sign(body))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
