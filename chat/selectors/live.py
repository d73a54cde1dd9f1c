"""Reads of livestreams and their comments (public: anyone may look at a stream)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from chat.models import LiveComment, LiveMute, LiveStatus, LiveStream, LiveSubscription
from community.share_targets import ShareTarget

COMMENT_PAGE_MAX = 500


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


def live_comments(*, stream: LiveStream, after_seq: int = 0, limit: int = 200) -> list[LiveComment]:
    """Comments after ``after_seq`` ascending, with their offsets (gap fill and the replay)."""
    limit = max(1, min(limit, COMMENT_PAGE_MAX))
    return list(
        LiveComment.objects.filter(stream=stream, seq__gt=after_seq, deleted_at__isnull=True)
        .select_related("user")
        .order_by("seq")[:limit]
    )


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
