"""The support desk: FAQ entries, support conversations (support rooms) and product feedback."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from chat.models.rooms import Room


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
