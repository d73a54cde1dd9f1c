"""Community rooms follow their community and team rooms their group-buy team: listeners of
community's and groupbuy's domain signals."""

import structlog
from django.db import DatabaseError

from chat.services.live import live_product_unpin_everywhere
from chat.services.rooms import (
    room_community_ensure,
    room_community_member_sync,
    room_team_ensure,
    room_team_member_sync,
)
from community.signals import (
    community_created,
    community_member_joined,
    community_member_left,
    community_member_role_changed,
)
from groupbuy.signals import product_hidden, team_joined, team_member_left, team_opened

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


def on_team_opened(sender, *, team_id: int, **kwargs) -> None:
    try:
        room_team_ensure(team_id=team_id)
    except DatabaseError:
        # The seat already committed; the next join (or leave) of the team makes the room.
        log.exception("chat.team_room_failed", team_id=team_id)


def on_team_member_changed(sender, *, team_id: int, user_id: int, **kwargs) -> None:
    try:
        room_team_member_sync(team_id=team_id, user_id=user_id)
    except DatabaseError:
        log.exception("chat.team_member_sync_failed", team_id=team_id, user_id=user_id)


def on_product_hidden(sender, *, product_id: int, **kwargs) -> None:
    live_product_unpin_everywhere(product_id=product_id)


def connect() -> None:
    product_hidden.connect(on_product_hidden, dispatch_uid="chat.product_hidden")
    team_opened.connect(on_team_opened, dispatch_uid="chat.team_opened")
    team_joined.connect(on_team_member_changed, dispatch_uid="chat.team_joined")
    team_member_left.connect(on_team_member_changed, dispatch_uid="chat.team_member_left")
    community_created.connect(on_community_created, dispatch_uid="chat.community_created")
    community_member_joined.connect(on_member_changed, dispatch_uid="chat.member_joined")
    community_member_left.connect(on_member_changed, dispatch_uid="chat.member_left")
    community_member_role_changed.connect(on_member_changed, dispatch_uid="chat.member_role")
