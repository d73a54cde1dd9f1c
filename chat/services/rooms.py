"""Every room write: direct and group rooms, membership, and the rooms that follow a community or a
group-buy team (kept in step by chat.receivers).

Each service owns its transaction; pushes leave only on commit.
"""

from django.db import IntegrityError, transaction

from chat import events
from chat.exceptions import (
    CannotMessageSelfError,
    NotAGroupRoomError,
    NotAMemberError,
    OwnerCannotLeaveError,
    RoomFullError,
    RoomPermissionDeniedError,
)
from chat.models import (
    MANAGER_ROLES,
    ROOM_TITLE_MAX_LENGTH,
    Room,
    RoomKind,
    RoomMember,
    RoomRole,
    direct_key_for,
)
from chat.selectors.rooms import group_max_members, room_membership_require
from community.exceptions import BlockedError
from community.models import Community, User
from community.selectors.communities import members_list, membership_of
from community.selectors.social import blocked_user_ids, users_blocked_between
from groupbuy.selectors.teams import team_active_member_ids, team_title
from realtime.publish import revoke_on_commit

COMMUNITY_ROLES = {"owner": RoomRole.OWNER, "leader": RoomRole.ADMIN, "member": RoomRole.MEMBER}


def room_direct_get_or_create(*, actor: User, other: User) -> tuple[Room, bool]:
    """The one direct room of two people (made on first use); True when it was just made."""
    if actor.pk == other.pk:
        raise CannotMessageSelfError()
    if users_blocked_between(actor.pk, other.pk):
        raise BlockedError()
    key = direct_key_for(actor.pk, other.pk)
    existing = Room.objects.filter(direct_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic(durable=True):
            room = Room.objects.create(kind=RoomKind.DIRECT, direct_key=key, created_by=actor)
            RoomMember.objects.bulk_create(
                [
                    RoomMember(room=room, user_id=actor.pk, role=RoomRole.MEMBER),
                    RoomMember(room=room, user_id=other.pk, role=RoomRole.MEMBER),
                ]
            )
    except IntegrityError:  # the pair's unique key: the other request made the room first
        return Room.objects.get(direct_key=key), False
    return room, True


def room_group_create(*, actor: User, title: str, members: list[User]) -> Room:
    """A group room owned by ``actor`` with ``members`` (at most 500 people in all)."""
    others = {user.pk: user for user in members if user.pk != actor.pk}
    if len(others) + 1 > group_max_members():
        raise RoomFullError()
    if blocked_user_ids(actor) & set(others):
        raise BlockedError("You cannot add someone you blocked or who blocked you.")
    with transaction.atomic(durable=True):
        room = Room.objects.create(kind=RoomKind.GROUP, title=title.strip(), created_by=actor)
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user_id=actor.pk, role=RoomRole.OWNER)]
            + [RoomMember(room=room, user_id=pk, role=RoomRole.MEMBER) for pk in others]
        )
    return room


def room_members_add(*, actor: User, room: Room, users: list[User]) -> list[int]:
    """The group's owner or an admin adds people; returns the ids that were not members yet."""
    if room.kind != RoomKind.GROUP:
        raise NotAGroupRoomError()
    candidates = {user.pk for user in users}
    if blocked_user_ids(actor) & candidates:
        raise BlockedError("You cannot add someone you blocked or who blocked you.")
    with transaction.atomic(durable=True):
        # The room row's lock serialises concurrent additions, so the cap cannot be overrun.
        Room.objects.select_for_update().filter(pk=room.pk).first()
        membership = room_membership_require(room, actor.pk)
        if membership.role not in MANAGER_ROLES:
            raise RoomPermissionDeniedError()
        present = set(
            RoomMember.objects.filter(room=room, user_id__in=candidates).values_list(
                "user_id", flat=True
            )
        )
        new = sorted(candidates - present)
        if RoomMember.objects.filter(room=room).count() + len(new) > group_max_members():
            raise RoomFullError()
        RoomMember.objects.bulk_create([RoomMember(room=room, user_id=pk) for pk in new])
    return new


