"""Chat's writes by topic; the room and message services are re-exported for their many callers."""

from chat.services.messages import (
    message_delete,
    message_edit,
    message_post_bot,
    message_send,
    message_send_image,
    messages_soft_delete,
    reaction_add,
    reaction_remove,
    register_after_send,
    room_mark_read,
)
from chat.services.rooms import (
    room_community_ensure,
    room_community_member_sync,
    room_direct_get_or_create,
    room_group_create,
    room_members_add,
    room_members_remove,
    room_team_ensure,
    room_team_member_sync,
)

__all__ = [
    "message_delete",
    "message_edit",
    "message_post_bot",
    "message_send",
    "message_send_image",
    "messages_soft_delete",
    "reaction_add",
    "reaction_remove",
    "register_after_send",
    "room_community_ensure",
    "room_community_member_sync",
    "room_direct_get_or_create",
    "room_group_create",
    "room_mark_read",
    "room_members_add",
    "room_members_remove",
    "room_team_ensure",
    "room_team_member_sync",
]
