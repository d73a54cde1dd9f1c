"""Livestreams: schedule, go live, end; comments with a per-stream seq; likes; moderation.

Comments are not pushed one by one: ``live_comment_post`` only persists (seq assigned in the
transaction) and ``chat.realtime``'s coalesced fan-out publishes them in batches. Likes are counted in the cache
and persisted by ``live_likes_persist`` (the flusher every second, a sweeper every minute).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chat import events
from chat.exceptions import (
    MutedError,
    NotACreatorError,
    NotTheHostError,
    SlowModeError,
    StreamNotLiveError,
    StreamStateError,
)
from chat.models import LiveComment, LiveMute, LiveStatus, LiveStream, LiveSubscription
from chat.selectors.live import (
    VIEWER_BUCKET_SECONDS,
    can_moderate,
    is_creator,
    viewers_key,
)
from chat.services.moderation import held, publish_check, review_open_if_watched
from community.models import User
from community.selectors.accounts import process_image
from community.services.moderation.words import text_screen
from groupbuy.services import campaign_launch_live, flash_sale_launch_live
from realtime.publish import broadcast_on_commit, enqueue_on_commit, send_to_user_on_commit

COVER_MAX_SIDE = 1280


def _topic(stream: LiveStream) -> str:
    return events.live_topic(stream.pk)


def livestream_create(
    *, actor: User, title: str, starts_at: datetime, stream_url: str, cover=None
) -> LiveStream:
    """A creator schedules a livestream (the cover goes through the image pipeline)."""
    if not is_creator(actor):
        raise NotACreatorError()
    processed = process_image(cover, max_side=COVER_MAX_SIDE) if cover is not None else None
    stream = LiveStream(host=actor, title=title, starts_at=starts_at, stream_url=stream_url)
    if processed is not None:
        stream.cover.save(f"{actor.pk}.{processed.extension}", processed.content, save=False)
    stream.save()
    return stream


def livestream_update(
    *,
    actor: User,
    stream: LiveStream,
    slow_mode_seconds: int | None = None,
    pinned_product_id: int | None = None,
    unpin: bool = False,
    title: str | None = None,
) -> LiveStream:
    """The host sets slow mode, pins (or unpins) a product, retitles the stream."""
    if stream.host_id != actor.pk:
        raise NotTheHostError()
    changes: dict = {}
    if title is not None:
        changes["title"] = title
    if slow_mode_seconds is not None and slow_mode_seconds != stream.slow_mode_seconds:
        changes["slow_mode_seconds"] = slow_mode_seconds
    if unpin and stream.pinned_product_id is not None:
        changes["pinned_product_id"] = None
    elif pinned_product_id is not None and pinned_product_id != stream.pinned_product_id:
        changes["pinned_product_id"] = pinned_product_id
    if not changes:
        return stream
    with transaction.atomic(durable=True):
        LiveStream.objects.filter(pk=stream.pk).update(**changes)
        stream.refresh_from_db()
        if "slow_mode_seconds" in changes:
            broadcast_on_commit(
                _topic(stream),
                events.LIVE_SLOW_MODE_UPDATED,
                {"stream": stream.pk, "slow_mode_seconds": stream.slow_mode_seconds},
            )
        if "pinned_product_id" in changes:
            broadcast_on_commit(
                _topic(stream), events.LIVE_PRODUCT_PINNED, events.pinned_payload(stream)
            )
    return stream


def live_product_unpin_everywhere(*, product_id: int) -> int:
    """A product moderation hid leaves every stream that pins it: open live pages drop its card
    (``live.product.pinned`` with ``product`` null). Restoring it re-pins nothing: the host
    decides that. Returns how many streams were unpinned."""
    with transaction.atomic():
        stream_ids = list(
            LiveStream.objects.select_for_update()
            .filter(pinned_product_id=product_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        LiveStream.objects.filter(pk__in=stream_ids).update(pinned_product=None)
        for stream_id in stream_ids:
            broadcast_on_commit(
                events.live_topic(stream_id),
                events.LIVE_PRODUCT_PINNED,
                {"stream": stream_id, "product": None},
            )
    return len(stream_ids)


def livestream_start(*, actor: User, stream: LiveStream) -> LiveStream:
    """Go live (host); followers are notified in batches by a task."""
    if stream.host_id != actor.pk:
        raise NotTheHostError()
    now = timezone.now()
    with transaction.atomic(durable=True):
        started = LiveStream.objects.filter(pk=stream.pk, status=LiveStatus.SCHEDULED).update(
            status=LiveStatus.LIVE, went_live_at=now
        )
        stream.refresh_from_db()
        if not started:
            raise StreamStateError("Only a scheduled stream can go live.")
        broadcast_on_commit(_topic(stream), events.LIVE_STARTED, events.stream_state(stream))
        enqueue_on_commit("chat.tasks.livestream_notify_followers", stream.pk)
    return stream


def livestream_end(*, actor: User, stream: LiveStream) -> LiveStream:
    """End the stream (host); its comments stay for the replay."""
    if stream.host_id != actor.pk:
        raise NotTheHostError()
    with transaction.atomic(durable=True):
        ended = LiveStream.objects.filter(pk=stream.pk, status=LiveStatus.LIVE).update(
            status=LiveStatus.ENDED, ended_at=timezone.now()
        )
        stream.refresh_from_db()
        if not ended:
            raise StreamStateError("Only a live stream can end.")
        broadcast_on_commit(_topic(stream), events.LIVE_ENDED, events.stream_state(stream))
    live_likes_persist(stream_id=stream.pk)
    return stream


# --- comments -------------------------------------------------------------------------------------


def _slow_mode_check(actor: User, stream: LiveStream) -> None:
    seconds = stream.slow_mode_seconds
    if not seconds or can_moderate(actor, stream):
        return
    # cache.add is atomic: of two quick comments only the first gets the slot.
    if not cache.add(f"live:slow:{stream.pk}:{actor.pk}", 1, timeout=seconds):
        raise SlowModeError(retry_after=seconds)


def live_comment_post(
    *, actor: User, stream: LiveStream, body: str, client_msg_id: str
) -> tuple[LiveComment, bool]:
    """Persist a comment with the stream's next seq; the fan-out flusher publishes it in a batch.
    False when it is a retry of the same ``client_msg_id``. Watched words apply (a comment
    waiting for approval is stored hidden: the fan-out skips it)."""
    existing = LiveComment.objects.filter(
        stream=stream, user=actor, client_msg_id=client_msg_id
    ).first()
    if existing is not None:
        return existing, False
    publish_check(actor)
    if stream.status != LiveStatus.LIVE:
        raise StreamNotLiveError()
    if LiveMute.objects.filter(stream=stream, user=actor).exists():
        raise MutedError()
    screened = text_screen(body)
    _slow_mode_check(actor, stream)
    now = timezone.now()
    offset = int((now - stream.went_live_at).total_seconds()) if stream.went_live_at else 0
    try:
        with transaction.atomic(durable=True):
            LiveStream.objects.filter(pk=stream.pk).update(
                last_comment_seq=F("last_comment_seq") + 1
            )
            seq = LiveStream.objects.values_list("last_comment_seq", flat=True).get(pk=stream.pk)
            comment = LiveComment.objects.create(
                stream=stream,
                seq=seq,
                user=actor,
                body=screened.text,
                client_msg_id=client_msg_id,
                offset_seconds=max(0, offset),
                created_at=now,
                hidden_at=now if held(screened) else None,
            )
            review_open_if_watched(
                screened, target_type="live_comment", target_id=comment.pk, author_id=actor.pk
            )
    except IntegrityError:
        winner = LiveComment.objects.filter(
            stream=stream, user=actor, client_msg_id=client_msg_id
        ).first()
        if winner is None:
            raise
        return winner, False
    return comment, True


def live_comment_delete(*, actor: User, stream: LiveStream, seq: int) -> bool:
    """The host or a moderator removes a comment; viewers drop it at once."""
    if not can_moderate(actor, stream):
        raise NotTheHostError()
    with transaction.atomic(durable=True):
        changed = LiveComment.objects.filter(
            stream=stream, seq=seq, deleted_at__isnull=True
        ).update(deleted_at=timezone.now())
        if changed:
            broadcast_on_commit(
                _topic(stream), events.LIVE_COMMENT_DELETED, {"stream": stream.pk, "seq": seq}
            )
    return bool(changed)


def live_subscribe(*, actor: User, stream: LiveStream) -> bool:
    """Ask to be told when the stream goes live; asking again changes nothing (False)."""
    if stream.status != LiveStatus.SCHEDULED:
        raise StreamStateError("Only a scheduled stream can be subscribed to.")
    _, created = LiveSubscription.objects.get_or_create(stream=stream, user=actor)
    return created


def live_unsubscribe(*, actor: User, stream: LiveStream) -> bool:
    """Withdraw a go-live subscription (False when there was none)."""
    removed, _ = LiveSubscription.objects.filter(stream=stream, user=actor).delete()
    return bool(removed)


def live_mute(*, actor: User, stream: LiveStream, user: User) -> bool:
    """The host or a moderator mutes a viewer in this stream (idempotent)."""
    if not can_moderate(actor, stream):
        raise NotTheHostError()
    if user.pk == stream.host_id:
        raise StreamStateError("The host cannot be muted.")
    with transaction.atomic(durable=True):
        _, created = LiveMute.objects.get_or_create(
            stream=stream, user=user, defaults={"muted_by": actor}
        )
        if created:
            send_to_user_on_commit(
                user.pk, events.LIVE_VIEWER_MUTED, {"stream": stream.pk, "muted": True}
            )
    return created


def live_unmute(*, actor: User, stream: LiveStream, user: User) -> bool:
    if not can_moderate(actor, stream):
        raise NotTheHostError()
    with transaction.atomic(durable=True):
        removed, _ = LiveMute.objects.filter(stream=stream, user=user).delete()
        if removed:
            send_to_user_on_commit(
                user.pk, events.LIVE_VIEWER_MUTED, {"stream": stream.pk, "muted": False}
            )
    return bool(removed)


# --- likes ----------------------------------------------------------------------------------------


def _pending_key(stream_id: int) -> str:
    return f"live:likes:pending:{stream_id}"


def live_like(*, actor: User, stream: LiveStream, count: int = 1) -> int:
    """Add taps to the stream's like counter (cache first, persisted within a second or so);
    returns the total as the viewer should see it."""
    if stream.status != LiveStatus.LIVE:
        raise StreamNotLiveError()
    key = _pending_key(stream.pk)
    cache.add(key, 0, timeout=None)
    try:
        pending = cache.incr(key, count)
    except ValueError:  # evicted between add and incr
        cache.set(key, count, timeout=None)
        pending = count
    return stream.likes_count + pending


def live_likes_total(stream: LiveStream) -> int:
    return stream.likes_count + max(0, int(cache.get(_pending_key(stream.pk), 0)))


def live_likes_persist(*, stream_id: int) -> int:
    """Move the cached taps into the row; safe when several processes do it at once. Returns
    the persisted total."""
    key = _pending_key(stream_id)
    pending = int(cache.get(key, 0) or 0)
    if pending > 0:
        left: int | None
        try:
            left = cache.decr(key, pending)
        except ValueError:  # the key vanished: nothing to move
            left = None
        if left is None or left < 0:
            # Somebody else moved these taps first: give back what we took and move nothing.
            if left is not None:
                cache.incr(key, pending)
            pending = 0
    if pending:
        LiveStream.objects.filter(pk=stream_id).update(likes_count=F("likes_count") + pending)
    return (
        LiveStream.objects.filter(pk=stream_id).values_list("likes_count", flat=True).first() or 0
    )


def live_deal_launch(
    *,
    actor: User,
    stream: LiveStream,
    kind: str,
    product_id: int,
    price: Decimal,
    stock: int,
    minutes: int,
    per_user_limit: int = 1,
    team_size: int = 2,
) -> dict:
    """The host launches a flash sale or a group buy during the live stream; viewers get a banner
    and the product is pinned."""
    if stream.host_id != actor.pk:
        raise NotTheHostError()
    if stream.status != LiveStatus.LIVE:
        raise StreamStateError("Deals are launched while the stream is live.")
    terms: dict[str, Any] = {
        "host": actor,
        "livestream_id": stream.pk,
        "product_id": product_id,
        "price": price,
        "stock": stock,
        "minutes": minutes,
        "per_user_limit": per_user_limit,
    }
    with transaction.atomic():
        if kind == "flash_sale":
            sale = flash_sale_launch_live(**terms)
            deal = {"kind": kind, "id": sale.pk, "url": f"/flash-sales/{sale.pk}/"}
            ends_at, deal_price = sale.ends_at, sale.price
        else:
            campaign = campaign_launch_live(**terms, team_size=team_size)
            deal = {"kind": kind, "id": campaign.pk, "url": f"/campaigns/{campaign.pk}/"}
            ends_at, deal_price = campaign.ends_at, campaign.group_price
        LiveStream.objects.filter(pk=stream.pk).update(pinned_product_id=product_id)
        stream.pinned_product_id = product_id
        deal.update(
            {
                "stream": stream.pk,
                "product": product_id,
                "price": str(deal_price),
                "ends_at": ends_at.isoformat(),
            }
        )
        broadcast_on_commit(_topic(stream), events.LIVE_DEAL_LAUNCHED, deal)
        broadcast_on_commit(
            _topic(stream), events.LIVE_PRODUCT_PINNED, events.pinned_payload(stream)
        )
    return deal


# --- the batched fan-out's writes (called from chat.realtime's flusher) -----------------------

BATCH_MAX_COMMENTS = 500


def viewers_report(stream_id: int, watching: int, bucket: int) -> None:
    """Add this process's watching sockets to a bucket; the caller reports once per bucket."""
    if watching <= 0:
        return
    key = viewers_key(stream_id, bucket)
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
        .filter(deleted_at__isnull=True, hidden_at__isnull=True)
        .select_related("user")
        .order_by("seq")
    )
    return [events.live_comment_payload(comment) for comment in comments]


def live_peak_viewers_record(*, stream_id: int, viewers: int) -> None:
    """Raise the stream's peak audience when more sockets watch than ever before."""
    LiveStream.objects.filter(pk=stream_id, peak_viewers__lt=viewers).update(peak_viewers=viewers)
