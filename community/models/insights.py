"""The event stream behind staff insights (PRODUCT.md §17) and its daily rollups.

Every app records what happened through ``community.services.insights.track``; metrics read the
rollups for closed days and the raw stream for the open day (business time zone), never another
app's tables. The stream is append-only: on PostgreSQL a BRIN index on ``received_at`` (the
physical insert order) keeps range scans cheap as it grows, beside B-trees for the per-actor and
per-name reads.
"""

from django.conf import settings
from django.db import models


class Event(models.Model):
    """One thing a member or an anonymous visitor did."""

    id = models.BigAutoField(primary_key=True)
    # Client-chosen (or generated) identity: a retried batch stores each event once.
    event_id = models.UUIDField(unique=True)
    name = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # The browser's anonymous id (X-Visitor-Id); kept after sign-up so the visits before it link.
    visitor_id = models.CharField(max_length=64, blank=True, default="")
    # "u:<user id>" for members, "v:<visitor id>" for anonymous visitors: one key for counting.
    actor = models.CharField(max_length=72)
    at = models.DateTimeField()
    # The business day (BUSINESS_TIME_ZONE) of ``at``: what the rollups group by.
    day = models.DateField()
    received_at = models.DateTimeField(auto_now_add=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "at"], name="insights_event_actor_at"),
            models.Index(fields=["day", "name"], name="insights_event_day_name"),
            models.Index(fields=["name", "at"], name="insights_event_name_at"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.actor} {self.at:%Y-%m-%d %H:%M}"


class VisitorLink(models.Model):
    """An anonymous visitor id that turned out to be a member (sign-up or login)."""

    visitor_id = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)


class ActorDay(models.Model):
    """One actor's activity on one closed business day, rebuilt idempotently from the stream."""

    day = models.DateField()
    actor = models.CharField(max_length=72)
    user_id = models.BigIntegerField(null=True, blank=True)
    events = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    session_seconds = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "actor"], name="insights_actor_day_unique")
        ]
        indexes = [models.Index(fields=["actor", "day"], name="insights_actor_day_actor")]


class EventDay(models.Model):
    """One event name's count and distinct actors on one closed business day."""

    day = models.DateField()
    name = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    actors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "name"], name="insights_event_day_unique")
        ]


class RolledDay(models.Model):
    """A business day whose rollup rows are built, and from which stream state: a late event
    (received after ``rolled_at``) marks its day for rebuilding."""

    day = models.DateField(primary_key=True)
    rolled_at = models.DateTimeField()
    events = models.PositiveIntegerField(default=0)
