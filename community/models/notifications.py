from django.conf import settings
from django.db import models


class NotificationStream(models.Model):
    """Per-user seq counter of the inbox; its row lock orders concurrent notifications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_stream"
    )
    last_seq = models.PositiveBigIntegerField(default=0)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=48)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Same source twice (a retried task) never notifies twice.
    dedupe_key = models.CharField(max_length=128, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "seq"], name="notification_seq_unique"),
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="notification_dedupe_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    type = models.CharField(max_length=48)
    muted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "type"], name="notification_preference_unique")
        ]
