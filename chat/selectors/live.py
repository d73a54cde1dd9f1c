"""Reads of livestreams and their comments (public: anyone may look at a stream), who may host
or moderate one, and the livestream numbers (PRODUCT.md §12; settings override the defaults)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from chat.models import LiveComment, LiveMute, LiveStatus, LiveStream, LiveSubscription
from community.models import Role
from community.selectors import can_moderate_content, user_roles
from community.selectors.social import ShareTarget

COMMENT_PAGE_MAX = 500


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def live_batch_interval_ms() -> int:
    """One live.comments.batch frame per stream at most this often (250 ms - 1 s)."""
    return max(250, min(1000, _setting("LIVE_COMMENT_BATCH_MS", 500)))


def live_likes_interval_seconds() -> int:
    return _setting("LIVE_LIKES_PUSH_SECONDS", 1)


def live_comment_max_length() -> int:
    return _setting("LIVE_COMMENT_MAX_LENGTH", 500)


def live_slow_mode_max_seconds() -> int:
    return _setting("LIVE_SLOW_MODE_MAX_SECONDS", 300)


def live_notify_batch_size() -> int:
    """Followers notified per task run when a stream goes live."""
    return _setting("LIVE_NOTIFY_BATCH_SIZE", 500)


def live_likes_per_request_max() -> int:
    return _setting("LIVE_LIKES_PER_REQUEST_MAX", 20)


def is_creator(user) -> bool:
    return user is not None and user.is_authenticated and Role.CREATOR in user_roles(user)


def can_moderate(user, stream: LiveStream) -> bool:
    """The host and moderators may delete comments, mute viewers."""
    return user is not None and (stream.host_id == user.pk or can_moderate_content(user))


def livestream_list(
    *, status: str | None = None, host_id: int | None = None
) -> QuerySet[LiveStream]:
    """Live first, then upcoming by start time, then ended (newest first)."""
    streams = LiveStream.objects.select_related("host", "pinned_product")
    if status:
        streams = streams.filter(status=status)
    if host_id is not None:
        streams = streams.filter(host_id=host_id)
    order = Case(
        When(status=LiveStatus.LIVE, then=Value(0)),
        When(status=LiveStatus.SCHEDULED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return streams.annotate(state_order=order).order_by("state_order", "starts_at", "-id")


# Cursor pagination keys on concrete columns (the cursor holds the first column's value), so the
# API cannot page livestream_list's computed state order. Its list is therefore split by status:
# by default what is on (live and upcoming) by start time, which puts streams that already started
# (live ones, unless a host went live ahead of schedule) before upcoming ones; the replays
# (?status=ended) newest first. starts_at is never null and id breaks ties.
LIVESTREAM_ON_ORDERING = ("starts_at", "id")
LIVESTREAM_ENDED_ORDERING = ("-starts_at", "-id")


def livestream_list_paged(*, status: str | None = None) -> QuerySet[LiveStream]:
    """The API's list, ordered on concrete columns only (see above)."""
    streams = LiveStream.objects.select_related("host", "pinned_product")
    if status == LiveStatus.ENDED:
        return streams.filter(status=status).order_by(*LIVESTREAM_ENDED_ORDERING)
    if status:
        return streams.filter(status=status).order_by(*LIVESTREAM_ON_ORDERING)
    return streams.exclude(status=LiveStatus.ENDED).order_by(*LIVESTREAM_ON_ORDERING)


def livestream_get(*, stream_id: int) -> LiveStream:
    return get_object_or_404(LiveStream.objects.select_related("host"), pk=stream_id)


