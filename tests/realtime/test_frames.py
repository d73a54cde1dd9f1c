"""Client frames: malformed input, unknown actions, flood control. The socket survives errors."""

import json

import pytest

from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def _still_alive(socket) -> bool:
    await socket.send_json_to({"action": "ping"})
    return (await socket.receive_json_from(timeout=5))["type"] == "realtime.pong"


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[1, 2, 3]",
        '"a string"',
        "null",
        json.dumps({"action": "x", "pad": "y" * 70_000}),
        json.dumps({"action": "chat.send", "room": 1, "body": "a\x00b", "client_msg_id": "n"}),
        '{"action": "live.comment", "stream": 1, "body": "x", "client_msg_id": "a\\u0000"}',
    ],
)
async def test_malformed_frames_get_bad_frame_and_socket_stays_open(token, raw):
    socket = await open_socket(token)

    await socket.send_to(text_data=raw)
    error = await socket.receive_json_from(timeout=5)

    assert error["type"] == "realtime.error"
    assert error["code"] == "bad_frame"
    assert await _still_alive(socket)
    await socket.disconnect()


async def test_binary_frames_are_bad_frames(token):
    socket = await open_socket(token)

    await socket.send_to(bytes_data=b"\x00\x01")

    assert (await socket.receive_json_from(timeout=5))["code"] == "bad_frame"
    await socket.disconnect()


@pytest.mark.parametrize("frame", [{"action": "dance"}, {"no_action": True}, {"action": 7}])
async def test_unknown_actions_are_named(token, frame):
    socket = await open_socket(token)

    await socket.send_json_to(frame)
    error = await socket.receive_json_from(timeout=5)

    assert error["type"] == "realtime.error"
    assert error["code"] == "unknown_action"
    assert await _still_alive(socket)
    await socket.disconnect()


async def test_a_frame_just_under_64_kib_is_accepted(token):
    socket = await open_socket(token)
    frame = {"action": "ping", "pad": ""}
    frame["pad"] = "y" * (64 * 1024 - len(json.dumps(frame)))
    assert len(json.dumps(frame).encode()) == 64 * 1024

    await socket.send_json_to(frame)

    assert (await socket.receive_json_from(timeout=5))["type"] == "realtime.pong"
    await socket.disconnect()


async def test_flooding_client_is_throttled_then_disconnected(token, settings):
    settings.REALTIME_FRAME_BURST = 5
    settings.REALTIME_FRAME_RATE = 1.0
    settings.REALTIME_FLOOD_CLOSE_AFTER = 10
    socket = await open_socket(token)

    for _ in range(5 + 10):
        await socket.send_json_to({"action": "ping"})
    replies = []
    while True:
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        replies.append(json.loads(output["text"]))

    assert [r["type"] for r in replies[:5]] == ["realtime.pong"] * 5
    assert [r.get("code") for r in replies[5:]] == ["throttled"] * 9
    assert output["code"] == 4429
    await socket.disconnect()  # lets the consumer finish instead of being cancelled at teardown


async def test_an_action_that_fails_unexpectedly_answers_an_error_and_the_socket_survives(token):
    from realtime import registry

    async def explodes(consumer, frame):
        raise RuntimeError("a bug in some app's handler")

    registry.register_action("test.explode", explodes)
    socket = await open_socket(token)
    try:
        await socket.send_json_to({"action": "test.explode"})
        error = await socket.receive_json_from(timeout=5)

        assert (error["type"], error["code"]) == ("realtime.error", "action_failed")
        assert await _still_alive(socket)
    finally:
        registry.unregister_action("test.explode")
        await socket.disconnect()


async def test_a_socket_watches_a_bounded_number_of_topics(token, test_topic, settings):
    settings.REALTIME_MAX_SUBSCRIPTIONS = 3  # its own user topic plus two
    socket = await open_socket(token)

    answers = []
    for name in ("a", "b", "c"):
        await socket.send_json_to({"action": "subscribe", "topic": f"test.stream:{name}"})
        answers.append(await socket.receive_json_from(timeout=5))

    assert [a["type"] for a in answers] == [
        "realtime.subscribed",
        "realtime.subscribed",
        "realtime.error",
    ]
    assert answers[2]["code"] == "too_many_subscriptions"
    assert await _still_alive(socket)
    await socket.disconnect()
