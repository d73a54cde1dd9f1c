"""Batched fan-out of livestream comments, likes and viewer counts.

Every process that has at least one socket watching ``live.stream:<id>`` runs one asyncio task
for that stream (started by the topic's ``on_join`` hook, cancelled by the last ``on_leave``). The
task wakes every ``LIVE_COMMENT_BATCH_MS`` and:

* comments: claims the range ``(flushed_seq, last_comment_seq]`` with a conditional UPDATE and
  publishes it as ONE ``live.comments.batch`` frame to the topic. The claim makes each comment
  go out in exactly one batch even when several daphne processes flush the same stream (Redis
  mode); a per-window cache key keeps it to one frame per window across processes.
* viewers: adds this process's own count of watching sockets to the current
  ``VIEWER_BUCKET_SECONDS`` bucket, once per bucket. The count shown is the larger of the last two
  complete buckets, so a process that dies stops counting within a few seconds instead of leaving
  its viewers in a shared counter for ever.
* likes and viewers: at most once a second (a per-second cache key across processes), persists
  the cached like taps and pushes ``live.likes.updated`` / ``live.viewers.updated`` when they
  changed.

Why here and not in Celery or in the request: the flusher must publish from where the channel
layer lives. In the embedded mode the in-memory layer exists only inside daphne, so a task in
daphne's event loop is the one place that works in both modes; comments posted over REST on
gunicorn are picked up from the database, so no per-comment message crosses the channel layer at
all. A stream nobody watches through a process costs that process nothing.
"""

import asyncio
import time

import structlog
from channels.db import database_sync_to_async
from django.core.cache import cache

from chat import events, limits
from chat.models import LiveComment, LiveStream
from chat.services.live import live_likes_persist
from realtime.publish import broadcast_async

log = structlog.get_logger(__name__)

BATCH_MAX_COMMENTS = 500

_local_viewers: dict[int, int] = {}
_flushers: dict[int, asyncio.Task] = {}


# Every flusher ticks at least once a second (LIVE_COMMENT_BATCH_MS <= 1000), so each process
# watching a stream reports into every bucket.
VIEWER_BUCKET_SECONDS = 2


def _viewers_key(stream_id: int, bucket: int) -> str:
    return f"live:viewers:{stream_id}:{bucket}"


def viewer_bucket(now: float) -> int:
    return int(now // VIEWER_BUCKET_SECONDS)


def viewers_count(stream_id: int, now: float | None = None) -> int:
    """Sockets watching the stream across every process, as of the last complete buckets."""
    bucket = viewer_bucket(time.time() if now is None else now)
    counts = cache.get_many(
        [_viewers_key(stream_id, bucket - 1), _viewers_key(stream_id, bucket - 2)]
    )
    # The larger of two buckets forgives one report that came late; a dead process is gone
    # after two.
    return max((int(count) for count in counts.values()), default=0)


def viewers_report(stream_id: int, watching: int, bucket: int) -> None:
    """Add this process's watching sockets to a bucket; the caller reports once per bucket."""
    if watching <= 0:
        return
    key = _viewers_key(stream_id, bucket)
    timeout = VIEWER_BUCKET_SECONDS * 4
    cache.add(key, 0, timeout=timeout)
    try:
        cache.incr(key, watching)
    except ValueError:  # expired between the two calls: only possible for a bucket long past
        cache.add(key, watching, timeout=timeout)


def collect_comments(stream_id: int) -> list[dict] | None:
    """Claim the unpublished comments of a stream and return them (None when nothing is new or
    another process claimed them)."""
    row = LiveStream.objects.filter(pk=stream_id).values("last_comment_seq", "flushed_seq").first()
    if row is None or row["last_comment_seq"] <= row["flushed_seq"]:
        return None
    start, end = row["flushed_seq"], row["last_comment_seq"]
    claimed = LiveStream.objects.filter(pk=stream_id, flushed_seq=start).update(flushed_seq=end)
    if not claimed:
        return None
    comments = (
        LiveComment.objects.filter(
            stream_id=stream_id, seq__gt=max(start, end - BATCH_MAX_COMMENTS), seq__lte=end
        )
        .filter(deleted_at__isnull=True)
        .select_related("user")
        .order_by("seq")
    )
    return [events.live_comment_payload(comment) for comment in comments]


def _tick(
    stream_id: int, interval_ms: int, watching: int, report_bucket: int | None
) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    now = time.time()
    if report_bucket is not None:
        viewers_report(stream_id, watching, report_bucket)
    window = int(now * 1000) // interval_ms
    if cache.add(f"live:flush:{stream_id}:{window}", 1, timeout=5):
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
    if cache.add(f"live:counters:{stream_id}", 1, timeout=limits.live_likes_interval_seconds()):
        likes = live_likes_persist(stream_id=stream_id)
        viewers = viewers_count(stream_id)
        last = cache.get(f"live:counters:last:{stream_id}") or {}
        if likes != last.get("likes"):
            out.append((events.LIVE_LIKES_UPDATED, {"stream": stream_id, "likes": likes}))
        if viewers != last.get("viewers"):
            out.append((events.LIVE_VIEWERS_UPDATED, {"stream": stream_id, "viewers": viewers}))
            LiveStream.objects.filter(pk=stream_id, peak_viewers__lt=viewers).update(
                peak_viewers=viewers
            )
        cache.set(
            f"live:counters:last:{stream_id}", {"likes": likes, "viewers": viewers}, timeout=3600
        )
    return out


async def _run(stream_id: int) -> None:
    interval_ms = limits.live_batch_interval_ms()
    topic = events.live_topic(stream_id)
    reported_bucket = None
    try:
        while True:
            await asyncio.sleep(interval_ms / 1000)
            watching = _local_viewers.get(stream_id, 0)
            if not watching:
                # Nobody here watches any more. The flusher stops between ticks, never inside
                # one: a tick that claimed a batch always publishes it (viewers in other
                # processes may be waiting for it).
                return
            bucket = viewer_bucket(time.time())
            report_bucket = None if bucket == reported_bucket else bucket
            reported_bucket = bucket
            try:
                out = await database_sync_to_async(_tick)(
                    stream_id, interval_ms, watching, report_bucket
                )
                for event_type, data in out:
                    await broadcast_async(topic, event_type, data)
            except Exception:
                log.exception("live.flush_failed", stream_id=stream_id)
    finally:
        if _flushers.get(stream_id) is asyncio.current_task():
            _flushers.pop(stream_id, None)


async def on_join(connection, argument: str) -> None:
    stream_id = int(argument)
    _local_viewers[stream_id] = _local_viewers.get(stream_id, 0) + 1
    task = _flushers.get(stream_id)
    if task is None or task.done():
        _flushers[stream_id] = asyncio.get_running_loop().create_task(_run(stream_id))


async def on_leave(connection, argument: str) -> None:
    stream_id = int(argument)
    left = _local_viewers.get(stream_id, 1) - 1
    if left > 0:
        _local_viewers[stream_id] = left
        return
    _local_viewers.pop(stream_id, None)  # the flusher sees it and stops after its current tick


async def flush_now(stream_id: int) -> None:
    """Tests and tooling: run one tick immediately (viewers are left to the running flusher)."""
    out = await database_sync_to_async(_tick)(
        stream_id, limits.live_batch_interval_ms(), _local_viewers.get(stream_id, 0), None
    )
    for event_type, data in out:
        await broadcast_async(events.live_topic(stream_id), event_type, data)
