"""Reads of rooms and their members; every one is checked against the reader's membership."""

from django.conf import settings
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from chat.exceptions import NotAMemberError
from chat.models import Message, Room, RoomKind, RoomMember

GROUP_MAX_MEMBERS = 500


def _setting(name: str, default: int) -> int:
    """Chat's product numbers (PRODUCT.md §10): settings override every default here."""
    return int(getattr(settings, name, default))


def group_max_members() -> int:
    return _setting("CHAT_GROUP_MAX_MEMBERS", GROUP_MAX_MEMBERS)


def read_receipts_max_members() -> int:
    return _setting("CHAT_READ_RECEIPTS_MAX_MEMBERS", 20)


def typing_max_members() -> int:
    return _setting("CHAT_TYPING_MAX_MEMBERS", 100)


def typing_interval_seconds() -> int:
    return _setting("CHAT_TYPING_INTERVAL_SECONDS", 3)


def membership_get(*, room_id: int, user) -> RoomMember | None:
    """The user's membership row of the room (None for visitors and non-members)."""
    if user is None or not user.is_authenticated:
        return None
    return RoomMember.objects.filter(room_id=room_id, user_id=user.pk).first()


def room_membership_require(room: Room, user_id: int) -> RoomMember:
    """The user's membership row of the room; 403 ``not_a_member`` when there is none."""
    membership = RoomMember.objects.filter(room=room, user_id=user_id).first()
    if membership is None:
        raise NotAMemberError()
    return membership


def direct_peer_id(room: Room, user_id: int) -> int | None:
    """The id of the other member of a two-person room (None when there is nobody else)."""
    return (
        RoomMember.objects.filter(room=room)
        .exclude(user_id=user_id)
        .values_list("user_id", flat=True)
        .first()
    )


def is_room_member(*, room_id: int, user_id: int) -> bool:
    return RoomMember.objects.filter(room_id=room_id, user_id=user_id).exists()


def room_get_for_member(*, room_id: int, user) -> tuple[Room, RoomMember]:
    """The room and the user's membership: 404 when there is no such room, 403 for non-members."""
    room = get_object_or_404(Room.objects.select_related("community"), pk=room_id)
    membership = membership_get(room_id=room.pk, user=user)
    if membership is None:
        raise NotAMemberError()
    return room, membership


def room_member_count(*, room_id: int) -> int:
    return RoomMember.objects.filter(room_id=room_id).count()


def room_members(*, room: Room) -> QuerySet[RoomMember]:
    return RoomMember.objects.filter(room=room).select_related("user").order_by("id")


def my_rooms(*, user) -> QuerySet[RoomMember]:
    """The user's memberships with their rooms, newest activity first (``activity_at``)."""
    return (
        RoomMember.objects.filter(user_id=user.pk)
        .select_related("room", "room__community")
        .annotate(activity_at=F("room__last_activity_at"))
        .order_by("-activity_at", "-id")
    )


def rooms_decorate(memberships: list[RoomMember], *, user) -> list[RoomMember]:
    """Attach the last message (none when it is hidden from the viewer) and the direct peer to
    each membership (two queries in all)."""
    room_ids = [m.room_id for m in memberships]
    last_messages = {
        message.room_id: message
        for message in Message.objects.filter(room_id__in=room_ids, seq=F("room__last_seq"))
        .select_related("sender", "reply_to__sender")
        .prefetch_related("reactions")
        .order_by()
    }
    direct_ids = [m.room_id for m in memberships if m.room.kind == RoomKind.DIRECT]
    peers = {
        peer.room_id: peer.user
        for peer in RoomMember.objects.filter(room_id__in=direct_ids)
        .exclude(user_id=user.pk)
        .select_related("user")
    }
    for membership in memberships:
        last = last_messages.get(membership.room_id)
        if last is not None and last.hidden_at is not None and last.sender_id != user.pk:
            last = None  # hidden by moderation: it left the room for everyone but its sender
        membership.room.last_message = last  # type: ignore[attr-defined]
        membership.room.peer = peers.get(membership.room_id)  # type: ignore[attr-defined]
    return memberships


def room_display_title(room: Room, peer=None) -> str:
    if room.kind == RoomKind.DIRECT and peer is not None:
        return peer.public_name
    if room.kind == RoomKind.COMMUNITY and room.community is not None and not room.title:
        return room.community.name
    return room.title


def direct_peer(*, room: Room, user):
    """The other person of a direct room (None for other kinds)."""
    if room.kind != RoomKind.DIRECT:
        return None
    other = RoomMember.objects.filter(room=room).exclude(user_id=user.pk).select_related("user")
    first = other.first()
    return first.user if first is not None else None


def team_room_id_for_member(*, team_id: int, user_id: int) -> int | None:
    """The team's chat room, when ``user_id`` is in it (the team page links members to it)."""
    return (
        RoomMember.objects.filter(room__team_id=team_id, user_id=user_id)
        .values_list("room_id", flat=True)
        .first()
    )
