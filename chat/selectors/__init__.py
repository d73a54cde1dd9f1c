"""Chat's reads by topic; the room and message reads are re-exported for their many callers."""

from chat.selectors.messages import (
    MESSAGE_PAGE_DEFAULT,
    MESSAGE_PAGE_MAX,
    REPLAY_LIMIT,
    message_get_in_room,
    messages_after,
    messages_window,
)
from chat.selectors.rooms import (
    direct_peer,
    is_room_member,
    membership_get,
    my_rooms,
    room_display_title,
    room_get_for_member,
    room_member_count,
    room_members,
    rooms_decorate,
    team_room_id_for_member,
)

__all__ = [
    "MESSAGE_PAGE_DEFAULT",
    "MESSAGE_PAGE_MAX",
    "REPLAY_LIMIT",
    "direct_peer",
    "is_room_member",
    "membership_get",
    "message_get_in_room",
    "messages_after",
    "messages_window",
    "my_rooms",
    "room_display_title",
    "room_get_for_member",
    "room_member_count",
    "room_members",
    "rooms_decorate",
    "team_room_id_for_member",
]
