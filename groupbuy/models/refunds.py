"""Refunds (PRODUCT.md §7): money going back for a payment, at most once."""

from django.conf import settings
from django.db import models

from groupbuy.models.catalog import money_field
from groupbuy.models.orders import Order
from groupbuy.models.payments import Payment


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"


class Refund(models.Model):
    """Money going back for one payment; one per payment, so a refund can only happen once."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = money_field()
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
