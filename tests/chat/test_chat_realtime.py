"""chat.room:<id> over the real ASGI application: live delivery, permissions, the lossless
reconnect, the typing / read-receipt room-size limits and the chat.send fast path."""

import pytest
from asgiref.sync import sync_to_async

from chat.models import Message, Room, RoomMember
from chat.services import message_send, room_group_create, room_mark_read, room_members_remove
from tests.backends import needs_postgres
from tests.chat.conftest import member
from tests.concurrency import run_concurrently
from tests.factories import token_for
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def _subscribe(socket, room_id: int, after_seq: int | None = None) -> dict:
    frame = {"action": "subscribe", "topic": f"chat.room:{room_id}"}
    if after_seq is not None:
        frame["after_seq"] = after_seq
    await socket.send_json_to(frame)
    return await socket.receive_json_from(timeout=5)


async def _socket_for(user):
    return await open_socket(await sync_to_async(token_for)(user))


async def _next_of_type(socket, event_type: str) -> dict:
    while True:
        event = await socket.receive_json_from(timeout=5)
        if event["type"] == event_type:
            return event


async def test_member_receives_messages_live(alice, bob, direct_room):
    socket = await _socket_for(bob)
    assert (await _subscribe(socket, direct_room.id))["type"] == "realtime.subscribed"

    await sync_to_async(message_send)(
        actor=alice, room=direct_room, body="live!", client_msg_id="l1"
    )
    event = await socket.receive_json_from(timeout=5)

    assert (event["type"], event["topic"], event["seq"]) == (
        "chat.message.created",
        f"chat.room:{direct_room.id}",
        1,
    )
    assert event["data"]["body"] == "live!"
    assert event["data"]["sender"]["username"] == "alice"
    await socket.disconnect()


async def test_non_member_cannot_subscribe_and_receives_nothing(alice, outsider, direct_room):
    socket = await _socket_for(outsider)

    refused = await _subscribe(socket, direct_room.id, after_seq=0)
    await sync_to_async(message_send)(
        actor=alice, room=direct_room, body="secret", client_msg_id="s"
    )

    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_unknown_room_is_forbidden(alice):
    socket = await _socket_for(alice)

    refused = await _subscribe(socket, 987654)

    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")
    await socket.disconnect()


async def test_edits_and_deletes_arrive_as_updates_without_a_stream_seq(alice, bob, direct_room):
    from chat.services import message_delete, message_edit

    message, _ = await sync_to_async(message_send)(
        actor=alice, room=direct_room, body="tpyo", client_msg_id="e"
    )
    socket = await _socket_for(bob)
    await _subscribe(socket, direct_room.id, after_seq=1)

    await sync_to_async(message_edit)(actor=alice, message=message, body="typo")
    edited = await socket.receive_json_from(timeout=5)
    await sync_to_async(message_delete)(actor=alice, message=message)
    deleted = await socket.receive_json_from(timeout=5)

    assert (edited["type"], edited["seq"], edited["data"]["seq"], edited["data"]["body"]) == (
        "chat.message.edited",
        None,
        1,
        "typo",
    )
    assert (deleted["type"], deleted["seq"], deleted["data"]["deleted"]) == (
        "chat.message.deleted",
        None,
        True,
    )
    await socket.disconnect()


@needs_postgres
async def test_reconnect_after_concurrent_burst_receives_all_fifty_once_in_order(
    alice, bob, carol, group_room, settings
):
    # Two people sending 25 messages each as fast as they can is a flood by product rules;
    # this test is about delivery, so the limit is lifted.
    settings.CHAT_FLOOD_MAX_MESSAGES = 1000
    stays = await _socket_for(alice)
    leaves = await _socket_for(carol)
    await _subscribe(stays, group_room.id)
    await _subscribe(leaves, group_room.id)
    await sync_to_async(message_send)(actor=bob, room=group_room, body="before", client_msg_id="b0")
    last_seen = (await leaves.receive_json_from(timeout=5))["seq"]
    assert last_seen == 1
    await leaves.disconnect()

    senders = [alice, bob]

    def burst(index: int) -> list[int]:
        return [
            message_send(
                actor=senders[index],
                room=Room.objects.get(pk=group_room.pk),
                body=f"{senders[index].username} {n}",
                client_msg_id=f"burst-{index}-{n}",
            )[0].seq
            for n in range(25)
        ]

    results = await sync_to_async(run_concurrently, thread_sensitive=False)(burst, 2)
    assert sorted(results[0] + results[1]) == list(range(2, 52))

    back = await _socket_for(carol)
    assert (await _subscribe(back, group_room.id, after_seq=last_seen))["type"] == (
        "realtime.subscribed"
    )
    replayed = [await back.receive_json_from(timeout=5) for _ in range(50)]

    assert [e["seq"] for e in replayed] == list(range(2, 52))
    assert {e["type"] for e in replayed} == {"chat.message.created"}
    bodies = [e["data"]["body"] for e in replayed]
    assert len(set(bodies)) == 50
    assert await back.receive_nothing(timeout=0.5)
    # The socket that stayed saw every seq exactly once. Pushes of the two senders may cross on
    # the way (commit order is not arrival order), so arrival order is not asserted; the client
    # orders by seq.
    live = []
    while not await stays.receive_nothing(timeout=0.3):
        live.append((await stays.receive_json_from(timeout=1))["seq"])
    assert sorted(live) == list(range(1, 52))
    await back.disconnect()
    await stays.disconnect()


