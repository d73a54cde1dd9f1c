"""Handshake: who may open /ws/, with which credentials, from which origin."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.realtime.conftest import ALLOWED_ORIGIN, communicator, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_token_header_gets_hello_with_server_time(user, token):
    socket = communicator(headers=[(b"authorization", f"Token {token}".encode())])

    connected, _ = await socket.connect(timeout=5)
    hello = await socket.receive_json_from(timeout=5)

    assert connected
    assert hello["type"] == "realtime.hello"
    assert hello["data"]["user_id"] == user.id
    server_time = datetime.fromisoformat(hello["data"]["server_time"])
    assert abs(server_time - timezone.now()) < timedelta(seconds=5)
    await socket.disconnect()


async def test_token_subprotocol_is_accepted_and_echoed(user, token):
    socket = communicator(subprotocols=[f"token.{token}"])

    connected, subprotocol = await socket.connect(timeout=5)
    hello = await socket.receive_json_from(timeout=5)

    assert connected
    assert subprotocol == f"token.{token}"
    assert hello["data"]["user_id"] == user.id
    await socket.disconnect()


async def test_session_cookie_from_allowed_origin_connects(user, session_cookie):
    socket = communicator(
        headers=[ALLOWED_ORIGIN, (b"cookie", f"sessionid={session_cookie}".encode())]
    )

    connected, _ = await socket.connect(timeout=5)
    hello = await socket.receive_json_from(timeout=5)

    assert connected
    assert hello["data"]["user_id"] == user.id
    await socket.disconnect()


async def test_foreign_origin_is_refused_even_with_valid_session(session_cookie):
    socket = communicator(
        headers=[
            (b"origin", b"https://evil.example"),
            (b"cookie", f"sessionid={session_cookie}".encode()),
        ]
    )

    connected, _ = await socket.connect(timeout=5)

    assert not connected


async def test_cookie_without_origin_does_not_authenticate(session_cookie):
    # Only a browser sends cookies on its own, and a browser always sends Origin.
    socket = communicator(headers=[(b"cookie", f"sessionid={session_cookie}".encode())])

    connected, code = await socket.connect(timeout=5)

    assert not connected
    assert code == 4401


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [(b"authorization", b"Token not-a-real-token")],
        [(b"authorization", b"Bearer something")],
        [ALLOWED_ORIGIN],
    ],
)
async def test_unauthenticated_handshakes_are_closed_4401(headers):
    socket = communicator(headers=headers)

    connected, code = await socket.connect(timeout=5)

    assert not connected
    assert code == 4401


async def test_token_of_inactive_user_is_refused(user, token):
    user.is_active = False
    await user.asave(update_fields=["is_active"])
    socket = communicator(headers=[(b"authorization", f"Token {token}".encode())])

    connected, code = await socket.connect(timeout=5)

    assert not connected
    assert code == 4401


async def test_ping_answers_pong_with_server_time(token):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "ping"})
    pong = await socket.receive_json_from(timeout=5)

    assert pong["type"] == "realtime.pong"
    datetime.fromisoformat(pong["server_time"])
    await socket.disconnect()
