from django.contrib import admin, messages

from chat.models import Message
from chat.services.messages import messages_soft_delete


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "room", "seq", "sender", "short_body", "created_at", "deleted_at"]
    list_filter = ["room__kind", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "sender__username", "client_msg_id"]
    raw_id_fields = ["room", "sender", "reply_to"]
    readonly_fields = ["room", "seq", "sender", "client_msg_id", "created_at", "edited_at"]
    list_select_related = ["room", "sender"]
    actions = ["soft_delete"]

    @admin.display(description="body")
    def short_body(self, message: Message) -> str:
        return message.body[:80]

    @admin.action(description="Delete selected messages (kept, shown as deleted)")
    def soft_delete(self, request, queryset) -> None:
        count = messages_soft_delete(
            actor=request.user, message_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"{count} messages deleted.", messages.SUCCESS)
