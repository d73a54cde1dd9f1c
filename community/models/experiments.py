"""A/B experiments and campaigns to a segment (PRODUCT.md §17, docs/insights.md).

An experiment's assignment is a pure function of its key and the actor (GrowthBook v2 hashing), so
no table is needed to answer it; ``Exposure`` records the first time an actor was shown a variant,
which is when its goal window starts. A campaign snapshots its segment into ``CampaignRecipient``
rows (treated or holdout) when it is sent, so its uplift is measured on the members it chose.
"""

from django.conf import settings
from django.db import models


class Experiment(models.Model):
    key = models.SlugField(max_length=64, unique=True)
    # [{"name": "control", "weight": 0.5}, ...] in the order the hash buckets are laid out.
    variants = models.JSONField()
    goal_event = models.CharField(max_length=64)
    window_hours = models.PositiveIntegerField(default=72)
    # Fixed horizon: no verdict before every arm has this many matured exposures.
    planned_per_variant = models.PositiveIntegerField(default=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_hours__gte=1), name="experiment_window_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_per_variant__gte=1), name="experiment_planned_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Exposure(models.Model):
    """The first time an actor ("u:<id>" / "v:<visitor>") was assigned a variant."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures")
    actor = models.CharField(max_length=72)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    variant = models.CharField(max_length=32)
    exposed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["experiment", "actor"], name="exposure_once_per_actor")
        ]
        indexes = [models.Index(fields=["experiment", "variant"], name="exposure_variant")]


class CampaignSegment(models.TextChoices):
    ACTIVE = "active", "活跃用户"
    POTENTIALLY_ACTIVE = "potentially_active", "潜在活跃用户"
    LOW_FREQUENCY = "low_frequency", "低频用户"
    CHURN_RISK = "churn_risk", "流失风险用户"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"


class Campaign(models.Model):
    name = models.CharField(max_length=80)
    segment = models.CharField(max_length=32, choices=CampaignSegment.choices)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, max_length=1000)
    # A reward registered by a higher app (groupbuy: "coupon" with the coupon's id as ``reward_ref``).
    reward_kind = models.CharField(max_length=32, blank=True)
    reward_ref = models.PositiveBigIntegerField(null=True, blank=True)
    holdout_percent = models.PositiveSmallIntegerField(default=10)
    goal_event = models.CharField(max_length=64)
    window_hours = models.PositiveIntegerField(default=168)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holdout_percent__gte=1, holdout_percent__lte=50),
                name="campaign_holdout_range",
            ),
            models.CheckConstraint(
                condition=models.Q(window_hours__gte=1), name="campaign_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RecipientGroup(models.TextChoices):
    TREATED = "treated", "实验组"
    HOLDOUT = "holdout", "对照组"


class RecipientStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    NOTIFIED = "notified", "已通知"
    SKIPPED_CAP = "skipped_cap", "超出频次上限"
    HELD_OUT = "held_out", "保留不发"


class CampaignRecipient(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=8, choices=RecipientGroup.choices)
    status = models.CharField(
        max_length=16, choices=RecipientStatus.choices, default=RecipientStatus.PENDING
    )
    reward_granted = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="campaign_recipient_once")
        ]
        # The weekly frequency cap counts one member's recent marketing notifications.
        indexes = [models.Index(fields=["user", "notified_at"], name="campaign_recipient_cap")]
