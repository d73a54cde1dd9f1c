from django.contrib import admin

from chat.models import Room, RoomMember


class ChangedFieldsOnlyAdmin(admin.ModelAdmin):
    """Saving a change writes only the fields the form changed: a full save would write back
    counters (seq, likes) as they were read, over increments the services made meanwhile."""

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {field.name for field in obj._meta.concrete_fields}
        changed = [name for name in form.changed_data if name in concrete]
        if changed:
            obj.save(update_fields=changed)


class RoomMemberInline(admin.TabularInline):
    model = RoomMember
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["last_read_seq", "joined_at"]


@admin.register(Room)
class RoomAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "kind", "title", "community", "last_seq", "last_activity_at"]
    list_filter = ["kind"]
    search_fields = ["title", "direct_key"]
    raw_id_fields = ["community", "created_by"]
    # The seq counter belongs to message_send alone.
    readonly_fields = ["direct_key", "last_seq", "last_activity_at", "created_at"]
    inlines = [RoomMemberInline]
