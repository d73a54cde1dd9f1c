"""live.stream:<id> over the real ASGI application and channel layer: 200 viewers get comments in
batches (not one frame per comment per viewer), likes at most about once a second, the socket
comment action, and who may subscribe."""

import asyncio
import itertools
import time

import pytest
from asgiref.sync import sync_to_async
from rest_framework.authtoken.models import Token

from chat.models import LiveComment, LiveStream
from chat.services.live import live_comment_post, live_like, livestream_create, livestream_start
from community.models import User
from tests.chat.conftest import grant, member
from tests.factories import token_for
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

VIEWERS = 200
COMMENTS = 100


def _live_stream():
    from datetime import timedelta

    from django.utils import timezone

    host = grant(member(username="host"), "creator")
    stream = livestream_create(
        actor=host,
        title="Night market",
        starts_at=timezone.now() + timedelta(minutes=5),
        stream_url="https://media.example.com/n.m3u8",
    )
    return host, livestream_start(actor=host, stream=stream)


def _viewer_tokens(count: int) -> list[str]:
    users = User.objects.bulk_create(
        [User(username=f"viewer{i}", password="!") for i in range(count)]
    )
    tokens = Token.objects.bulk_create(
        [Token(user=user, key=Token.generate_key()) for user in users]
    )
    return [token.key for token in tokens]


async def _watch(token: str, stream_id: int):
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": f"live.stream:{stream_id}"})
    reply = await socket.receive_json_from(timeout=10)
    assert reply["type"] == "realtime.subscribed", reply
    return socket


async def _drain(socket, want: int, timeout: float) -> tuple[list[int], int, list[dict]]:
    """Read until ``want`` comments arrived (or time is up): their seqs, batch frames, others."""
    seqs: list[int] = []
    batches = 0
    others: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(seqs) < want and time.monotonic() < deadline:
        try:
            event = await socket.receive_json_from(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        if event["type"] == "live.comments.batch":
            batches += 1
            seqs.extend(c["seq"] for c in event["data"]["comments"])
        else:
            others.append(event)
    return seqs, batches, others


def _post_comments(stream, count: int) -> None:
    commenters = [member(username=f"talker{i}") for i in range(10)]
    for n in range(count):
        live_comment_post(
            actor=commenters[n % 10], stream=stream, body=f"comment {n}", client_msg_id=f"c{n}"
        )


async def test_200_viewers_receive_every_comment_once_in_a_few_batch_frames(settings):
    settings.LIVE_COMMENT_BATCH_MS = 500
    _, stream = await sync_to_async(_live_stream)()
    tokens = await sync_to_async(_viewer_tokens)(VIEWERS)
    sockets = []
    for start in range(0, VIEWERS, 50):
        sockets += await asyncio.gather(*(_watch(t, stream.pk) for t in tokens[start : start + 50]))

    started = time.monotonic()
    await sync_to_async(_post_comments)(stream, COMMENTS)
    posting = time.monotonic() - started
    results = await asyncio.gather(*(_drain(s, COMMENTS, timeout=20) for s in sockets))
    for start in range(0, VIEWERS, 50):  # the channel layer's connection pool is finite
        await asyncio.gather(*(s.disconnect() for s in sockets[start : start + 50]))

    expected = list(range(1, COMMENTS + 1))
    incomplete = [i for i, (seqs, _, _) in enumerate(results) if seqs != expected]
    assert not incomplete, f"{len(incomplete)} viewers missed or repeated comments"
    frames = [batches for _, batches, _ in results]
    # One frame per 500 ms window while comments arrive: a handful, never one per comment.
    allowed = int(posting / 0.5) + 3
    assert max(frames) <= allowed, (max(frames), posting)
    assert sum(frames) <= VIEWERS * allowed < VIEWERS * COMMENTS / 10
    assert await sync_to_async(LiveComment.objects.count)() == COMMENTS


async def test_likes_are_pushed_at_most_about_once_a_second():
    _, stream = await sync_to_async(_live_stream)()
    viewer = await sync_to_async(member)(username="watcher")
    socket = await _watch(await sync_to_async(token_for)(viewer), stream.pk)
    tapper = await sync_to_async(member)(username="tapper")

    updates: list[tuple[float, int]] = []

    async def read() -> None:
        while True:
            event = await socket.receive_json_from(timeout=10)
            if event["type"] == "live.likes.updated":
                updates.append((time.monotonic(), event["data"]["likes"]))
                if event["data"]["likes"] == 300:
                    return

    reader = asyncio.ensure_future(read())
    started = time.monotonic()
    for _ in range(60):  # 300 taps over about 3 s
        await sync_to_async(live_like, thread_sensitive=False)(actor=tapper, stream=stream, count=5)
        await asyncio.sleep(0.05)
    await asyncio.wait_for(reader, timeout=5)
    elapsed = time.monotonic() - started
    await socket.disconnect()

    assert updates and updates[-1][1] == 300
    assert len(updates) <= int(elapsed) + 2, (len(updates), elapsed)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(updates)]
    # Pushes leave at least a second apart; arrival jitter of the test loop shaves a little.
    assert all(gap > 0.8 for gap in gaps), gaps