def _room_of(size: int, owner) -> Room:
    others = [member() for _ in range(size - 1)]
    return room_group_create(actor=owner, title=f"room of {size}", members=others)


async def _watch_read_receipts(alice, size: int) -> list[dict]:
    room = await sync_to_async(_room_of)(size, alice)
    reader = await sync_to_async(
        lambda: RoomMember.objects.filter(room=room).exclude(user=alice).first().user
    )()
    await sync_to_async(message_send)(
        actor=alice, room=room, body="read me", client_msg_id=f"r{size}"
    )
    socket = await _socket_for(alice)
    await _subscribe(socket, room.id)

    await sync_to_async(room_mark_read)(actor=reader, room=room, seq=1)
    received = []
    while not await socket.receive_nothing(timeout=0.5):
        received.append(await socket.receive_json_from(timeout=1))
    await socket.disconnect()
    return [e for e in received if e["type"] == "chat.read.updated"]


async def test_read_receipts_in_a_room_of_twenty(alice):
    receipts = await _watch_read_receipts(alice, 20)

    assert len(receipts) == 1
    assert receipts[0]["seq"] is None
    assert receipts[0]["data"]["last_read_seq"] == 1


async def test_no_read_receipts_in_a_room_of_twenty_one(alice):
    assert await _watch_read_receipts(alice, 21) == []


async def _watch_typing(alice, size: int) -> list[dict]:
    room = await sync_to_async(_room_of)(size, alice)
    typist = await sync_to_async(
        lambda: RoomMember.objects.filter(room=room).exclude(user=alice).first().user
    )()
    watcher = await _socket_for(alice)
    await _subscribe(watcher, room.id)
    typing = await _socket_for(typist)

    await typing.send_json_to({"action": "typing", "topic": f"chat.room:{room.id}"})
    received = []
    while not await watcher.receive_nothing(timeout=0.5):
        received.append(await watcher.receive_json_from(timeout=1))
    assert await typing.receive_nothing(timeout=0.1)  # no error for the typist either
    await watcher.disconnect()
    await typing.disconnect()
    return [e for e in received if e["type"] == "chat.typing.started"]


async def test_typing_in_a_room_of_one_hundred(alice):
    events = await _watch_typing(alice, 100)

    assert len(events) == 1
    assert events[0]["seq"] is None
    assert events[0]["data"]["room"] > 0


async def test_no_typing_in_a_room_of_one_hundred_and_one(alice):
    assert await _watch_typing(alice, 101) == []


async def test_typing_in_a_foreign_room_is_forbidden(outsider, direct_room):
    socket = await _socket_for(outsider)

    await socket.send_json_to({"action": "typing", "topic": f"chat.room:{direct_room.id}"})
    error = await socket.receive_json_from(timeout=5)

    assert (error["type"], error["code"]) == ("realtime.error", "forbidden")
    await socket.disconnect()


async def test_chat_send_fast_path_uses_the_same_service(alice, bob, outsider, direct_room):
    socket = await _socket_for(alice)
    await _subscribe(socket, direct_room.id)
    frame = {"action": "chat.send", "room": direct_room.id, "body": "fast", "client_msg_id": "ws1"}

    await socket.send_json_to(frame)
    first = [await socket.receive_json_from(timeout=5) for _ in range(2)]
    await socket.send_json_to(frame)  # a retry
    ack_again = await _next_of_type(socket, "chat.message.accepted")
    stranger = await _socket_for(outsider)
    await stranger.send_json_to({**frame, "client_msg_id": "ws2"})
    refused = await stranger.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "chat.send", "room": direct_room.id, "body": ""})
    bad = await _next_of_type(socket, "realtime.error")

    types = sorted(e["type"] for e in first)
    assert types == ["chat.message.accepted", "chat.message.created"]
    assert ack_again["data"]["created"] is False
    assert (refused["code"], refused["topic"]) == ("not_a_member", f"chat.room:{direct_room.id}")
    assert bad["code"] == "bad_frame"
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()
    await stranger.disconnect()


async def test_removed_member_stops_receiving_on_an_open_socket(alice, bob, carol, group_room):
    socket = await _socket_for(carol)
    await _subscribe(socket, group_room.id)

    await sync_to_async(room_members_remove)(actor=alice, room=group_room, user=carol)
    notice = await _next_of_type(socket, "realtime.unsubscribed")
    await sync_to_async(message_send)(
        actor=bob, room=group_room, body="after", client_msg_id="after-1"
    )

    assert (notice["topic"], notice["data"]) == (
        f"chat.room:{group_room.id}",
        {"reason": "revoked"},
    )
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
