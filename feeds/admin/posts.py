"""Staff tooling for posts, acting through the services; and the read-only base of every feeds
admin."""

from django.contrib import admin, messages

from feeds.models.posts import Post, PostStatus
from feeds.services import posts


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # A draft is its author's private work: moderators (who review what was submitted or
        # published, and hold no delete permission) never see one; staff run every row.
        if not request.user.has_perm("feeds.delete_post"):
            queryset = queryset.exclude(status=PostStatus.DRAFT)
        return queryset

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
