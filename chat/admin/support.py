from django.contrib import admin, messages

from chat.models import FaqEntry, Feedback, SupportConversation
from chat.services.support import feedback_review
from config.exceptions import DomainError


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
