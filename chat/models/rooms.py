"""Rooms and their members with read state."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

ROOM_TITLE_MAX_LENGTH = 80


class RoomKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    GROUP = "group", "Group"
    COMMUNITY = "community", "Community"
    SUPPORT = "support", "Support"
    TEAM = "team", "Group-buy team"


class RoomRole(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


MANAGER_ROLES = (RoomRole.OWNER, RoomRole.ADMIN)


def direct_key_for(a_id: int, b_id: int) -> str:
    """The ordered pair key that makes a direct room unique per pair of people."""
    low, high = sorted((a_id, b_id))
    return f"{low}:{high}"


class Room(models.Model):
    kind = models.CharField(max_length=16, choices=RoomKind.choices)
    title = models.CharField(max_length=ROOM_TITLE_MAX_LENGTH, blank=True)
    community = models.ForeignKey(
        "community.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_rooms",
    )
    # A group-buy team's room, kept in step by listeners of groupbuy's team signals.
    team = models.OneToOneField(
        "groupbuy.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_room"
    )
    # "minId:maxId" for direct rooms: the unique constraint, not a query, keeps one room per pair.
    direct_key = models.CharField(max_length=48, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The seq counter: message_send increments it with an UPDATE, whose row lock orders senders.
    last_seq = models.PositiveBigIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["direct_key"], name="chat_room_direct_pair_unique"),
            models.UniqueConstraint(fields=["community"], name="chat_room_community_unique"),
            models.CheckConstraint(
                condition=~Q(kind="direct") | Q(direct_key__isnull=False),
                name="chat_room_direct_has_key",
            ),
            models.CheckConstraint(
                condition=~Q(kind="community") | Q(community__isnull=False),
                name="chat_room_community_has_community",
            ),
        ]
        indexes = [models.Index(fields=["-last_activity_at"], name="chat_room_activity_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} room {self.pk}: {self.title or self.direct_key or ''}"


class RoomMember(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    role = models.CharField(max_length=16, choices=RoomRole.choices, default=RoomRole.MEMBER)
    last_read_seq = models.PositiveBigIntegerField(default=0)
    muted = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_room_member_unique")
        ]
        indexes = [models.Index(fields=["user", "room"], name="chat_member_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in room {self.room_id} ({self.role})"