async def test_socket_comment_action_uses_the_service_and_arrives_in_a_batch():
    _, stream = await sync_to_async(_live_stream)()
    viewer = await sync_to_async(member)(username="chatty")
    socket = await _watch(await sync_to_async(token_for)(viewer), stream.pk)

    frame = {"action": "live.comment", "stream": stream.pk, "body": "hi!", "client_msg_id": "x1"}
    await socket.send_json_to(frame)
    ack = await socket.receive_json_from(timeout=5)
    await socket.send_json_to(frame)  # a retry: the same comment
    retry = await socket.receive_json_from(timeout=5)
    seqs, batches, _ = await _drain(socket, 1, timeout=5)
    await socket.send_json_to({"action": "live.comment", "stream": stream.pk, "body": ""})
    bad = await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert (ack["type"], ack["data"]["seq"], ack["data"]["created"]) == (
        "live.comment.accepted",
        1,
        True,
    )
    assert (retry["data"]["seq"], retry["data"]["created"]) == (1, False)
    assert (seqs, batches) == ([1], 1)
    assert (bad["type"], bad["code"]) == ("realtime.error", "bad_frame")
    assert await sync_to_async(LiveComment.objects.count)() == 1


async def test_muted_viewer_gets_an_error_on_the_socket_and_nothing_is_stored():
    from chat.services.live import live_mute

    host, stream = await sync_to_async(_live_stream)()
    viewer = await sync_to_async(member)(username="troll")
    await sync_to_async(live_mute)(actor=host, stream=stream, user=viewer)
    socket = await _watch(await sync_to_async(token_for)(viewer), stream.pk)

    await socket.send_json_to(
        {"action": "live.comment", "stream": stream.pk, "body": "spam", "client_msg_id": "s"}
    )
    refused = await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert (refused["type"], refused["code"]) == ("realtime.error", "muted")
    assert await sync_to_async(LiveComment.objects.count)() == 0


async def test_slow_mode_on_the_socket_is_a_throttled_error_with_its_reason():
    from chat.services.live import livestream_update

    host, stream = await sync_to_async(_live_stream)()
    await sync_to_async(livestream_update)(actor=host, stream=stream, slow_mode_seconds=30)
    viewer = await sync_to_async(member)(username="eager")
    socket = await _watch(await sync_to_async(token_for)(viewer), stream.pk)

    for cid in ("a1", "a2"):
        await socket.send_json_to(
            {"action": "live.comment", "stream": stream.pk, "body": cid, "client_msg_id": cid}
        )
    frames = []
    while not frames or frames[-1]["type"] != "realtime.error":
        frames.append(await socket.receive_json_from(timeout=5))
    await socket.disconnect()

    refused = frames[-1]
    assert (refused["code"], refused["reason"], refused["retry_after"]) == (
        "throttled",
        "slow_mode",
        30,
    )
    assert refused["topic"] == f"live.stream:{stream.pk}"
    assert await sync_to_async(LiveComment.objects.count)() == 1


async def test_unknown_stream_cannot_be_subscribed():
    viewer = await sync_to_async(member)(username="lost")
    socket = await open_socket(await sync_to_async(token_for)(viewer))

    await socket.send_json_to({"action": "subscribe", "topic": "live.stream:424242"})
    refused = await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")


async def test_an_ended_stream_cannot_be_subscribed_its_replay_is_rest():
    from chat.services.live import livestream_end

    host, stream = await sync_to_async(_live_stream)()
    await sync_to_async(livestream_end)(actor=host, stream=stream)
    viewer = await sync_to_async(member)(username="late")
    socket = await open_socket(await sync_to_async(token_for)(viewer))

    await socket.send_json_to({"action": "subscribe", "topic": f"live.stream:{stream.pk}"})
    refused = await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")


async def test_the_viewer_count_follows_sockets_joining_and_leaving():
    _, stream = await sync_to_async(_live_stream)()
    watchers = [await sync_to_async(member)(username=f"eye{i}") for i in range(3)]
    sockets = [await _watch(await sync_to_async(token_for)(w), stream.pk) for w in watchers]

    async def counts_until(socket, wanted: int) -> list[int]:
        seen: list[int] = []
        while wanted not in seen:
            event = await socket.receive_json_from(timeout=10)
            if event["type"] == "live.viewers.updated":
                seen.append(event["data"]["viewers"])
        return seen

    rising = await counts_until(sockets[0], 3)
    await sockets[2].disconnect()
    falling = await counts_until(sockets[0], 2)
    for socket in sockets[:2]:
        await socket.disconnect()

    assert max(rising) == 3 and falling[-1] == 2
    assert (await sync_to_async(LiveStream.objects.get)(pk=stream.pk)).peak_viewers == 3


def test_a_process_that_dies_stops_counting_within_two_buckets(db):
    from chat.selectors.live import VIEWER_BUCKET_SECONDS, viewer_bucket, viewers_count
    from chat.services.live import viewers_report

    stream_id = 991
    start = viewer_bucket(time.time()) + 10  # buckets nobody else writes
    at = lambda bucket: (bucket + 0.5) * VIEWER_BUCKET_SECONDS  # noqa: E731
    # Two daphne processes report every bucket: 40 + 25 sockets.
    for bucket in (start, start + 1):
        viewers_report(stream_id, 40, bucket)
        viewers_report(stream_id, 25, bucket)
    assert viewers_count(stream_id, now=at(start + 2)) == 65
    # The second process dies; its last report fades and the count is the survivor's alone.
    viewers_report(stream_id, 40, start + 2)
    viewers_report(stream_id, 40, start + 3)
    assert viewers_count(stream_id, now=at(start + 3)) == 65  # one late bucket is forgiven
    assert viewers_count(stream_id, now=at(start + 4)) == 40
    # Everybody gone: nothing reports, nothing is shown.
    assert viewers_count(stream_id, now=at(start + 6)) == 0
