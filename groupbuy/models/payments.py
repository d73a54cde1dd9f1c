"""Payments: an order's attempts to pay through a provider."""

from django.db import models

from groupbuy.models.catalog import money_field
from groupbuy.models.orders import Order


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=16)
    provider_payment_id = models.CharField(max_length=64, unique=True)
    amount = money_field()
    status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A confirmation that arrived after the order was cancelled: the money must go back.
    needs_refund = models.BooleanField(default=False)
