"""Messages with a per-room seq, and their reactions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chat.models.rooms import Room

MESSAGE_MAX_LENGTH = 4000


class MessageKind(models.TextChoices):
    TEXT = "text", "Text"
    IMAGE = "image", "Image"
    CARD = "card", "Card"
    # Written by the support desk's FAQ bot or the system (no sender).
    BOT = "bot", "Bot"


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
    # Set by moderation (reports past the threshold, a removal, a watched word asking for
    # approval): the message leaves the room for everyone but its sender until restored.
    # Separate from deleted_at, so a restore never brings back what its sender deleted.
    hidden_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


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
