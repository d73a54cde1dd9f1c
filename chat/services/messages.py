"""Every message write: messages with a per-room seq, reactions, edits and deletes, read state.

Each service owns its transaction; pushes and notification work leave only on commit.
"""

import math
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, FileField
from django.db.models.functions import Lower
from django.utils import timezone

from chat import events
from chat.exceptions import (
    ChatThrottledError,
    ClientMsgIdConflictError,
    ConversationClosedError,
    EditWindowPassedError,
    InvalidCardError,
    InvalidReplyError,
    MessageDeletedError,
    NotAMemberError,
    NotMessageSenderError,
    RoomPermissionDeniedError,
    UnknownCardKindError,
)
from chat.models import (
    MANAGER_ROLES,
    Message,
    MessageKind,
    Reaction,
    Room,
    RoomKind,
    RoomMember,
)
from chat.selectors.messages import (
    card_kinds,
    card_type,
    edit_window_seconds,
    flood_max_messages,
    flood_max_messages_new_account,
    flood_window_seconds,
    new_account_hours,
    shown_to,
)
from chat.selectors.rooms import (
    direct_peer_id,
    read_receipts_max_members,
    room_membership_require,
)
from chat.services.moderation import held, publish_check, review_open_if_watched
from community.exceptions import BlockedError
from community.models import User
from community.selectors import can_moderate_content
from community.selectors.accounts import process_image
from community.selectors.social import users_blocked_between
from community.services.insights.events import track
from community.services.moderation.words import text_screen
from realtime.publish import broadcast_on_commit, enqueue_on_commit

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
ALL_MENTION = "all"


def _flood_check(actor: User, room_id: int, client_msg_id: str) -> None:
    """At most N messages per window per user per room (fewer for new accounts).

    A sliding-window estimate over two fixed cache buckets: the previous bucket counts in
    proportion to how much of it still overlaps the window, so a burst across a bucket boundary
    is still limited.
    """
    window = flood_window_seconds()
    # Concurrent retries of one message count once: they can only ever make one message.
    seen = f"chat:flood:id:{actor.pk}:{client_msg_id}"
    if not cache.add(seen, 1, timeout=window * 2 + 1):
        return
    young = actor.date_joined > timezone.now() - timedelta(hours=new_account_hours())
    limit = flood_max_messages_new_account() if young else flood_max_messages()
    now = time.time()
    bucket, into = divmod(now, window)
    key = f"chat:flood:{actor.pk}:{room_id}:{int(bucket)}"
    previous = cache.get(f"chat:flood:{actor.pk}:{room_id}:{int(bucket) - 1}", 0)
    cache.add(key, 0, timeout=window * 2 + 1)
    try:
        current = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2 + 1)
        current = 1
    estimate = previous * (1 - into / window) + current
    if estimate > limit:
        # A refused message does not count against the next one, and its retry is checked again.
        cache.decr(key)
        cache.delete(seen)
        raise ChatThrottledError(retry_after=max(1, math.ceil(window - into)))


