"""Refunds, read-only (staff start one from the order admin)."""

from django.contrib import admin

from groupbuy.admin.catalog import ReadOnlyAdmin
from groupbuy.models import Refund


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "amount", "status", "restores_order", "created_at"]
    list_filter = ["status", "restores_order"]
