"""Catalog (categories, products, images), creator storefronts, their visits and creator codes.

Invariants live in the database: stock never goes negative, prices are positive, commission rates
stay within 0-30 %, a creator has one storefront, a product sits once in a collection, and a
visitor is counted at most once per storefront per hour.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Round

from groupbuy.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

MAX_COMMISSION_RATE = Decimal("0.30")
MAX_PRODUCT_IMAGES = 9
# A campaign's team window when a row is written without one. Services and the API default to
# settings.GROUPBUY_TEAM_WINDOW_MINUTES (same value); this stays a constant because a model default
# read from settings would put the environment into the migration state.
TEAM_WINDOW_MINUTES_FALLBACK = 24 * 60


class Category(models.Model):
    name = models.CharField(max_length=64)
    slug = models.SlugField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    sort = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Product(models.Model):
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    price = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    stock = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    # A fraction of the paid amount (0.05 = 5 %) earned by the creator an order is attributed to.
    commission_rate = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_gte_0"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_gt_0"),
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0)
                & models.Q(commission_rate__lte=MAX_COMMISSION_RATE),
                name="product_commission_rate_0_30",
            ),
        ]
        indexes = [models.Index(fields=["status", "-id"], name="product_status_newest")]

    def __str__(self) -> str:
        return self.title


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.image.name}"


class Storefront(models.Model):
    # One storefront per creator: the one-to-one is the unique constraint that enforces it.
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="storefront"
    )
    slug = models.SlugField(max_length=50)
    title = models.CharField(max_length=80)
    bio = models.CharField(max_length=500, blank=True)
    banner = models.ImageField(upload_to="storefronts/%Y/%m/", blank=True)
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("slug"), name="storefront_slug_ci_unique")]

    def __str__(self) -> str:
        return self.slug


class Collection(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(max_length=80)
    note = models.CharField(max_length=500, blank=True)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collection_items")
    # The creator's own words about the product, shown next to it on the storefront.
    note = models.CharField(max_length=500, blank=True)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "product"], name="collection_item_unique_product"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.product_id}"


class StorefrontVisit(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="storefront_visits",
    )
    # "u:<id>" for members, "s:<session key>" or "ip:<hash>" for anonymous visitors.
    visitor_key = models.CharField(max_length=80)
    # The visit's time truncated to the hour: the unique constraint counts one visit per hour.
    hour_bucket = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "visitor_key", "hour_bucket"],
                name="storefront_visit_once_per_hour",
            )
        ]
        indexes = [
            models.Index(fields=["visitor", "created_at"], name="visit_visitor_time"),
            models.Index(fields=["storefront", "created_at"], name="visit_storefront_time"),
        ]

    def __str__(self) -> str:
        return f"{self.storefront_id}:{self.visitor_key}@{self.hour_bucket:%Y-%m-%d %H}"


class CreatorCode(models.Model):
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_codes"
    )
    code = models.CharField(max_length=32)
    discount_percent = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("code"), name="creator_code_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=1) & models.Q(discount_percent__lte=30),
                name="creator_code_discount_1_30",
            ),
        ]

    def __str__(self) -> str:
        return self.code


# --- coupons (PRODUCT.md §6) ------------------------------------------------------------------


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


# --- orders (PRODUCT.md §7) -------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Waiting for payment"
    PAID = "paid", "Paid"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDING = "refunding", "Refunding"
    REFUNDED = "refunded", "Refunded"


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs
    )


class OrderKindChoice(models.TextChoices):
    REGULAR = "regular", "Regular"
    FLASH_SALE = "flash_sale", "Flash sale"
    GROUP = "group", "Group buy"


class Order(models.Model):
    # How the order was placed; flash-sale and team orders reserve their own stock (order_kinds.py).
    kind = models.CharField(
        max_length=16, choices=OrderKindChoice.choices, default=OrderKindChoice.REGULAR
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    subtotal = _money()
    coupon_discount = _money(default=Decimal("0.00"))
    creator_discount = _money(default=Decimal("0.00"))
    points_used = models.PositiveIntegerField(default=0)
    points_discount = _money(default=Decimal("0.00"))
    total = _money()
    user_coupon = models.ForeignKey(
        UserCoupon, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    creator_code = models.ForeignKey(
        CreatorCode, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    attributed_creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attributed_orders",
    )
    attribution_source = models.CharField(max_length=16, blank=True)
    share_code = models.CharField(
        max_length=32, blank=True, help_text="the share link the order came through"
    )
    expires_at = models.DateTimeField(help_text="unpaid orders are cancelled after this")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="order_total_non_negative"
            ),
            # Rounded to the cent because SQLite does this arithmetic in floating point
            # (0.03 - 0.01 is not 0.02 there); on PostgreSQL numeric it changes nothing.
            models.CheckConstraint(
                condition=models.Q(
                    total=Round(
                        models.F("subtotal")
                        - models.F("coupon_discount")
                        - models.F("creator_discount")
                        - models.F("points_discount"),
                        MONEY_DECIMAL_PLACES,
                    )
                ),
                name="order_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["buyer", "-id"]),
        ]


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120, help_text="as it was when ordered")
    unit_price = _money()
    quantity = models.PositiveIntegerField()
    amount = _money()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_item_quantity_positive"
            )
        ]


class OrderEvent(models.Model):
    """The status history of an order, shown to the buyer as its timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=16)
    provider_payment_id = models.CharField(max_length=64, unique=True)
    amount = _money()
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A confirmation that arrived after the order was cancelled: the money must go back.
    needs_refund = models.BooleanField(default=False)


