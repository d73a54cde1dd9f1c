from django.db.models import QuerySet

from community.models import Notification, NotificationPreference, NotificationStream, User

# Types a member can mute (PRODUCT.md §16).
NOTIFICATION_TYPES = [
    "tier_changed",
    "points_expiring",
    "team_joined",
    "team_succeeded",
    "team_failed",
    "refund",
    "flash_sale_reminder",
    "mention",
    "reply",
    "follow",
    "moderation_outcome",
    "livestream_started",
    "invite_registered",
]


def notifications_after(*, user: User, after_seq: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, seq__gt=after_seq).order_by("seq")


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_preferences(*, user: User) -> dict[str, bool]:
    muted = set(
        NotificationPreference.objects.filter(user=user, muted=True).values_list("type", flat=True)
    )
    return {type_: type_ in muted for type_ in NOTIFICATION_TYPES}


def notifications_latest(*, user: User, limit: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-seq")[:limit]


def notifications_last_seq(*, user: User) -> int:
    """The seq of the member's newest notification (0 for an empty inbox)."""
    return (
        NotificationStream.objects.filter(user=user).values_list("last_seq", flat=True).first() or 0
    )
