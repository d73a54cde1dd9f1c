"""Messages in Django admin: who wrote where and when, never what (issue #12).

Members' messages are private: staff and moderators read one only through the moderation item it
is on (a report or a watched word), with the messages around it as context. Here they get the
envelope of each message (room, seq, sender, kind, times, deleted/hidden) to find a spammer's
messages and the soft-delete action; there is no body column, no search in bodies and no
change page (which would show the body).
"""

from django.contrib import admin, messages

from chat.models import Message
from chat.services.messages import messages_soft_delete


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "room",
        "room_kind",
        "seq",
        "sender",
        "kind",
        "created_at",
        "deleted_at",
        "hidden_at",
    ]
    # No links to a change page: there is none.
    list_display_links = None
    list_filter = [
        "room__kind",
        ("deleted_at", admin.EmptyFieldListFilter),
        ("hidden_at", admin.EmptyFieldListFilter),
    ]
    # Never the body: a search in bodies would read them one guess at a time.
    search_fields = ["sender__username", "=room__id"]
    list_select_related = ["room", "sender"]
    actions = ["soft_delete"]

    @admin.display(description="room kind", ordering="room__kind")
    def room_kind(self, message: Message) -> str:
        return message.room.get_kind_display()

    def has_add_permission(self, request) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # The list (obj None) for those the roles allow; no single message's page for anyone.
        return obj is None and super().has_view_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Delete selected messages (kept, shown as deleted)")
    def soft_delete(self, request, queryset) -> None:
        count = messages_soft_delete(
            actor=request.user, message_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"{count} messages deleted.", messages.SUCCESS)
