"""Flash sales (秒杀, PRODUCT.md §9): the sale, members' quotas, its orders and reminders."""

from django.conf import settings
from django.db import models

from groupbuy.models.catalog import Product, money_field
from groupbuy.models.orders import Order


class FlashSale(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="flash_sales")
    title = models.CharField(max_length=120, blank=True)
    price = money_field()
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
