from django.conf import settings
from django.db import models


class TierBenefit(models.Model):
    """One row per tier: its growth threshold and benefits; staff edit them in admin."""

    tier = models.CharField(
        max_length=16,
        unique=True,
        choices=[
            ("regular", "Regular"),
            ("silver", "Silver"),
            ("gold", "Gold"),
            ("platinum", "Platinum"),
        ],
    )
    rank = models.PositiveSmallIntegerField(unique=True)
    threshold = models.PositiveIntegerField(help_text="growth value over the trailing 365 days")
    points_multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    monthly_coupon_pack = models.CharField(
        max_length=64, blank=True, help_text="coupon pack code issued monthly"
    )
    early_access_minutes = models.PositiveIntegerField(default=0)
    support_priority = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.tier


class TierChange(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tier_changes"
    )
    from_tier = models.CharField(max_length=16)
    to_tier = models.CharField(max_length=16)
    growth_365d = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class GrowthSource(models.TextChoices):
    PURCHASE = "purchase", "Completed order"
    CHECKIN = "checkin", "Daily check-in"
    POST = "post", "Published post"
    REVIEW = "review", "Review with photo"
    INVITE = "invite", "Invited friend's first order"
    ADMIN = "admin", "Adjustment"


class GrowthEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_entries"
    )
    amount = models.IntegerField()
    source = models.CharField(max_length=16, choices=GrowthSource.choices)
    source_type = models.CharField(max_length=32, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]


class PointsReason(models.TextChoices):
    CHECKIN = "checkin", "Daily check-in"
    PURCHASE = "purchase", "Purchase"
    REVIEW = "review", "Review"
    POST = "post", "Post"
    SHARE_CLICK = "share_click", "Share link opened"
    SHARE_CONVERSION = "share_conversion", "Order through your share"
    INVITE = "invite", "Friend invited"
    TASK = "task", "Task done"
    REDEEM = "redeem", "Redeemed"
    OFFSET = "offset", "Paid with points"
    EXPIRE = "expire", "Expired"
    REFUND_CLAWBACK = "refund_clawback", "Taken back after a refund"
    REFUND = "refund", "Returned after a refund"
    ADMIN = "admin", "Adjusted by staff"


class PointsEntry(models.Model):
    """Append-only points ledger; ``balance_after`` is the user's balance once this entry applied."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries"
    )
    delta = models.IntegerField()
    reason = models.CharField(max_length=24, choices=PointsReason.choices)
    source_type = models.CharField(max_length=32, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, unique=True)
    balance_after = models.IntegerField()
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(delta=0), name="points_entry_nonzero"),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="points_entry_balance_non_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-id"]),
            models.Index(fields=["reason", "created_at"]),
        ]


class PointsLot(models.Model):
    """What one earning entry still has left to spend, and when it expires (FIFO by expiry)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_lots"
    )
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="lot")
    amount = models.PositiveIntegerField()
    remaining = models.IntegerField()
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0) & models.Q(remaining__lte=models.F("amount")),
                name="points_lot_remaining_in_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "expires_at"]), models.Index(fields=["expires_at"])]


class PointsAllocation(models.Model):
    """How much of a lot a spending entry took, so a refund can put it back."""

    spend = models.ForeignKey(PointsEntry, on_delete=models.PROTECT, related_name="allocations")
    lot = models.ForeignKey(PointsLot, on_delete=models.PROTECT, related_name="allocations")
    amount = models.PositiveIntegerField()


class CheckIn(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.DateField()
    streak = models.PositiveIntegerField()
    points_awarded = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="checkin_once_a_day")]


class TaskKind(models.TextChoices):
    DAILY = "daily", "Daily task"
    CHALLENGE = "challenge", "Limited-time challenge"


class TaskDefinition(models.Model):
    code = models.SlugField(max_length=48, unique=True)
    title = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=TaskKind.choices, default=TaskKind.DAILY)
    action = models.CharField(
        max_length=32, help_text="the tracked action: checkin, post, comment, share, …"
    )
    target_count = models.PositiveIntegerField(default=1)
    points = models.PositiveIntegerField()
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title


class TaskProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_progress"
    )
    task = models.ForeignKey(TaskDefinition, on_delete=models.CASCADE, related_name="progress")
    period = models.CharField(
        max_length=16, help_text="the day for daily tasks, 'once' for challenges"
    )
    count = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "task", "period"], name="task_progress_unique")
        ]