def live_comments(
    *, stream: LiveStream, after_seq: int = 0, limit: int = 200, viewer_id: int | None = None
) -> list[LiveComment]:
    """Comments after ``after_seq`` ascending, with their offsets (gap fill and the replay).
    Comments hidden by moderation are left out, but for their own author (``viewer_id``)."""
    limit = max(1, min(limit, COMMENT_PAGE_MAX))
    shown = Q(hidden_at__isnull=True)
    if viewer_id is not None:
        shown |= Q(user_id=viewer_id)
    return list(
        LiveComment.objects.filter(stream=stream, seq__gt=after_seq, deleted_at__isnull=True)
        .filter(shown)
        .select_related("user")
        .order_by("seq")[:limit]
    )


# --- moderation ------------------------------------------------------------------------------


def live_comments_load_many(ids) -> dict[int, LiveComment]:
    """Comments by id with their stream and author, hidden and deleted ones included."""
    rows = LiveComment.objects.filter(pk__in=list(ids)).select_related("stream", "user")
    return {comment.pk: comment for comment in rows}


def live_comment_visible_to(comment: LiveComment, user) -> bool:
    """Streams are public: any member sees a comment that is neither deleted nor hidden (a
    hidden one only its author)."""
    if user is None or not user.is_authenticated or comment.deleted_at is not None:
        return False
    return comment.hidden_at is None or comment.user_id == user.pk


def live_comment_preview(comment: LiveComment) -> dict:
    return {
        "text": comment.body[:280],
        "author": comment.user.username,
        "url": f"/live/{comment.stream_id}/",
        "stream": comment.stream_id,
        "stream_title": comment.stream.title,
        "offset_seconds": comment.offset_seconds,
        "created_at": comment.created_at.isoformat(),
    }


def live_comment_context(comment: LiveComment, size: int = 5) -> list[dict]:
    """The comments just before and after it on the stream, and the comment itself."""
    around = LiveComment.objects.filter(stream_id=comment.stream_id).select_related("user")
    before = list(around.filter(seq__lt=comment.seq).order_by("-seq")[:size])[::-1]
    after = list(around.filter(seq__gt=comment.seq).order_by("seq")[:size])
    return [
        {
            "id": row.pk,
            "seq": row.seq,
            "sender": row.user.username,
            "body": row.body,
            "offset_seconds": row.offset_seconds,
            "created_at": row.created_at.isoformat(),
            "deleted": row.deleted_at is not None,
            "hidden": row.hidden_at is not None,
            "target": row.pk == comment.pk,
        }
        for row in [*before, comment, *after]
    ]


def is_muted(*, stream: LiveStream, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return LiveMute.objects.filter(stream=stream, user_id=user.pk).exists()


def is_subscribed(*, stream: LiveStream, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return LiveSubscription.objects.filter(stream=stream, user_id=user.pk).exists()


def livestream_share_target(stream_id: int) -> ShareTarget | None:
    """What a share link to a livestream lands on (every stream is public)."""
    stream = LiveStream.objects.filter(pk=stream_id).only("pk", "title", "host_id").first()
    if stream is None:
        return None
    return ShareTarget(url=f"/live/{stream.pk}/", title=stream.title, owner_id=stream.host_id)


# --- viewers: sockets watching a stream across every process, in short time buckets ---------

# Every flusher ticks at least once a second (LIVE_COMMENT_BATCH_MS <= 1000), so each process
# watching a stream reports into every bucket.
VIEWER_BUCKET_SECONDS = 2


def viewers_key(stream_id: int, bucket: int) -> str:
    return f"live:viewers:{stream_id}:{bucket}"


def viewer_bucket(now: float) -> int:
    return int(now // VIEWER_BUCKET_SECONDS)


def viewers_count(stream_id: int, now: float | None = None) -> int:
    """Sockets watching the stream across every process, as of the last complete buckets."""
    bucket = viewer_bucket(time.time() if now is None else now)
    counts = cache.get_many(
        [viewers_key(stream_id, bucket - 1), viewers_key(stream_id, bucket - 2)]
    )
    # The larger of two buckets forgives one report that came late; a dead process is gone
    # after two.
    return max((int(count) for count in counts.values()), default=0)
