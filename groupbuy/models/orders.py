"""Orders (PRODUCT.md §7): the order, its items and its status history."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Round

from groupbuy.models.catalog import MONEY_DECIMAL_PLACES, Product, money_field
from groupbuy.models.coupons import UserCoupon
from groupbuy.models.storefronts import CreatorCode


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Waiting for payment"
    PAID = "paid", "Paid"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDING = "refunding", "Refunding"
    REFUNDED = "refunded", "Refunded"


class OrderKindChoice(models.TextChoices):
    REGULAR = "regular", "Regular"
    FLASH_SALE = "flash_sale", "Flash sale"
    GROUP = "group", "Group buy"


class Order(models.Model):
    # How the order was placed; flash-sale and team orders reserve their own stock (OrderKind).
    kind = models.CharField(
        max_length=16, choices=OrderKindChoice.choices, default=OrderKindChoice.REGULAR
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    subtotal = money_field()
    coupon_discount = money_field(default=Decimal("0.00"))
    creator_discount = money_field(default=Decimal("0.00"))
    points_used = models.PositiveIntegerField(default=0)
    points_discount = money_field(default=Decimal("0.00"))
    total = money_field()
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
    # The delivery address as it was at checkout: later edits of the address book change nothing.
    ship_name = models.CharField(max_length=32, blank=True)
    ship_phone = models.CharField(max_length=11, blank=True)
    ship_region = models.CharField(max_length=64, blank=True)
    ship_detail = models.CharField(max_length=200, blank=True)
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
    unit_price = money_field()
    quantity = models.PositiveIntegerField()
    amount = money_field()

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
