from chat.models.live import LiveComment, LiveMute, LiveStatus, LiveStream, LiveSubscription
from chat.models.messages import (
    MESSAGE_MAX_LENGTH,
    REACTION_MAX_LENGTH,
    Message,
    MessageKind,
    Reaction,
)
from chat.models.rooms import (
    MANAGER_ROLES,
    ROOM_TITLE_MAX_LENGTH,
    Room,
    RoomKind,
    RoomMember,
    RoomRole,
    direct_key_for,
)
from chat.models.support import (
    FaqEntry,
    Feedback,
    FeedbackStatus,
    SupportConversation,
    SupportStatus,
)

__all__ = [
    "MANAGER_ROLES",
    "MESSAGE_MAX_LENGTH",
    "REACTION_MAX_LENGTH",
    "ROOM_TITLE_MAX_LENGTH",
    "FaqEntry",
    "Feedback",
    "FeedbackStatus",
    "LiveComment",
    "LiveMute",
    "LiveStatus",
    "LiveStream",
    "LiveSubscription",
    "Message",
    "MessageKind",
    "Reaction",
    "Room",
    "RoomKind",
    "RoomMember",
    "RoomRole",
    "SupportConversation",
    "SupportStatus",
    "direct_key_for",
]