# --- refunds, shipping, after-sales, commission (PRODUCT.md §5, §7) ----------------------------


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"


class Refund(models.Model):
    """Money going back for one payment; one per payment, so a refund can only happen once."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = _money()
    reason = models.CharField(max_length=200, blank=True)
    # False for a stray payment (confirmed after the order was cancelled): only money moves.
    restores_order = models.BooleanField(default=True)
    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_refund_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="refund_non_negative")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]


class Shipment(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)


class TrackingStatus(models.TextChoices):
    SHIPPED = "shipped", "Handed to the carrier"
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Delivery problem"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=TrackingStatus.choices)
    description = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=80, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class AfterSalesKind(models.TextChoices):
    RETURN = "return", "Return and refund"
    REFUND_ONLY = "refund_only", "Refund only"
    EXCHANGE = "exchange", "Exchange"


class AfterSalesReason(models.TextChoices):
    DAMAGED = "damaged", "Arrived damaged"
    WRONG_ITEM = "wrong_item", "Wrong item"
    NOT_AS_DESCRIBED = "not_as_described", "Not as described"
    NOT_RECEIVED = "not_received", "Not received"
    CHANGED_MIND = "changed_mind", "Changed my mind"
    OTHER = "other", "Other"


class AfterSalesStatus(models.TextChoices):
    OPEN = "open", "Waiting for staff"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


ACTIVE_AFTER_SALES = [AfterSalesStatus.OPEN, AfterSalesStatus.APPROVED]


class AfterSalesRequest(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="after_sales")
    kind = models.CharField(max_length=16, choices=AfterSalesKind.choices)
    reason = models.CharField(max_length=20, choices=AfterSalesReason.choices)
    description = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=16, choices=AfterSalesStatus.choices, default=AfterSalesStatus.OPEN
    )
    staff_note = models.CharField(max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status__in=["open", "approved"]),
                name="one_active_after_sales_per_order",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]


class AfterSalesPhoto(models.Model):
    request = models.ForeignKey(AfterSalesRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="after-sales/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)


class CommissionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CONFIRMED = "confirmed", "Confirmed"
    REVERSED = "reversed", "Reversed"


class CommissionEntry(models.Model):
    """A creator's commission on one attributed order: pending at payment, confirmed 7 days after
    completion, reversed on refund."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="commission")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissions"
    )
    base_amount = _money(help_text="what the buyer paid for commissionable items")
    amount = _money()
    status = models.CharField(
        max_length=16, choices=CommissionStatus.choices, default=CommissionStatus.PENDING
    )
    attribution_source = models.CharField(max_length=16, blank=True)
    confirm_after = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(amount__lte=models.F("base_amount")),
                name="commission_within_base",
            )
        ]
        indexes = [
            models.Index(fields=["creator", "-created_at"]),
            models.Index(fields=["status", "confirm_after"]),
        ]


# --- flash sales (秒杀, PRODUCT.md §9) -----------------------------------------------------------


class FlashSale(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="flash_sales")
    title = models.CharField(max_length=120, blank=True)
    price = _money()
    stock_total = models.PositiveIntegerField()
    stock_remaining = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    per_user_limit = models.PositiveSmallIntegerField(default=1)
    # Members whose tier grants early access (TierBenefit.early_access_minutes) may buy that early.
    tier_early_access = models.BooleanField(default=True)
    # Launched from a livestream (chat): an id, not a key, because chat sits above groupbuy.
    livestream_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminders_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock_remaining__lte=models.F("stock_total")),
                name="flash_sale_remaining_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="flash_sale_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(per_user_limit__gte=1), name="flash_sale_limit_positive"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["ends_at"])]


class FlashSaleQuota(models.Model):
    """How many units one member holds in a sale (pending and paid orders); the per-user limit is
    enforced by a conditional update of this row."""

    sale = models.ForeignKey(FlashSale, on_delete=models.CASCADE, related_name="quotas")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sale", "user"], name="one_flash_quota_per_member")
        ]


class FlashSaleOrder(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="flash_sale_order")
    sale = models.ForeignKey(FlashSale, on_delete=models.PROTECT, related_name="orders")
    quantity = models.PositiveIntegerField()


class FlashSaleReminder(models.Model):
    sale = models.ForeignKey(FlashSale, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sale", "user"], name="one_flash_reminder_per_member")
        ]


# --- group buying (拼团, PRODUCT.md §8) -----------------------------------------------------------


class Campaign(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=120, blank=True)
    group_price = _money()
    leader_price = _money(null=True, blank=True)
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
