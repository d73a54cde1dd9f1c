"""Topics: permission checks, replay after a gap, de-duplication by seq, unsubscribe."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from realtime.publish import broadcast_now, revoke_on_commit
from tests.backends import needs_redis
from tests.factories import token_for
from tests.realtime.conftest import backlog_event, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def publish(topic: str, event_type: str, data: dict, seq: int | None = None) -> None:
    await sync_to_async(broadcast_now)(topic, event_type, data, seq=seq)


async def test_own_user_topic_is_subscribed_on_connect(user, token):
    socket = await open_socket(token)

    await publish(f"user:{user.id}", "community.notification.created", {"title": "hi"}, seq=1)
    event = await socket.receive_json_from(timeout=5)

    assert event == {
        "type": "community.notification.created",
        "topic": f"user:{user.id}",
        "seq": 1,
        "data": {"title": "hi"},
    }
    await socket.disconnect()


async def test_another_users_topic_is_forbidden_and_its_events_never_arrive(
    user, other_user, token
):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": f"user:{other_user.id}"})
    error = await socket.receive_json_from(timeout=5)
    await publish(
        f"user:{other_user.id}", "community.notification.created", {"title": "secret"}, seq=1
    )

    assert error == {
        "type": "realtime.error",
        "code": "forbidden",
        "topic": f"user:{other_user.id}",
        "detail": "You may not subscribe to this topic.",
        "seq": None,
    }
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.parametrize(
    "topic", ["nope:1", "user", "user:", "user:1:2", "user:../x", "", 42, None, "x" * 200]
)
async def test_unknown_or_malformed_topics_are_refused(token, topic):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": topic})
    error = await socket.receive_json_from(timeout=5)

    assert error["type"] == "realtime.error"
    assert error["code"] == "unknown_topic"
    await socket.disconnect()


@pytest.mark.parametrize("after_seq", [-1, "3", 1.5, True])
async def test_bad_after_seq_is_a_bad_frame(token, test_topic, after_seq):
    socket = await open_socket(token)

    await socket.send_json_to(
        {"action": "subscribe", "topic": "test.stream:a", "after_seq": after_seq}
    )

    assert (await socket.receive_json_from(timeout=5))["code"] == "bad_frame"
    await socket.disconnect()


async def test_subscribe_with_after_seq_replays_missed_events_in_order(token, test_topic):
    test_topic["a"] = [backlog_event("a", seq, f"item {seq}") for seq in range(1, 6)]
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a", "after_seq": 2})
    subscribed = await socket.receive_json_from(timeout=5)
    replayed = [await socket.receive_json_from(timeout=5) for _ in range(3)]

    assert subscribed["type"] == "realtime.subscribed"
    assert [event["seq"] for event in replayed] == [3, 4, 5]
    assert replayed[0]["data"] == {"text": "item 3"}
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_live_events_already_replayed_are_not_sent_twice(token, test_topic):
    test_topic["a"] = [backlog_event("a", seq, "x") for seq in (1, 2)]
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a", "after_seq": 0})
    await socket.receive_json_from(timeout=5)
    assert [(await socket.receive_json_from(timeout=5))["seq"] for _ in range(2)] == [1, 2]

    await publish("test.stream:a", "test.item.created", {"text": "dup"}, seq=2)
    await publish("test.stream:a", "test.item.created", {"text": "new"}, seq=3)

    event = await socket.receive_json_from(timeout=5)
    assert (event["seq"], event["data"]["text"]) == (3, "new")
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_subscribe_without_after_seq_gets_only_live_events(token, test_topic):
    test_topic["a"] = [backlog_event("a", 1, "old")]
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a"})
    await socket.receive_json_from(timeout=5)
    await publish("test.stream:a", "test.item.created", {"text": "live"}, seq=2)

    assert (await socket.receive_json_from(timeout=5))["data"] == {"text": "live"}
    await socket.disconnect()


async def test_topic_permission_hook_can_refuse(token, test_topic):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:private"})

    assert (await socket.receive_json_from(timeout=5))["code"] == "forbidden"
    await socket.disconnect()


async def test_unsubscribe_stops_delivery(token, test_topic):
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a"})
    await socket.receive_json_from(timeout=5)

    await socket.send_json_to({"action": "unsubscribe", "topic": "test.stream:a"})
    reply = await socket.receive_json_from(timeout=5)
    await publish("test.stream:a", "test.item.created", {"text": "late"}, seq=1)

    assert reply["type"] == "realtime.unsubscribed"
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_own_user_topic_cannot_be_unsubscribed(user, token):
    socket = await open_socket(token)

    await socket.send_json_to({"action": "unsubscribe", "topic": f"user:{user.id}"})

    assert (await socket.receive_json_from(timeout=5))["code"] == "bad_frame"
    await socket.disconnect()


async def test_two_sockets_of_one_user_both_receive(user, token):
    first, second = await open_socket(token), await open_socket(token)

    await publish(f"user:{user.id}", "community.notification.created", {"title": "both"}, seq=1)

    assert (await first.receive_json_from(timeout=5))["data"]["title"] == "both"
    assert (await second.receive_json_from(timeout=5))["data"]["title"] == "both"
    await first.disconnect()
    await second.disconnect()


@needs_redis
async def test_idle_consumer_on_redis_still_delivers_after_six_seconds(user, other_user, token):
    # redis-py 8's default 5 s socket timeout used to tear down idle channel-layer readers.
    socket = await open_socket(token)
    other = await open_socket(await sync_to_async(token_for)(other_user))

    await asyncio.sleep(6.5)
    await publish(
        f"user:{user.id}", "community.notification.created", {"title": "after idle"}, seq=1
    )

    assert (await socket.receive_json_from(timeout=5))["data"]["title"] == "after idle"
    assert await other.receive_nothing(timeout=0.3)
    await socket.disconnect()
    await other.disconnect()


async def test_out_of_order_pushes_are_all_delivered_once(token, test_topic):
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a", "after_seq": 0})
    await socket.receive_json_from(timeout=5)

    for seq in (2, 1, 2, 3, 1):  # two writers' pushes crossing, plus duplicates
        await publish("test.stream:a", "test.item.created", {"n": seq}, seq=seq)

    received = [(await socket.receive_json_from(timeout=5))["seq"] for _ in range(3)]
    assert received == [2, 1, 3]
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_resubscribing_with_after_seq_replays_what_the_client_lacks(token, test_topic):
    test_topic["a"] = [backlog_event("a", seq, "x") for seq in (1, 2, 3)]
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a", "after_seq": 0})
    await socket.receive_json_from(timeout=5)
    assert [(await socket.receive_json_from(timeout=5))["seq"] for _ in range(3)] == [1, 2, 3]

    # the client lost 2 and 3 on its side and asks again
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a", "after_seq": 1})
    await socket.receive_json_from(timeout=5)

    assert [(await socket.receive_json_from(timeout=5))["seq"] for _ in range(2)] == [2, 3]
    await socket.disconnect()


async def test_revoked_topic_stops_delivering_to_open_sockets(user, token, test_topic):
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": "test.stream:a"})
    await socket.receive_json_from(timeout=5)

    await sync_to_async(revoke_on_commit)(user.id, "test.stream:a")
    notice = await socket.receive_json_from(timeout=5)
    await publish("test.stream:a", "test.item.created", {"text": "after removal"}, seq=1)

    assert notice == {
        "type": "realtime.unsubscribed",
        "topic": "test.stream:a",
        "seq": None,
        "data": {"reason": "revoked"},
    }
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
