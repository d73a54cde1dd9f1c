"""Group buying (拼团, PRODUCT.md §8): campaigns, teams, their seats and event streams."""

from django.conf import settings
from django.db import models

from groupbuy.models.catalog import Product, money_field
from groupbuy.models.orders import Order

# A campaign's team window when a row is written without one. Services and the API default to
# settings.GROUPBUY_TEAM_WINDOW_MINUTES (same value); this stays a constant because a model default
# read from settings would put the environment into the migration state.
TEAM_WINDOW_MINUTES_FALLBACK = 24 * 60


class Campaign(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=120, blank=True)
    group_price = money_field()
    leader_price = money_field(null=True, blank=True)
    team_size = models.PositiveSmallIntegerField()
    team_window_minutes = models.PositiveIntegerField(default=TEAM_WINDOW_MINUTES_FALLBACK)
    stock_total = models.PositiveIntegerField()
    stock_remaining = models.PositiveIntegerField()
    per_user_limit = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    platform_fill = models.BooleanField(default=False)
    community = models.ForeignKey(
        "community.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    livestream_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_size__gte=2) & models.Q(team_size__lte=10),
                name="campaign_team_size_2_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(stock_remaining__lte=models.F("stock_total")),
                name="campaign_remaining_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
            ),
        ]


class TeamStatus(models.TextChoices):
    FORMING = "forming", "Forming"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Team(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="teams")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_teams"
    )
    status = models.CharField(max_length=16, choices=TeamStatus.choices, default=TeamStatus.FORMING)
    team_size = models.PositiveSmallIntegerField(help_text="copied from the campaign")
    seats_taken = models.PositiveSmallIntegerField(default=0, help_text="held and paid seats")
    seats_paid = models.PositiveSmallIntegerField(default=0)
    platform_filled = models.BooleanField(default=False)
    expires_at = models.DateTimeField()
    last_seq = models.PositiveIntegerField(default=0, help_text="the team's event stream")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("team_size")),
                name="team_seats_within_size",
            ),
            models.CheckConstraint(
                condition=models.Q(seats_paid__lte=models.F("seats_taken")),
                name="team_paid_within_taken",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]


class TeamMemberStatus(models.TextChoices):
    HELD = "held", "Holding a seat (unpaid)"
    PAID = "paid", "Paid"
    LEFT = "left", "Left"


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_seats"
    )
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="team_member")
    status = models.CharField(
        max_length=8, choices=TeamMemberStatus.choices, default=TeamMemberStatus.HELD
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=~models.Q(status="left"),
                name="one_active_seat_per_member",
            )
        ]


class TeamEvent(models.Model):
    """The team's durable event stream: pushes carry ``seq``; a reconnecting page asks for
    everything after the last seq it saw."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "seq"], name="one_team_event_per_seq")
        ]
