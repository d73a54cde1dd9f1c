"""Community rooms follow their community: listeners of community's domain signals."""

import structlog
from django.db import DatabaseError

from chat.services import room_community_ensure, room_community_member_sync
from community.signals import (
    community_created,
    community_member_joined,
    community_member_left,
    community_member_role_changed,
)

log = structlog.get_logger(__name__)


def on_community_created(sender, *, community_id: int, owner_id: int, **kwargs) -> None:
    try:
        room_community_ensure(community_id=community_id)
    except DatabaseError:
        # The community write already committed; a chat failure must not turn it into an error
        # for the member. The next membership signal (or the demo seeder) makes the room.
        log.exception("chat.community_room_failed", community_id=community_id)


def on_member_changed(sender, *, community_id: int, user_id: int, **kwargs) -> None:
    try:
        room_community_member_sync(community_id=community_id, user_id=user_id)
    except DatabaseError:
        log.exception(
            "chat.community_member_sync_failed", community_id=community_id, user_id=user_id
        )


def connect() -> None:
    community_created.connect(on_community_created, dispatch_uid="chat.community_created")
    community_member_joined.connect(on_member_changed, dispatch_uid="chat.member_joined")
    community_member_left.connect(on_member_changed, dispatch_uid="chat.member_left")
    community_member_role_changed.connect(on_member_changed, dispatch_uid="chat.member_role")
