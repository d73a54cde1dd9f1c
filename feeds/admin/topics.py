"""Staff approve topics before they are shown as trending."""

from django.contrib import admin

from feeds.admin.posts import ReadOnlyAdmin
from feeds.models.topics import Topic
from feeds.services import topics


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["name", "post_count", "trending_approved", "approved_by", "approved_at"]
    list_filter = ["trending_approved"]
    search_fields = ["name"]
    actions = ["approve_trending", "revoke_trending"]

    @admin.action(description="Approve as trending")
    def approve_trending(self, request, queryset) -> None:
        for topic in queryset:
            topics.topic_approve_trending(actor=request.user, topic=topic, approved=True)

    @admin.action(description="Stop showing as trending")
    def revoke_trending(self, request, queryset) -> None:
        for topic in queryset:
            topics.topic_approve_trending(actor=request.user, topic=topic, approved=False)