def room_members_remove(*, actor: User, room: Room, user: User) -> None:
    """Leave a group room yourself, or (owner/admin) remove someone; the owner stays."""
    if room.kind != RoomKind.GROUP:
        raise NotAGroupRoomError()
    with transaction.atomic(durable=True):
        membership = room_membership_require(room, actor.pk)
        target = (
            membership
            if user.pk == actor.pk
            else RoomMember.objects.select_for_update().filter(room=room, user_id=user.pk).first()
        )
        if target is None:
            raise NotAMemberError("That person is not in this room.")
        if target.role == RoomRole.OWNER:
            raise OwnerCannotLeaveError()
        if target.pk != membership.pk:
            allowed = membership.role == RoomRole.OWNER or (
                membership.role == RoomRole.ADMIN and target.role == RoomRole.MEMBER
            )
            if not allowed:
                raise RoomPermissionDeniedError()
        target.delete()
        revoke_on_commit(user.pk, events.room_topic(room.pk))


# --- community rooms (kept in step by chat.receivers) -------------------------------------------


def _room_made_once(owner_key: dict, fields: dict, members: list[tuple[int, str]]) -> Room:
    """Create the one room of an owning object (a community, a team) with its members; when a
    listener of another signal made it a moment ago, the unique key says so and that room wins."""
    try:
        with transaction.atomic():
            room = Room.objects.create(**owner_key, **fields)
            RoomMember.objects.bulk_create(
                [RoomMember(room=room, user_id=user_id, role=role) for user_id, role in members],
                ignore_conflicts=True,
            )
            return room
    except IntegrityError:
        return Room.objects.get(**owner_key)


def room_community_ensure(*, community_id: int) -> Room | None:
    """The community's room, made with all its active members when missing (idempotent)."""
    room = Room.objects.filter(community_id=community_id).first()
    if room is not None:
        return room
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    return _room_made_once(
        {"community_id": community_id},
        {
            "kind": RoomKind.COMMUNITY,
            "title": community.name[:ROOM_TITLE_MAX_LENGTH],
            "created_by_id": community.owner_id,
        },
        [
            (m.user_id, COMMUNITY_ROLES.get(m.role, RoomRole.MEMBER))
            for m in members_list(community=community)
        ],
    )


def room_community_member_sync(*, community_id: int, user_id: int) -> None:
    """Make the member's room membership match their community membership (join/leave/role)."""
    room = room_community_ensure(community_id=community_id)
    if room is None:
        return
    membership = membership_of(community_id=community_id, user_id=user_id)
    with transaction.atomic():
        if membership is None or membership.status != "active":
            removed, _ = RoomMember.objects.filter(room=room, user_id=user_id).delete()
            if removed:
                revoke_on_commit(user_id, events.room_topic(room.pk))
            return
        role = COMMUNITY_ROLES.get(membership.role, RoomRole.MEMBER)
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user_id=user_id, role=role)], ignore_conflicts=True
        )
        RoomMember.objects.filter(room=room, user_id=user_id).exclude(role=role).update(role=role)


def room_team_ensure(*, team_id: int) -> Room | None:
    """The group-buy team's room, made with its current members when missing (idempotent)."""
    room = Room.objects.filter(team_id=team_id).first()
    if room is not None:
        return room
    member_ids = team_active_member_ids(team_id=team_id)
    if not member_ids:
        return None
    return _room_made_once(
        {"team_id": team_id},
        {
            "kind": RoomKind.TEAM,
            "title": team_title(team_id=team_id)[:ROOM_TITLE_MAX_LENGTH],
            "created_by_id": member_ids[0],
        },
        [
            (user_id, RoomRole.OWNER if index == 0 else RoomRole.MEMBER)
            for index, user_id in enumerate(member_ids)
        ],
    )


def room_team_member_sync(*, team_id: int, user_id: int) -> None:
    """Make a member's place in the team room match their seat (joined or left)."""
    room = room_team_ensure(team_id=team_id)
    if room is None:
        return
    seated = user_id in team_active_member_ids(team_id=team_id)
    with transaction.atomic():
        if not seated:
            removed, _ = RoomMember.objects.filter(room=room, user_id=user_id).delete()
            if removed:
                revoke_on_commit(user_id, events.room_topic(room.pk))
            return
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user_id=user_id, role=RoomRole.MEMBER)], ignore_conflicts=True
        )
