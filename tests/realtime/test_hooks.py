"""Generic hooks apps hang on the socket: per-topic join/leave and per-connection open/close/ping."""

import pytest

from realtime import registry
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hooked_topic():
    calls: list[tuple[str, int, str]] = []

    async def on_join(connection, argument):
        calls.append(("join", connection.user.pk, argument))

    async def on_leave(connection, argument):
        calls.append(("leave", connection.user.pk, argument))

    registry.register_topic(
        "test.hooked",
        can_subscribe=lambda user, argument: argument != "private",
        on_join=on_join,
        on_leave=on_leave,
    )
    yield calls
    registry.unregister_topic("test.hooked")


@pytest.fixture
def connection_calls():
    calls: list[tuple[str, int]] = []

    async def record(which):
        async def hook(connection):
            calls.append((which, connection.user.pk))

        return hook

    async def broken(connection):
        raise RuntimeError("an app's bug")

    return calls, record, broken


async def test_topic_join_and_leave_hooks_follow_subscriptions(user, token, hooked_topic):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": "test.hooked:a"})
    await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "subscribe", "topic": "test.hooked:a"})
    await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "subscribe", "topic": "test.hooked:private"})
    refused = await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "unsubscribe", "topic": "test.hooked:a"})
    await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "subscribe", "topic": "test.hooked:b"})
    await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert refused["code"] == "forbidden"
    # A second subscribe to the same topic is not a second join; a refused one is none at all.
    assert hooked_topic == [
        ("join", user.pk, "a"),
        ("leave", user.pk, "a"),
        ("join", user.pk, "b"),
        ("leave", user.pk, "b"),
    ]


async def test_connection_hooks_run_on_open_ping_and_close_and_failures_are_contained(
    user, token, connection_calls
):
    calls, record, broken = connection_calls
    registry.register_connection_hooks(
        "test.hooks",
        on_open=await record("open"),
        on_ping=await record("ping"),
        on_close=await record("close"),
    )
    registry.register_connection_hooks("test.broken", on_open=broken, on_ping=broken)
    try:
        socket = await open_socket(token)
        await socket.send_json_to({"action": "ping"})
        pong = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
    finally:
        registry.unregister_connection_hooks("test.hooks")
        registry.unregister_connection_hooks("test.broken")

    assert pong["type"] == "realtime.pong"
    assert calls == [("open", user.pk), ("ping", user.pk), ("close", user.pk)]
