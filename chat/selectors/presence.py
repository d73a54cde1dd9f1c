"""Online presence for contacts: ephemeral, kept in the cache, never in the database.

A socket marks its user online when it opens and refreshes the mark on every ping (the browser
client pings every 25 s); the mark expires ``CHAT_PRESENCE_TTL_SECONDS`` after the last sign of life,
so a socket that dies without closing stops counting on its own. A clean close of the user's last
socket clears the mark at once. Only contacts see it: people who follow each other, or share a
direct room, and who have not blocked each other.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from chat.models import RoomKind, RoomMember
from community.models import Follow, User
from community.selectors.social import blocked_user_ids


def presence_ttl_seconds() -> int:
    """How long a socket's last ping keeps its user online (the browser pings every 25 s)."""
    return int(getattr(settings, "CHAT_PRESENCE_TTL_SECONDS", 70))


def presence_seen_key(user_id: int) -> str:
    return f"chat:presence:{user_id}"


def presence_sockets_key(user_id: int) -> str:
    return f"chat:presence:sockets:{user_id}"


def online_user_ids(user_ids) -> set[int]:
    """Which of these users have a live socket now (a sign of life within the TTL)."""
    ids = list(user_ids)
    seen = cache.get_many([presence_seen_key(pk) for pk in ids])
    return {pk for pk in ids if presence_seen_key(pk) in seen}


def contact_ids(*, viewer) -> set[int]:
    """Mutual follows and direct-room peers, minus anyone with a block either way."""
    following = set(
        Follow.objects.filter(follower_id=viewer.pk).values_list("followee_id", flat=True)
    )
    mutual = set(
        Follow.objects.filter(followee_id=viewer.pk, follower_id__in=following).values_list(
            "follower_id", flat=True
        )
    )
    peers = set(
        RoomMember.objects.filter(room__kind=RoomKind.DIRECT, room__members__user_id=viewer.pk)
        .exclude(user_id=viewer.pk)
        .values_list("user_id", flat=True)
    )
    return (mutual | peers) - blocked_user_ids(viewer) - {viewer.pk}


def is_contact(*, viewer, user_id: int) -> bool:
    return user_id in contact_ids(viewer=viewer)


def presence_of_contacts(*, viewer) -> list[dict]:
    """Each contact with ``online`` and when their last sign of life was (online ones only)."""
    ids = contact_ids(viewer=viewer)
    users = User.objects.filter(pk__in=ids, is_active=True).order_by("username")
    seen = cache.get_many([presence_seen_key(pk) for pk in ids])
    rows = []
    for user in users:
        stamp = seen.get(presence_seen_key(user.pk))
        rows.append(
            {
                "user": user,
                "online": stamp is not None,
                "last_seen": datetime.fromtimestamp(stamp, tz=UTC) if stamp else None,
            }
        )
    return rows
