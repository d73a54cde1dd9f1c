"""Coupons (PRODUCT.md §6): the coupon, its per-member counts, and members' wallets."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from groupbuy.models.catalog import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, Category, Product


class CouponKind(models.TextChoices):
    AMOUNT = "amount", "Fixed amount off (with a threshold)"
    PERCENT = "percent", "Percentage off (with a cap)"


class CouponIssue(models.TextChoices):
    CLAIM = "claim", "Claimed in the coupon centre"
    CODE = "code", "Redeemed with a code"
    AUTO = "auto", "Issued automatically"
    REWARD = "reward", "Reward"
    POINTS = "points", "Exchanged for points"


class CouponAutoIssue(models.TextChoices):
    NONE = "", "Not issued automatically"
    NEW_USER = "new_user", "To every new member at registration"
    INVITEE = "invitee", "To a new member who came through an invite code or share link"


class Coupon(models.Model):
    title = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=CouponKind.choices)
    value = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        help_text="yuan off for amount coupons; percent off for percent coupons",
    )
    threshold = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        default=Decimal("0.00"),
        help_text="minimum eligible subtotal",
    )
    cap = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text="largest discount of a percent coupon",
    )
    products = models.ManyToManyField(Product, blank=True, related_name="coupons")
    categories = models.ManyToManyField(Category, blank=True, related_name="coupons")
    first_order_only = models.BooleanField(default=False)
    new_user_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="only members who joined within this many days"
    )
    min_tier = models.CharField(
        max_length=16, blank=True, help_text="tier-exclusive: this tier or higher"
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    valid_days_after_claim = models.PositiveIntegerField(null=True, blank=True)
    total_quantity = models.PositiveIntegerField(
        null=True, blank=True, help_text="empty: unlimited"
    )
    # Kept in step by the claim service's conditional UPDATE; the constraint is the backstop.
    claimed_count = models.PositiveIntegerField(default=0)
    per_user_limit = models.PositiveIntegerField(default=1)
    claimable = models.BooleanField(default=True, help_text="shown in the coupon centre")
    code = models.CharField(max_length=32, null=True, blank=True, help_text="redeem code, if any")
    points_price = models.PositiveIntegerField(null=True, blank=True, help_text="points mall price")
    pack_code = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="monthly tier pack"
    )
    auto_issue = models.CharField(
        max_length=16,
        blank=True,
        default=CouponAutoIssue.NONE,
        choices=CouponAutoIssue.choices,
        help_text="welcome coupons: issued once when a member registers",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_quantity__isnull=True)
                | models.Q(claimed_count__lte=models.F("total_quantity")),
                name="coupon_claims_within_quantity",
            ),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100),
                name="coupon_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=models.Q(per_user_limit__gte=1), name="coupon_per_user_limit_positive"
            ),
            models.UniqueConstraint(Lower("code"), name="coupon_code_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class CouponUserCount(models.Model):
    """How many of a coupon a member holds; the per-user limit is a conditional UPDATE on it."""

    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="user_counts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coupon", "user"], name="coupon_user_count_unique")
        ]


class UserCoupon(models.Model):
    """One coupon in a member's wallet."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="issued")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons"
    )
    source = models.CharField(max_length=16, choices=CouponIssue.choices)
    # Automatic and reward issues name their cause, so a retried issue never gives two.
    issue_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    order_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]
