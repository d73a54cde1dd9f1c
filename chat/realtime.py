"""Chat's realtime surface: the ``chat.room:<id>`` topic and the ``typing`` / ``chat.send`` actions,
the ``live.stream:<id>`` topic and its ``live.comment`` action, and the presence socket hooks."""

import time
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.cache import cache

from chat import events
from chat.models import LiveStatus, LiveStream, Room
from chat.selectors.live import (
    live_batch_interval_ms,
    live_comment_max_length,
    live_likes_interval_seconds,
    viewer_bucket,
    viewers_count,
)
from chat.selectors.messages import REPLAY_LIMIT, messages_after
from chat.selectors.rooms import (
    is_room_member,
    room_member_count,
    typing_interval_seconds,
    typing_max_members,
)
from chat.services.live import (
    collect_comments,
    live_comment_post,
    live_likes_persist,
    live_peak_viewers_record,
    viewers_report,
)
from chat.services.messages import message_send
from chat.services.presence import presence_close, presence_open, presence_touch
from config.exceptions import DomainError
from realtime.coalesce import Coalescer, claim_window
from realtime.publish import broadcast_on_commit
from realtime.registry import (
    register_action,
    register_connection_hooks,
    register_topic,
)

TOPIC = "chat.room"
CLIENT_MSG_ID_MAX = 64


def _room_id(argument: str) -> int | None:
    return int(argument) if argument.isdigit() and len(argument) < 19 else None


def can_subscribe(user, argument: str) -> bool:
    room_id = _room_id(argument)
    return room_id is not None and is_room_member(room_id=room_id, user_id=user.pk)


def replay(user, argument: str, after_seq: int) -> list[dict]:
    room_id = _room_id(argument)
    if room_id is None or not is_room_member(room_id=room_id, user_id=user.pk):
        return []
    missed = messages_after(room_id=room_id, after_seq=after_seq, limit=REPLAY_LIMIT)
    return [events.message_replay_envelope(message, user) for message in missed]


def _typing(user, topic: Any) -> str | None:
    """Announce that ``user`` is typing; returns an error code, or None when handled."""
    if not isinstance(topic, str) or not topic.startswith(TOPIC + ":"):
        return "bad_frame"
    room_id = _room_id(topic.partition(":")[2])
    if room_id is None or not is_room_member(room_id=room_id, user_id=user.pk):
        return "forbidden"
    if room_member_count(room_id=room_id) > typing_max_members():
        return None  # ephemeral and optional: big rooms simply get no typing indicator
    # One announcement per few seconds per person and room, however fast the keys come.
    if cache.add(f"chat:typing:{user.pk}:{room_id}", 1, timeout=typing_interval_seconds()):
        broadcast_on_commit(
            events.room_topic(room_id),
            events.TYPING_STARTED,
            events.typing_payload(room_id=room_id, user=user),
        )
    return None


async def typing_action(connection, frame: dict) -> None:
    topic = frame.get("topic")
    error = await database_sync_to_async(_typing)(connection.user, topic)
    if error == "bad_frame":
        await connection.send_error("bad_frame", "typing needs topic chat.room:<id>.", topic=topic)
    elif error == "forbidden":
        await connection.send_error("forbidden", "You are not in this room.", topic=topic)


def _send(user, room_id: int, body: str, client_msg_id: str, reply_to: int | None) -> dict:
    room = Room.objects.filter(pk=room_id).first()
    if room is None or not is_room_member(room_id=room_id, user_id=user.pk):
        return {"error": "not_a_member", "detail": "You are not a member of this room."}
    try:
        message, created = message_send(
            actor=user, room=room, body=body, client_msg_id=client_msg_id, reply_to=reply_to
        )
    except DomainError as exc:
        return {"error": exc.code, "detail": exc.detail}
    return {
        "room": room_id,
        "id": message.pk,
        "seq": message.seq,
        "client_msg_id": message.client_msg_id,
        "created": created,
        "hidden": message.hidden_at is not None,
    }


def _valid_send_frame(frame: dict) -> bool:
    room, body, client_msg_id = frame.get("room"), frame.get("body"), frame.get("client_msg_id")
    reply_to = frame.get("reply_to")
    return (
        isinstance(room, int)
        and not isinstance(room, bool)
        and isinstance(body, str)
        and 0 < len(body.strip()) <= 4000
        and isinstance(client_msg_id, str)
        and 0 < len(client_msg_id) <= CLIENT_MSG_ID_MAX
        and (reply_to is None or (isinstance(reply_to, int) and not isinstance(reply_to, bool)))
    )


async def send_action(connection, frame: dict) -> None:
    """The fast path of POST /rooms/{id}/messages/: the message itself arrives as the room's
    chat.message.created event; the sender also gets a small acknowledgement."""
    if not _valid_send_frame(frame):
        await connection.send_error(
            "bad_frame", "chat.send needs room, body (1-4000 chars) and client_msg_id."
        )
        return
    topic = events.room_topic(frame["room"])
    result = await database_sync_to_async(_send)(
        connection.user,
        frame["room"],
        frame["body"].strip(),
        frame["client_msg_id"],
        frame.get("reply_to"),
    )
    if "error" in result:
        await connection.send_error(result["error"], result["detail"], topic=topic)
        return
    await connection.send_json(
        {"type": events.MESSAGE_ACCEPTED, "topic": None, "seq": None, "data": result}
    )


# --- livestreams -----------------------------------------------------------------------------------

LIVE_TOPIC = "live.stream"


