"""The creator commission ledger, read-only."""

from django.contrib import admin

from groupbuy.admin.catalog import ReadOnlyAdmin
from groupbuy.models import CommissionEntry


@admin.register(CommissionEntry)
class CommissionEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "creator", "order", "amount", "status", "confirm_after"]
    list_filter = ["status", "attribution_source"]
    search_fields = ["creator__username"]
    list_select_related = ["creator"]
