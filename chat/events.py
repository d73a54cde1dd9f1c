"""Realtime event names and payloads of chat (payloads reuse the API output serializers).

Seq semantics on ``chat.room:<id>``: ``chat.message.created`` carries the message's room seq and is
the durable, gap-filled stream. ``chat.message.edited`` / ``chat.message.deleted`` carry ``seq:
null`` on the envelope (the message's seq is in ``data.seq``): re-using the message seq on the
envelope would make every client and the socket's own de-duplication drop them as duplicates. A
client applies them as updates of the message with that seq; one that was offline gets the current
state of every message from the replay or the REST window. ``chat.read.updated`` and
``chat.typing.started`` are ephemeral (``seq: null``) and may be dropped.

Moderation: hiding a message pushes ``chat.message.deleted`` (its content blanked, ``hidden:
true``) and restoring it ``chat.message.edited`` (its content back), so clients apply both as the
updates they already handle. A message stored hidden (a watched word asked for approval) is not
pushed at all; in the replay every hidden message keeps its seq as a ``chat.message.deleted``
tombstone for everyone but its sender, so no client waits for ever on a gap.
"""

from chat.api.messages.serializers import MessageSerializer
from chat.models import Message
from chat.selectors.messages import card_render, withheld_from

MESSAGE_CREATED = "chat.message.created"
MESSAGE_EDITED = "chat.message.edited"
MESSAGE_DELETED = "chat.message.deleted"
MESSAGE_ACCEPTED = "chat.message.accepted"
READ_UPDATED = "chat.read.updated"
TYPING_STARTED = "chat.typing.started"
REACTION_UPDATED = "chat.reaction.updated"
SUPPORT_UPDATED = "chat.support.updated"


def room_topic(room_id: int) -> str:
    return f"chat.room:{room_id}"


def message_payload(message: Message) -> dict:
    return dict(MessageSerializer(message).data)


def message_envelope(message: Message) -> dict:
    """The created event of a message as the replay sends it (its current state)."""
    return {
        "type": MESSAGE_CREATED,
        "topic": room_topic(message.room_id),
        "seq": message.seq,
        "data": message_payload(message),
    }


def message_replay_envelope(message: Message, viewer) -> dict:
    """A message in ``viewer``'s replay: its created event, or, hidden from the viewer, a
    deleted tombstone that holds its seq (clients update only messages they already have)."""
    if message.hidden_at is None:
        return message_envelope(message)
    if withheld_from(message, viewer):
        return {
            "type": MESSAGE_DELETED,
            "topic": room_topic(message.room_id),
            "seq": message.seq,
            "data": message_payload(message),
        }
    return {
        "type": MESSAGE_CREATED,
        "topic": room_topic(message.room_id),
        "seq": message.seq,
        "data": dict(MessageSerializer(message, context={"viewer": viewer}).data),
    }


def read_payload(*, room_id: int, user, last_read_seq: int) -> dict:
    return {
        "room": room_id,
        "user_id": user.pk,
        "username": user.username,
        "last_read_seq": last_read_seq,
    }


def typing_payload(*, room_id: int, user) -> dict:
    return {
        "room": room_id,
        "user_id": user.pk,
        "username": user.username,
        "display_name": user.public_name,
    }


def reaction_payload(message: Message, user, emoji: str, count: int, *, added: bool) -> dict:
    return {
        "room": message.room_id,
        "message": message.pk,
        "seq": message.seq,
        "emoji": emoji,
        "count": count,
        "user_id": user.pk,
        "action": "added" if added else "removed",
    }


def support_payload(conversation) -> dict:
    return {
        "id": conversation.pk,
        "room": conversation.room_id,
        "status": conversation.status,
        "agent": conversation.agent.username if conversation.agent_id else None,
    }


# --- livestreams ----------------------------------------------------------------------------------

LIVE_COMMENTS_BATCH = "live.comments.batch"
LIVE_COMMENT_DELETED = "live.comment.deleted"
LIVE_COMMENT_ACCEPTED = "live.comment.accepted"
LIVE_LIKES_UPDATED = "live.likes.updated"
LIVE_VIEWERS_UPDATED = "live.viewers.updated"
LIVE_PRODUCT_PINNED = "live.product.pinned"
LIVE_SLOW_MODE_UPDATED = "live.slow_mode.updated"
LIVE_VIEWER_MUTED = "live.viewer.muted"
LIVE_STARTED = "live.stream.started"
LIVE_ENDED = "live.stream.ended"
LIVE_DEAL_LAUNCHED = "live.deal.launched"


def live_topic(stream_id: int) -> str:
    return f"live.stream:{stream_id}"


def live_comment_payload(comment) -> dict:
    user = comment.user
    return {
        "id": comment.pk,
        "seq": comment.seq,
        "user": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.public_name,
        },
        "body": "" if comment.deleted_at else comment.body,
        "deleted": comment.deleted_at is not None,
        "offset_seconds": comment.offset_seconds,
        "created_at": comment.created_at.isoformat(),
    }


def pinned_payload(stream) -> dict:
    product = stream.pinned_product_id
    return {
        "stream": stream.pk,
        "product": card_render("product", product, None) if product is not None else None,
    }


def stream_state(stream) -> dict:
    return {
        "stream": stream.pk,
        "status": stream.status,
        "went_live_at": stream.went_live_at.isoformat() if stream.went_live_at else None,
        "ended_at": stream.ended_at.isoformat() if stream.ended_at else None,
    }
