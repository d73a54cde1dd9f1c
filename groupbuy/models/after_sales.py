"""After-sales requests (return, refund only, exchange) and their photos."""

from django.conf import settings
from django.db import models

from groupbuy.models.orders import Order


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
