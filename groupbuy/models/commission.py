"""The creator commission ledger (PRODUCT.md §5)."""

from django.conf import settings
from django.db import models

from groupbuy.models.catalog import money_field
from groupbuy.models.orders import Order


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
    base_amount = money_field(help_text="what the buyer paid for commissionable items")
    amount = money_field()
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
