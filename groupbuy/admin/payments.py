"""Payments, read-only."""

from django.contrib import admin

from groupbuy.admin.catalog import ReadOnlyAdmin
from groupbuy.models import Payment


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "provider", "amount", "status", "needs_refund", "confirmed_at"]
    list_filter = ["status", "needs_refund", "provider"]
