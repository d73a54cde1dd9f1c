"""Livestreams, their comments with a per-stream seq, mutes and go-live subscriptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
    # An outside media server's playback URL; empty when the host streams to our own ingest
    # (nginx-rtmp), whose HLS is found by ``playback_id``. We never transcode.
    stream_url = models.URLField(max_length=500, blank=True, default="")
    # Our ingest: only a hash of the stream key is kept (the host sees the key once, when it is
    # made or rotated). ``playback_id`` names the HLS files instead of the key, and is random so
    # that the playback URL of a stream cannot be guessed from its id.
    ingest_key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    ingest_key_set_at = models.DateTimeField(null=True, blank=True)
    playback_id = models.CharField(max_length=32, null=True, blank=True, unique=True)
    # Set while an RTMP publisher is connected; the replay once the recording is remuxed.
    publishing_since = models.DateTimeField(null=True, blank=True)
    replay_ready_at = models.DateTimeField(null=True, blank=True)
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
    # Set by moderation; separate from deleted_at (the host's delete), which a restore keeps.
    hidden_at = models.DateTimeField(null=True, blank=True)

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
