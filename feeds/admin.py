"""Staff tooling for posts, topics, reviews and share links, acting through the services."""

from django.contrib import admin, messages

from feeds.models import (
    Post,
    PostStatus,
    Review,
    ReviewStatus,
    ShareFraudFlag,
    ShareLink,
    ShareReward,
    Topic,
)
from feeds.services import posts, reviews, shares


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(_ReadOnly):
    list_display = [
        "title",
        "author",
        "status",
        "like_count",
        "comment_count",
        "is_featured",
        "published_at",
    ]
    list_filter = ["status", "is_featured"]
    search_fields = ["title", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["author", "community"]
    date_hierarchy = "created_at"
    actions = ["publish", "hide", "remove", "feature", "unfeature"]

    def _moderate(self, request, queryset, status: str) -> None:
        for post in queryset:
            posts.post_moderate(actor=request.user, post=post, status=status)
        messages.success(request, f"{queryset.count()} posts now {status}.")

    @admin.action(description="Publish (approve)")
    def publish(self, request, queryset) -> None:
        self._moderate(request, queryset, PostStatus.PUBLISHED)

    @admin.action(description="Hide")
    def hide(self, request, queryset) -> None:
        self._moderate(request, queryset, PostStatus.HIDDEN)

    @admin.action(description="Remove")
    def remove(self, request, queryset) -> None:
        self._moderate(request, queryset, PostStatus.REMOVED)

    @admin.action(description="Feature")
    def feature(self, request, queryset) -> None:
        for post in queryset:
            posts.post_feature(actor=request.user, post=post, featured=True)

    @admin.action(description="Stop featuring")
    def unfeature(self, request, queryset) -> None:
        for post in queryset:
            posts.post_feature(actor=request.user, post=post, featured=False)


@admin.register(Topic)
class TopicAdmin(_ReadOnly):
    list_display = ["name", "post_count", "trending_approved", "approved_by", "approved_at"]
    list_filter = ["trending_approved"]
    search_fields = ["name"]
    actions = ["approve_trending", "revoke_trending"]

    @admin.action(description="Approve as trending")
    def approve_trending(self, request, queryset) -> None:
        for topic in queryset:
            posts.topic_approve_trending(actor=request.user, topic=topic, approved=True)

    @admin.action(description="Stop showing as trending")
    def revoke_trending(self, request, queryset) -> None:
        for topic in queryset:
            posts.topic_approve_trending(actor=request.user, topic=topic, approved=False)


@admin.register(Review)
class ReviewAdmin(_ReadOnly):
    list_display = ["product", "author", "rating", "has_photos", "status", "created_at"]
    list_filter = ["status", "rating", "has_photos"]
    search_fields = ["author__username", "body"]
    raw_id_fields = ["author", "product", "order_item"]
    actions = ["hide", "restore"]

    @admin.action(description="Hide")
    def hide(self, request, queryset) -> None:
        for review in queryset:
            reviews.review_set_status(actor=request.user, review=review, status=ReviewStatus.HIDDEN)

    @admin.action(description="Restore")
    def restore(self, request, queryset) -> None:
        for review in queryset:
            reviews.review_set_status(
                actor=request.user, review=review, status=ReviewStatus.VISIBLE
            )


class ShareRewardInline(admin.TabularInline):
    model = ShareReward
    fields = ["kind", "status", "hold_reason", "points", "visitor", "order_id", "created_at"]
    readonly_fields = [
        "kind",
        "status",
        "hold_reason",
        "points",
        "visitor",
        "order_id",
        "created_at",
    ]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(_ReadOnly):
    list_display = ["code", "sharer", "target_type", "target_id", "earns_rewards", "created_at"]
    list_filter = ["target_type", "earns_rewards"]
    search_fields = ["code", "sharer__username"]
    raw_id_fields = ["sharer"]
    inlines = [ShareRewardInline]


@admin.register(ShareFraudFlag)
class ShareFraudFlagAdmin(_ReadOnly):
    list_display = ["sharer", "signal", "accounts", "created_at", "resolution", "resolved_by"]
    list_filter = ["signal", "resolution"]
    raw_id_fields = ["sharer", "link"]
    actions = ["release", "void"]

    @admin.action(description="Release held rewards (not fraud)")
    def release(self, request, queryset) -> None:
        paid = sum(
            shares.share_fraud_resolve(actor=request.user, flag=f, release=True) for f in queryset
        )
        messages.success(request, f"{paid} rewards released.")

    @admin.action(description="Void held rewards (fraud)")
    def void(self, request, queryset) -> None:
        voided = sum(
            shares.share_fraud_resolve(actor=request.user, flag=f, release=False) for f in queryset
        )
        messages.success(request, f"{voided} rewards voided.")
