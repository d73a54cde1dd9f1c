"""Admin for the members' notification inboxes (read-only: notifications go through the service)."""

from django.contrib import admin

from community.admin.loyalty import ReadOnlyAdmin
from community.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "seq", "type", "title", "created_at", "read_at"]
    list_filter = ["type"]
    search_fields = ["user__username", "title"]
