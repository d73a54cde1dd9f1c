"""Share links, their clicks and the rewards they earn their sharers."""

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class ShareTargetType(models.TextChoices):
    POST = "post", "Post"
    PRODUCT = "product", "Product"
    TEAM = "team", "Group-buy team"
    FLASH_SALE = "flash_sale", "Flash sale"
    STOREFRONT = "storefront", "Storefront"
    LIVESTREAM = "livestream", "Livestream"


class ShareLink(models.Model):
    code = models.CharField(max_length=16, unique=True)
    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="share_links")
    target_type = models.CharField(max_length=16, choices=ShareTargetType.choices)
    target_id = models.PositiveBigIntegerField()
    target_url = models.CharField(max_length=300)
    title = models.CharField(max_length=200, blank=True)
    # False when the sharer owns the target: sharing your own content earns no points.
    earns_rewards = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "target_type", "target_id"], name="feeds_share_link_per_target"
            )
        ]

    def __str__(self) -> str:
        return self.code


class ShareClick(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="clicks")
    visitor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "u:<id>" for members, a hash of IP and browser for anonymous visitors: unique clicks count
    # visitors, not page loads.
    visitor_key = models.CharField(max_length=80)
    ip_hash = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    day = models.DateField()
    is_self = models.BooleanField(default=False)
    clicked_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["link", "day"], name="feeds_click_link_day"),
            models.Index(fields=["visitor", "-clicked_at"], name="feeds_click_visitor"),
            models.Index(fields=["ip_hash", "-clicked_at"], name="feeds_click_ip"),
        ]


class RewardKind(models.TextChoices):
    CLICK = "click", "Unique click"
    REGISTRATION = "registration", "Registration"
    ORDER = "order", "First order"


class RewardStatus(models.TextChoices):
    HELD = "held", "Held"
    GRANTED = "granted", "Granted"
    REVERSED = "reversed", "Reversed"
    VOID = "void", "Not paid"


class HoldReason(models.TextChoices):
    NONE = "", "—"
    PENDING_COMPLETION = "pending_completion", "Waiting for the order to complete"
    FRAUD = "fraud", "Held for review (suspected farming)"
    DAILY_CAP = "daily_cap", "Daily cap reached"
    ALREADY_INVITED = "already_invited", "Invited by someone else first"


class ShareReward(models.Model):
    """One reward a share link earned its sharer; the key makes each source pay at most once."""

    key = models.CharField(max_length=120, unique=True)
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="rewards")
    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="share_rewards")
    kind = models.CharField(max_length=16, choices=RewardKind.choices)
    status = models.CharField(max_length=12, choices=RewardStatus.choices)
    hold_reason = models.CharField(max_length=24, choices=HoldReason.choices, blank=True)
    points = models.PositiveIntegerField(default=0)
    visitor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    click = models.ForeignKey(
        ShareClick, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_id = models.PositiveBigIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    order_completed = models.BooleanField(default=False)
    points_key = models.CharField(max_length=140, blank=True)  # the ledger entry that paid it
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["link", "kind", "status"], name="feeds_reward_link"),
            models.Index(fields=["order_id"], name="feeds_reward_order"),
        ]


class ShareDailyPoints(models.Model):
    """Click points paid to one sharer on one business day; the cap is a conditional UPDATE."""

    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    points = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sharer", "day"], name="feeds_share_daily_unique")
        ]


class ShareFraudFlag(models.Model):
    """Many accounts claiming one sharer's rewards from one IP or device: rewards held for review."""

    sharer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShareLink, null=True, on_delete=models.SET_NULL, related_name="+")
    signal = models.CharField(max_length=8)  # "ip" or "device"
    signal_hash = models.CharField(max_length=64)
    accounts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=12, blank=True)  # "released" or "voided"
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sharer", "signal", "signal_hash"],
                condition=models.Q(resolved_at__isnull=True),
                name="feeds_fraud_flag_open_unique",
            )
        ]