def _mentions(room: Room, actor_role: str, body: str) -> tuple[list[int], bool]:
    names = {name.rstrip(".").lower() for name in MENTION.findall(body)}
    mention_all = ALL_MENTION in names and actor_role in MANAGER_ROLES
    names.discard(ALL_MENTION)
    if not names:
        return [], mention_all
    ids = (
        RoomMember.objects.filter(room=room)
        .annotate(lower_name=Lower("user__username"))
        .filter(lower_name__in=names)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return list(ids), mention_all


def _append(
    *,
    room: Room,
    sender: User | None,
    client_msg_id: str,
    body: str = "",
    kind: str = MessageKind.TEXT,
    reply: Message | None = None,
    mentions: list[int] | None = None,
    mention_all: bool = False,
    reader: RoomMember | None = None,
    notify: bool = False,
    hidden_at: datetime | None = None,
    **fields,
) -> Message:
    """Insert a message with the room's next seq and push it on commit (inside a transaction).
    A message stored hidden (``hidden_at``: it waits for a moderator's approval) is neither
    pushed nor notified; the replay holds its seq for the others."""
    now = timezone.now()
    # The UPDATE takes the room row's lock until commit, so concurrent senders get consecutive
    # seqs in commit order, and a rollback gives its seq back.
    Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + 1, last_activity_at=now)
    seq = Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)
    message = Message.objects.create(
        room=room,
        seq=seq,
        kind=kind,
        sender=sender,
        body=body,
        reply_to=reply,
        mentions=mentions or [],
        mentions_all=mention_all,
        client_msg_id=client_msg_id,
        created_at=now,
        hidden_at=hidden_at,
        **fields,
    )
    # A new message has no reactions: saying so spares the push's serializer a query.
    message._prefetched_objects_cache = {"reactions": Reaction.objects.none()}  # type: ignore[attr-defined]
    if reader is not None:
        # Sending means having seen the room up to here.
        RoomMember.objects.filter(pk=reader.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
    if message.hidden_at is None:
        broadcast_on_commit(
            events.room_topic(room.pk),
            events.MESSAGE_CREATED,
            events.message_payload(message),
            seq=seq,
        )
        if notify:
            enqueue_on_commit("chat.tasks.message_notify", message.pk)
    room.last_seq = seq
    return message


def _retry_of(actor: User, room: Room, client_msg_id: str) -> Message | None:
    existing = Message.objects.filter(sender_id=actor.pk, client_msg_id=client_msg_id).first()
    if existing is not None and existing.room_id != room.pk:
        raise ClientMsgIdConflictError()
    return existing


def _may_send(actor: User, room: Room) -> RoomMember:
    membership = room_membership_require(room, actor.pk)
    if room.kind == RoomKind.DIRECT:
        peer_id = direct_peer_id(room, actor.pk)
        if peer_id is not None and users_blocked_between(actor.pk, peer_id):
            raise BlockedError()
    if room.kind == RoomKind.SUPPORT:
        closed = Room.objects.filter(pk=room.pk, support__status="closed").exists()
        if closed:
            raise ConversationClosedError()
    return membership


def _winner_after_race(actor: User, room: Room, client_msg_id: str) -> Message:
    """The same client_msg_id raced in from another request: answer with the winner."""
    winner = Message.objects.filter(sender_id=actor.pk, client_msg_id=client_msg_id).first()
    if winner is None:
        raise IntegrityError("message insert failed")
    if winner.room_id != room.pk:
        raise ClientMsgIdConflictError()
    return winner


def message_send(
    *,
    actor: User,
    room: Room,
    body: str,
    client_msg_id: str,
    reply_to: int | None = None,
    card: tuple[str, int] | None = None,
    throttle: bool = True,
    answer: bool = True,
) -> tuple[Message, bool]:
    """Append a message with the room's next seq and push it; False when it is a retry.

    Watched words apply: a blocked word refuses it, censored ones are masked, one asking for
    approval stores it hidden and queued, a flagged one publishes and queues it.
    ``answer=False`` skips the room kind's after-send hook (the caller answers itself)."""
    existing = _retry_of(actor, room, client_msg_id)
    if existing is not None:
        return existing, False
    publish_check(actor, room_kind=room.kind)
    membership = _may_send(actor, room)
    reply = None
    if reply_to is not None:
        reply = (
            Message.objects.filter(shown_to(actor.pk), pk=reply_to, room=room)
            .select_related("sender")
            .first()
        )
        if reply is None:
            raise InvalidReplyError()
    fields: dict = {}
    if card is not None:
        card_kind, card_ref = card
        card_def = card_type(card_kind)
        if card_def is None:
            raise UnknownCardKindError(fields={"card": [f"Kinds: {', '.join(card_kinds())}."]})
        if not card_def.can_share(card_ref, actor):
            raise InvalidCardError()
        fields = {"kind": MessageKind.CARD, "card_kind": card_kind, "card_ref": card_ref}
    screened = text_screen(body)
    if throttle:
        _flood_check(actor, room.pk, client_msg_id)
    mentions, mention_all = _mentions(room, membership.role, screened.text)
    try:
        with transaction.atomic(durable=True):
            message = _append(
                room=room,
                sender=actor,
                client_msg_id=client_msg_id,
                body=screened.text,
                reply=reply,
                mentions=mentions,
                mention_all=mention_all,
                reader=membership,
                notify=room.kind == RoomKind.DIRECT or bool(mentions) or mention_all,
                hidden_at=timezone.now() if held(screened) else None,
                **fields,
            )
            review_open_if_watched(
                screened, target_type="message", target_id=message.pk, author_id=actor.pk
            )
            track("chat_message", actor, _message_properties(room, message))
    except IntegrityError:
        return _winner_after_race(actor, room, client_msg_id), False
    hook = _after_send.get(room.kind)
    if hook is not None and answer:
        hook(message)
    return message, True


def _message_properties(room: Room, message: Message) -> dict:
    return {"room_id": room.pk, "room_kind": room.kind, "message_kind": message.kind}


# What a room kind does after a member's message is stored (the support bot answers). A registry,
# because the support desk builds on these services and must not be imported by them.
AfterSend = Callable[[Message], None]
_after_send: dict[str, AfterSend] = {}


def register_after_send(kind: str, hook: AfterSend) -> None:
    _after_send[kind] = hook


IMAGE_MAX_SIDE = 2048
THUMBNAIL_MAX_SIDE = 360


def message_send_image(
    *, actor: User, room: Room, image, client_msg_id: str, body: str = "", throttle: bool = True
) -> tuple[Message, bool]:
    """An image message: validated, re-encoded and thumbnailed before anything is stored; its
    caption is screened like any message."""
    existing = _retry_of(actor, room, client_msg_id)
    if existing is not None:
        return existing, False
    publish_check(actor, room_kind=room.kind)
    _may_send(actor, room)
    screened = text_screen(body)
    # Raises invalid_image / image_too_large before a row or a file exists.
    full = process_image(image, max_side=IMAGE_MAX_SIDE)
    thumb = process_image(full.content, max_side=THUMBNAIL_MAX_SIDE)
    if throttle:
        _flood_check(actor, room.pk, client_msg_id)
    membership = room_membership_require(room, actor.pk)
    name = f"{actor.pk}-{client_msg_id}"[:60]
    # The files are written first, by name, so that whatever stops the row (a twin of this
    # request winning the client_msg_id race, any error) can take them away again.
    written: list[tuple] = []
    for field_name, processed in (("image", full), ("thumbnail", thumb)):
        field = cast(FileField, Message._meta.get_field(field_name))
        stored = field.storage.save(
            field.generate_filename(None, f"{name}.{processed.extension}"), processed.content
        )
        written.append((field.storage, stored))
    try:
        with transaction.atomic(durable=True):
            message = _append(
                room=room,
                sender=actor,
                client_msg_id=client_msg_id,
                body=screened.text,
                kind=MessageKind.IMAGE,
                reader=membership,
                notify=room.kind == RoomKind.DIRECT,
                image=written[0][1],
                thumbnail=written[1][1],
                image_width=full.width,
                image_height=full.height,
                hidden_at=timezone.now() if held(screened) else None,
            )
            review_open_if_watched(
                screened, target_type="message", target_id=message.pk, author_id=actor.pk
            )
            track("chat_message", actor, _message_properties(room, message))
    except BaseException as exc:
        for storage, stored in written:
            storage.delete(stored)
        if isinstance(exc, IntegrityError):
            return _winner_after_race(actor, room, client_msg_id), False
        raise
    return message, True


def message_post_bot(*, room: Room, body: str, key: str) -> Message:
    """A message of the support bot (no sender); ``key`` makes it idempotent per room."""
    client_msg_id = f"bot:{room.pk}:{key}"[:64]
    existing = Message.objects.filter(room=room, sender__isnull=True, client_msg_id=client_msg_id)
    found = existing.first()
    if found is not None:
        return found
    with transaction.atomic():
        return _append(room=room, sender=None, client_msg_id=client_msg_id, body=body, kind="bot")


# --- reactions --------------------------------------------------------------------------------


def _reaction_count(message: Message, emoji: str) -> int:
    return Reaction.objects.filter(message=message, emoji=emoji).count()


def reaction_add(*, actor: User, message: Message, emoji: str) -> tuple[int, bool]:
    """React to a message (once per emoji per person); returns the emoji's count and whether
    this added it."""
    room_membership_require(message.room, actor.pk)
    if message.is_deleted:
        raise MessageDeletedError()
    try:
        with transaction.atomic(durable=True):
            Reaction.objects.create(message=message, user=actor, emoji=emoji)
            count = _reaction_count(message, emoji)
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.REACTION_UPDATED,
                events.reaction_payload(message, actor, emoji, count, added=True),
            )
    except IntegrityError:  # the unique key: already reacted with this emoji
        return _reaction_count(message, emoji), False
    return count, True


