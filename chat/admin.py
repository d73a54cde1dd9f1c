from django.contrib import admin, messages

from chat.models import (
    FaqEntry,
    Feedback,
    LiveComment,
    LiveStream,
    Message,
    Room,
    RoomMember,
    SupportConversation,
)
from chat.services import messages_soft_delete
from chat.services.support import feedback_review
from config.exceptions import DomainError


class RoomMemberInline(admin.TabularInline):
    model = RoomMember
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["last_read_seq", "joined_at"]


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


@admin.register(Room)
class RoomAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "kind", "title", "community", "last_seq", "last_activity_at"]
    list_filter = ["kind"]
    search_fields = ["title", "direct_key"]
    raw_id_fields = ["community", "created_by"]
    # The seq counter belongs to message_send alone.
    readonly_fields = ["direct_key", "last_seq", "last_activity_at", "created_at"]
    inlines = [RoomMemberInline]


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


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "keywords", "is_active", "sort"]
    list_editable = ["is_active", "sort"]
    search_fields = ["question", "answer", "keywords"]


@admin.register(SupportConversation)
class SupportConversationAdmin(admin.ModelAdmin):
    list_display = ["id", "member", "status", "priority", "agent", "rating", "created_at"]
    list_filter = ["status", "rating"]
    search_fields = ["member__username", "agent__username", "rating_feedback"]
    raw_id_fields = ["room", "member", "agent", "order"]
    # State changes go through the desk's services (claim, transfer, close), not this form.
    readonly_fields = [
        "room",
        "member",
        "order",
        "status",
        "priority",
        "agent",
        "requested_at",
        "claimed_at",
        "closed_at",
        "rating",
        "rating_feedback",
        "created_at",
    ]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "short_body", "product", "status", "points_awarded", "created_at"]
    list_filter = ["status"]
    search_fields = ["body", "user__username"]
    raw_id_fields = ["user", "product", "reviewed_by"]
    readonly_fields = ["status", "points_awarded", "reviewed_by", "reviewed_at", "created_at"]
    actions = ["accept", "reject"]

    @admin.display(description="body")
    def short_body(self, feedback: Feedback) -> str:
        return feedback.body[:80]

    def _review(self, request, queryset, accept: bool) -> None:
        done = 0
        for feedback in queryset:
            try:
                feedback_review(actor=request.user, feedback=feedback, accept=accept)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"#{feedback.pk}: {exc.detail}", messages.WARNING)
        self.message_user(request, f"{done} reviewed.", messages.SUCCESS)

    @admin.action(description="Accept (awards points once)")
    def accept(self, request, queryset) -> None:
        self._review(request, queryset, True)

    @admin.action(description="Reject")
    def reject(self, request, queryset) -> None:
        self._review(request, queryset, False)


@admin.register(LiveStream)
class LiveStreamAdmin(ChangedFieldsOnlyAdmin):
    list_display = ["id", "title", "host", "status", "starts_at", "likes_count", "peak_viewers"]
    list_filter = ["status"]
    search_fields = ["title", "host__username"]
    raw_id_fields = ["host", "pinned_product"]
    # Counters and state belong to the live services (go live / end, the flusher).
    readonly_fields = [
        "status",
        "went_live_at",
        "ended_at",
        "last_comment_seq",
        "flushed_seq",
        "likes_count",
        "peak_viewers",
        "created_at",
    ]


@admin.register(LiveComment)
class LiveCommentAdmin(admin.ModelAdmin):
    list_display = ["id", "stream", "seq", "user", "body", "offset_seconds", "deleted_at"]
    list_filter = [("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "user__username"]
    raw_id_fields = ["stream", "user"]
    readonly_fields = ["stream", "seq", "user", "client_msg_id", "offset_seconds", "created_at"]
