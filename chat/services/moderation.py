"""Chat's part of moderation (PRODUCT.md §15): what a submit point checks (sanctions, watched
words), and how the moderation core hides and restores a chat message or a live comment.

Hiding is soft and separate from deleting (``hidden_at`` beside ``deleted_at``): a restore puts
back what moderation took away and never what its author (or the host) deleted.

- A hidden message leaves its room for everyone but its sender: REST history, search, the room
  list's preview, the replay (a tombstone holds its seq). Open sockets get
  ``chat.message.deleted``; a restore pushes ``chat.message.edited`` with its content back.
- A hidden live comment leaves the comment list and the replay; the stream's sockets get
  ``live.comment.deleted``; a restore pushes it again in a one-comment ``live.comments.batch``.

Moderators read a private message only through the moderation item it is on (a report, or a
watched word that flagged it), with the messages around it as context: never by browsing.
"""

from django.db import transaction
from django.utils import timezone

from chat import events
from chat.models import LiveComment, Message, RoomKind
from chat.selectors.live import (
    live_comment_context,
    live_comment_preview,
    live_comment_visible_to,
    live_comments_load_many,
)
from chat.selectors.messages import (
    message_context,
    message_preview,
    message_visible_to,
    messages_load_many,
)
from community.models import ItemSource, WordAction
from community.selectors.moderatable import ModeratableType, register_moderatable
from community.services.moderation.reports import content_review_open
from community.services.moderation.sanctions import ensure_can_publish, ensure_not_suspended
from community.services.moderation.words import Screened
from realtime.publish import broadcast_on_commit

# --- at the submit points ---------------------------------------------------------------------


def publish_check(actor, *, room_kind: str | None = None) -> None:
    """403 ``sanctioned`` for a muted, suspended or banned member. A muted member may still
    write to the support desk (a mute silences them among members, not towards our agents)."""
    if room_kind == RoomKind.SUPPORT:
        ensure_not_suspended(actor)
    else:
        ensure_can_publish(actor)


def held(screened: Screened) -> bool:
    """Must the content be stored hidden until a moderator approves it?"""
    return screened.needs_review == WordAction.REQUIRE_APPROVAL


def review_open_if_watched(
    screened: Screened, *, target_type: str, target_id: int, author_id: int
) -> None:
    """Queue the content when a watched word asked for it (call inside the storing
    transaction): hidden when it waits for approval, published when it is only flagged."""
    if not screened.needs_review:
        return
    content_review_open(
        target_type=target_type,
        target_id=target_id,
        author_id=author_id,
        source=ItemSource.WATCHED_WORD,
        hidden=held(screened),
        note="watched words: " + ", ".join(screened.words),
    )


# --- messages -----------------------------------------------------------------------------------


def message_hide(message: Message) -> None:
    """Take a message out of its room for everyone but its sender; open sockets drop it."""
    now = timezone.now()
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, hidden_at__isnull=True).update(
            hidden_at=now
        )
        if not changed:
            return
        message.hidden_at = now
        if not message.is_deleted:
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.MESSAGE_DELETED,
                events.message_payload(message),
            )


def message_restore(message: Message) -> None:
    """Put a hidden message back; open sockets get it as an edit (a deleted one stays deleted)."""
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, hidden_at__isnull=False).update(
            hidden_at=None
        )
        message.hidden_at = None
        if changed and not message.is_deleted:
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.MESSAGE_EDITED,
                events.message_payload(message),
            )


# --- live comments ------------------------------------------------------------------------------


def live_comment_hide(comment: LiveComment) -> None:
    """Take a comment out of the stream's list and replay; viewers drop it at once."""
    now = timezone.now()
    with transaction.atomic():
        changed = LiveComment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
            hidden_at=now
        )
        if not changed:
            return
        comment.hidden_at = now
        if comment.deleted_at is None:
            broadcast_on_commit(
                events.live_topic(comment.stream_id),
                events.LIVE_COMMENT_DELETED,
                {"stream": comment.stream_id, "seq": comment.seq},
            )


def live_comment_restore(comment: LiveComment) -> None:
    """Put a hidden comment back. One the fan-out already passed over goes out again in a
    batch of its own; a later one is published by the fan-out as usual."""
    with transaction.atomic():
        changed = LiveComment.objects.filter(pk=comment.pk, hidden_at__isnull=False).update(
            hidden_at=None
        )
        comment.hidden_at = None
        flushed = LiveComment.objects.filter(
            pk=comment.pk, stream__flushed_seq__gte=comment.seq
        ).exists()
        if changed and comment.deleted_at is None and flushed:
            broadcast_on_commit(
                events.live_topic(comment.stream_id),
                events.LIVE_COMMENTS_BATCH,
                {
                    "stream": comment.stream_id,
                    "from_seq": comment.seq,
                    "to_seq": comment.seq,
                    "comments": [events.live_comment_payload(comment)],
                },
            )


def register_chat_moderatables() -> None:
    """Tell the moderation core how to load, show, hide and restore chat's content."""
    register_moderatable(
        ModeratableType(
            name="message",
            load_many=messages_load_many,
            author_id=lambda message: message.sender_id,
            visible_to=message_visible_to,
            hide=message_hide,
            restore=message_restore,
            preview=message_preview,
            context=message_context,
            is_hidden=lambda message: message.hidden_at is not None,
        )
    )
    register_moderatable(
        ModeratableType(
            name="live_comment",
            load_many=live_comments_load_many,
            author_id=lambda comment: comment.user_id,
            visible_to=live_comment_visible_to,
            hide=live_comment_hide,
            restore=live_comment_restore,
            preview=live_comment_preview,
            context=live_comment_context,
            is_hidden=lambda comment: comment.hidden_at is not None,
        )
    )