def reaction_remove(*, actor: User, message: Message, emoji: str) -> int:
    """Take one's reaction back (a no-op when there is none); returns the emoji's count."""
    room_membership_require(message.room, actor.pk)
    with transaction.atomic(durable=True):
        removed, _ = Reaction.objects.filter(message=message, user=actor, emoji=emoji).delete()
        count = _reaction_count(message, emoji)
        if removed:
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.REACTION_UPDATED,
                events.reaction_payload(message, actor, emoji, count, added=False),
            )
    return count


def message_edit(*, actor: User, message: Message, body: str) -> Message:
    """The sender rewrites their message within the edit window (15 minutes); the new text is
    screened like a new message (a word asking for approval hides it until a moderator
    approves)."""
    if message.sender_id != actor.pk:
        raise NotMessageSenderError()
    publish_check(actor, room_kind=message.room.kind)
    room_membership_require(message.room, actor.pk)
    if message.is_deleted:
        raise MessageDeletedError()
    now = timezone.now()
    if now - message.created_at > timedelta(seconds=edit_window_seconds()):
        raise EditWindowPassedError()
    screened = text_screen(body)
    hide_now = held(screened) and message.hidden_at is None
    changes: dict = {"body": screened.text, "edited_at": now}
    if hide_now:
        changes["hidden_at"] = now
    with transaction.atomic(durable=True):
        changed = Message.objects.filter(pk=message.pk, deleted_at__isnull=True).update(**changes)
        if not changed:
            raise MessageDeletedError()
        message.body, message.edited_at = screened.text, now
        if hide_now:
            message.hidden_at = now
        review_open_if_watched(
            screened, target_type="message", target_id=message.pk, author_id=actor.pk
        )
        if hide_now or message.hidden_at is None:
            # Hidden now: the others drop it. Hidden before: they do not have it to update.
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.MESSAGE_DELETED if hide_now else events.MESSAGE_EDITED,
                events.message_payload(message),
            )
    return message


