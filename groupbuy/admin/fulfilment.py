"""Shipments and their tracking, read-only."""

from django.contrib import admin

from groupbuy.admin.catalog import ReadOnlyAdmin
from groupbuy.models import Shipment, TrackingEvent


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    readonly_fields = ["status", "description", "location", "occurred_at"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["order", "carrier", "tracking_number", "created_at"]
    search_fields = ["tracking_number"]
    inlines = [TrackingEventInline]
