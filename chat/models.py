"""Rooms, their members with read state, and messages with a per-room seq."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MESSAGE_MAX_LENGTH = 4000
ROOM_TITLE_MAX_LENGTH = 80


class RoomKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    GROUP = "group", "Group"
    COMMUNITY = "community", "Community"
    SUPPORT = "support", "Support"
    TEAM = "team", "Group-buy team"


class MessageKind(models.TextChoices):
    TEXT = "text", "Text"
    IMAGE = "image", "Image"
    CARD = "card", "Card"
    # Written by the support desk's FAQ bot or the system (no sender).
    BOT = "bot", "Bot"


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


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    # Null only for bot messages (the support desk's FAQ answers).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chat_messages",
    )
    body = models.CharField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    image = models.ImageField(upload_to="chat/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="chat/thumbs/%Y/%m/", blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    # A card names its object, never copies it: it is rendered from the live object when read.
    card_kind = models.CharField(max_length=16, blank=True)
    card_ref = models.PositiveBigIntegerField(null=True, blank=True)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # Ids of the room members named with @username; @all is a flag, not 500 ids.
    mentions = models.JSONField(default=list, blank=True)
    mentions_all = models.BooleanField(default=False)
    client_msg_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_room_seq_unique"),
            models.UniqueConstraint(
                fields=["sender", "client_msg_id"], name="chat_message_client_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="bot") | Q(sender__isnull=False),
                name="chat_message_sender_unless_bot",
            ),
            models.CheckConstraint(
                condition=~Q(kind="card") | (~Q(card_kind="") & Q(card_ref__isnull=False)),
                name="chat_message_card_has_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in room {self.room_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


REACTION_MAX_LENGTH = 16


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=REACTION_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "emoji"], name="chat_reaction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.emoji} by {self.user_id} on {self.message_id}"


# --- support desk -------------------------------------------------------------------------------


class FaqEntry(models.Model):
    """A staff-written question and answer the support bot offers when keywords match."""

    question = models.CharField(max_length=200)
    answer = models.TextField(max_length=2000)
    keywords = models.CharField(
        max_length=500, help_text="comma-separated words or phrases, any language, any case"
    )
    is_active = models.BooleanField(default=True)
    sort = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self) -> str:
        return self.question

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class SupportStatus(models.TextChoices):
    BOT = "bot", "With the FAQ bot"
    WAITING = "waiting", "Waiting for an agent"
    CLAIMED = "claimed", "With an agent"
    CLOSED = "closed", "Closed"


class SupportConversation(models.Model):
    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="support")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_conversations"
    )
    order = models.ForeignKey(
        "groupbuy.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=SupportStatus.choices, default=SupportStatus.BOT
    )
    # The member's tier benefit at the time they asked for a person (Platinum first).
    priority = models.PositiveSmallIntegerField(default=0)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_assignments",
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_feedback = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="chat_support_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="claimed") | Q(agent__isnull=False),
                name="chat_support_claimed_has_agent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-priority", "requested_at"], name="chat_support_queue")
        ]

    def __str__(self) -> str:
        return f"Support #{self.pk} ({self.status})"


class FeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Feedback(models.Model):
    """Product feedback from anyone; staff accepting it awards points."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_feedback"
    )
    product = models.ForeignKey(
        "groupbuy.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    points_awarded = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["status", "created_at"], name="chat_feedback_status")]

    def __str__(self) -> str:
        return f"Feedback #{self.pk} ({self.status})"


# --- livestreams --------------------------------------------------------------------------------


class LiveStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class LiveStream(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="livestreams"
    )
    title = models.CharField(max_length=120)
    cover = models.ImageField(upload_to="live/%Y/%m/", blank=True)
    starts_at = models.DateTimeField()
    # Played by the browser's <video>; we never transcode.
    stream_url = models.URLField(max_length=500)
    status = models.CharField(
        max_length=16, choices=LiveStatus.choices, default=LiveStatus.SCHEDULED
    )
    went_live_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The comment seq counter (UPDATE ... F() + 1 in the comment's transaction) and how far the
    # batch flusher has published: claiming (flushed_seq, last_comment_seq] with a conditional
    # UPDATE makes each comment go out in exactly one batch, whichever process flushes.
    last_comment_seq = models.PositiveBigIntegerField(default=0)
    flushed_seq = models.PositiveBigIntegerField(default=0)
    likes_count = models.PositiveBigIntegerField(default=0)
    peak_viewers = models.PositiveIntegerField(default=0)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    pinned_product = models.ForeignKey(
        "groupbuy.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(flushed_seq__lte=models.F("last_comment_seq")),
                name="chat_live_flushed_not_ahead",
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="chat_live_status_start")]

    def __str__(self) -> str:
        return self.title


class LiveComment(models.Model):
    stream = models.ForeignKey(LiveStream, on_delete=models.CASCADE, related_name="comments")
    seq = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_comments"
    )
    body = models.CharField(max_length=500)
    client_msg_id = models.CharField(max_length=64)
    # Seconds since the stream went live: the replay shows comments at their moment.
    offset_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="chat_live_comment_seq_unique"),
            models.UniqueConstraint(
                fields=["stream", "user", "client_msg_id"], name="chat_live_comment_client_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} on stream {self.stream_id}"


class LiveMute(models.Model):
    stream = models.ForeignKey(LiveStream, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "user"], name="chat_live_mute_unique")
        ]


class LiveSubscription(models.Model):
    """A member who asked to be told when a scheduled stream goes live (the host's followers are
    told anyway; this is for everybody else, e.g. a visitor who found the stream in the list)."""

    stream = models.ForeignKey(LiveStream, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "user"], name="chat_live_subscription_unique")
        ]