def message_delete(*, actor: User, message: Message) -> Message:
    """Delete a message (kept for moderation, shown as deleted): the sender, a room owner/admin
    or a moderator may; deleting twice is a no-op."""
    membership = RoomMember.objects.filter(room_id=message.room_id, user_id=actor.pk).first()
    is_moderator = can_moderate_content(actor)
    if membership is None and not is_moderator:
        raise NotAMemberError()
    allowed = (
        message.sender_id == actor.pk
        or (membership is not None and membership.role in MANAGER_ROLES)
        or is_moderator
    )
    if not allowed:
        raise RoomPermissionDeniedError("Only the sender, room admins or moderators may delete.")
    if message.is_deleted:
        return message
    now = timezone.now()
    with transaction.atomic(durable=True):
        changed = Message.objects.filter(pk=message.pk, deleted_at__isnull=True).update(
            deleted_at=now
        )
        message.deleted_at = now
        if changed:
            broadcast_on_commit(
                events.room_topic(message.room_id),
                events.MESSAGE_DELETED,
                events.message_payload(message),
            )
    return message


def messages_soft_delete(*, actor: User, message_ids: list[int]) -> int:
    """Staff tooling: mark messages deleted and tell their rooms; returns how many changed."""
    count = 0
    for message in Message.objects.filter(
        pk__in=message_ids, deleted_at__isnull=True
    ).select_related("room", "sender", "reply_to__sender"):
        message_delete(actor=actor, message=message)
        count += 1
    return count


# --- read state -------------------------------------------------------------------------------


def room_mark_read(*, actor: User, room: Room, seq: int) -> int:
    """Move the member's read mark forward to ``seq`` (never back); returns the mark now set."""
    with transaction.atomic(durable=True):
        last_seq = Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)
        target = min(seq, last_seq)
        changed = RoomMember.objects.filter(
            room=room, user_id=actor.pk, last_read_seq__lt=target
        ).update(last_read_seq=target)
        membership = room_membership_require(room, actor.pk)
        if changed and RoomMember.objects.filter(room=room).count() <= (
            read_receipts_max_members()
        ):
            broadcast_on_commit(
                events.room_topic(room.pk),
                events.READ_UPDATED,
                events.read_payload(
                    room_id=room.pk, user=actor, last_read_seq=membership.last_read_seq
                ),
            )
    return membership.last_read_seq
