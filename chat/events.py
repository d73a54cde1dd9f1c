"""Realtime event names and payloads of chat (payloads reuse the API output serializers).

Seq semantics on ``chat.room:<id>``: ``chat.message.created`` carries the message's room seq and is
the durable, gap-filled stream. ``chat.message.edited`` / ``chat.message.deleted`` carry ``seq:
null`` on the envelope (the message's seq is in ``data.seq``): re-using the message seq on the
envelope would make every client and the socket's own de-duplication drop them as duplicates. A
client applies them as updates of the message with that seq; one that was offline gets the current
state of every message from the replay or the REST window. ``chat.read.updated`` and
``chat.typing.started`` are ephemeral (``seq: null``) and may be dropped.
"""

from chat.api.serializers import MessageSerializer
from chat.models import Message

MESSAGE_CREATED = "chat.message.created"
MESSAGE_EDITED = "chat.message.edited"
MESSAGE_DELETED = "chat.message.deleted"
MESSAGE_ACCEPTED = "chat.message.accepted"
READ_UPDATED = "chat.read.updated"
TYPING_STARTED = "chat.typing.started"


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
