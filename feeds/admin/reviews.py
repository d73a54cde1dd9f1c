"""Staff hide and restore product reviews."""

from django.contrib import admin

from feeds.admin.posts import ReadOnlyAdmin
from feeds.models.reviews import Review, ReviewStatus
from feeds.services import reviews


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
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