def can_watch(user, argument: str) -> bool:
    """Any signed-in member may watch a scheduled or live stream (the socket itself needs
    sign-in); an ended one has nothing left to push (its replay is read over REST), and each
    watched stream costs a batcher."""
    stream_id = _room_id(argument)
    return (
        stream_id is not None
        and LiveStream.objects.filter(pk=stream_id).exclude(status=LiveStatus.ENDED).exists()
    )


def _live_comment(user, stream_id: int, body: str, client_msg_id: str) -> dict:
    stream = LiveStream.objects.filter(pk=stream_id).first()
    if stream is None:
        return {"error": "not_found", "detail": "No such livestream."}
    try:
        comment, created = live_comment_post(
            actor=user, stream=stream, body=body, client_msg_id=client_msg_id
        )
    except DomainError as exc:
        # extra carries what REST also answers, e.g. slow mode's reason and retry_after.
        return {"error": exc.code, "detail": exc.detail, "extra": exc.extra}
    return {
        "stream": stream_id,
        "id": comment.pk,
        "seq": comment.seq,
        "client_msg_id": comment.client_msg_id,
        "created": created,
        "hidden": comment.hidden_at is not None,
    }


async def live_comment_action(connection, frame: dict) -> None:
    """The socket fast path of POST /livestreams/{id}/comments/: same service, and the comment
    reaches everybody (the sender too) in the next live.comments.batch."""
    stream, body, client_msg_id = frame.get("stream"), frame.get("body"), frame.get("client_msg_id")
    valid = (
        isinstance(stream, int)
        and not isinstance(stream, bool)
        and isinstance(body, str)
        and 0 < len(body.strip()) <= live_comment_max_length()
        and isinstance(client_msg_id, str)
        and 0 < len(client_msg_id) <= CLIENT_MSG_ID_MAX
    )
    if not valid or not isinstance(stream, int) or not isinstance(body, str):
        await connection.send_error(
            "bad_frame", "live.comment needs stream, body (1-500 chars) and client_msg_id."
        )
        return
    result = await database_sync_to_async(_live_comment)(
        connection.user, stream, body.strip(), client_msg_id
    )
    topic = events.live_topic(stream)
    if "error" in result:
        await connection.send_error(
            result["error"], result["detail"], topic=topic, **result.get("extra", {})
        )
        return
    await connection.send_json(
        {"type": events.LIVE_COMMENT_ACCEPTED, "topic": None, "seq": None, "data": result}
    )


# --- the batched live fan-out ----------------------------------------------------------------
# Comments are persisted by the request and published here in one frame per window; likes and
# viewer counts at most once a second. Comments posted over REST on gunicorn are picked up from
# the database, so no per-comment message crosses the channel layer.

_reported_bucket: dict[int, int] = {}


def live_frames(stream_id: int, watching: int) -> list[tuple[str, dict]]:
    """One round of a stream's fan-out: the comments batch, and the counters when they moved."""
    out: list[tuple[str, dict]] = []
    now = time.time()
    bucket = viewer_bucket(now)
    if watching and _reported_bucket.get(stream_id) != bucket:
        _reported_bucket[stream_id] = bucket  # each process reports once per bucket
        viewers_report(stream_id, watching, bucket)
    if claim_window("live.comments", stream_id, live_batch_interval_ms()):
        comments = collect_comments(stream_id)
        if comments:
            out.append(
                (
                    events.LIVE_COMMENTS_BATCH,
                    {
                        "stream": stream_id,
                        "from_seq": comments[0]["seq"],
                        "to_seq": comments[-1]["seq"],
                        "comments": comments,
                    },
                )
            )
    # The key's expiry, not a clock bucket, spaces the pushes: at most one per interval across
    # every process flushing this stream.
    if cache.add(f"live:counters:{stream_id}", 1, timeout=live_likes_interval_seconds()):
        out.extend(_counter_frames(stream_id))
    return out


def _counter_frames(stream_id: int) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    likes = live_likes_persist(stream_id=stream_id)
    viewers = viewers_count(stream_id)
    last = cache.get(f"live:counters:last:{stream_id}") or {}
    if likes != last.get("likes"):
        out.append((events.LIVE_LIKES_UPDATED, {"stream": stream_id, "likes": likes}))
    if viewers != last.get("viewers"):
        out.append((events.LIVE_VIEWERS_UPDATED, {"stream": stream_id, "viewers": viewers}))
        live_peak_viewers_record(stream_id=stream_id, viewers=viewers)
    cache.set(f"live:counters:last:{stream_id}", {"likes": likes, "viewers": viewers}, timeout=3600)
    return out


live_pushes = Coalescer(
    "live.stream",
    topic=events.live_topic,
    interval_ms=live_batch_interval_ms,
    collect=live_frames,
)


# --- presence ------------------------------------------------------------------------------------


async def on_open(connection) -> None:
    await sync_to_async(presence_open, thread_sensitive=False)(connection.user.pk)


async def on_ping(connection) -> None:
    await sync_to_async(presence_touch, thread_sensitive=False)(connection.user.pk)


async def on_close(connection) -> None:
    await sync_to_async(presence_close, thread_sensitive=False)(connection.user.pk)


def register() -> None:
    register_topic(TOPIC, can_subscribe=can_subscribe, replay=replay)
    register_action("typing", typing_action)
    register_action("chat.send", send_action)
    register_topic(
        LIVE_TOPIC,
        can_subscribe=can_watch,
        on_join=live_pushes.on_join,
        on_leave=live_pushes.on_leave,
    )
    register_action("live.comment", live_comment_action)
    register_connection_hooks("chat.presence", on_open=on_open, on_close=on_close, on_ping=on_ping)
