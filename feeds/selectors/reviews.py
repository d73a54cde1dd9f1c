"""Reads of product reviews and Q&A. A review moderation holds back (``hidden``) is shown to its
author only (and to moderators through the queue), and never counts in the rating summary."""

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from community.selectors.accounts import can_moderate_content
from feeds.models.reviews import (
    ProductAnswer,
    ProductQuestion,
    Review,
    ReviewImage,
    ReviewStatus,
)


def reviews_for_product(
    *, product_id: int, with_photos: bool = False, viewer=None
) -> QuerySet[Review]:
    """Visible reviews of a product, and the viewer's own held back by moderation."""
    shown = Q(status=ReviewStatus.VISIBLE)
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(author_id=viewer.pk)
    reviews = (
        Review.objects.filter(shown, product_id=product_id)
        .select_related("author")
        .prefetch_related(Prefetch("images", queryset=ReviewImage.objects.order_by("sort")))
    )
    return reviews.filter(has_photos=True) if with_photos else reviews


def review_summary(*, product_id: int) -> dict:
    visible = Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE)
    totals = visible.aggregate(count=Count("pk"), average=Avg("rating"))
    stars = dict(visible.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    average = totals["average"]
    return {
        "count": totals["count"],
        "average": round(float(average), 2) if average is not None else None,
        "stars": {str(s): stars.get(s, 0) for s in range(5, 0, -1)},
    }


def review_get(*, review_id: int) -> Review | None:
    return Review.objects.filter(pk=review_id).first()


def questions_for_product(*, product_id: int) -> QuerySet[ProductQuestion]:
    answers = ProductAnswer.objects.select_related("author").order_by("-is_buyer", "id")
    return (
        ProductQuestion.objects.filter(product_id=product_id)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )


def review_visible_to(review: Review, viewer) -> bool:
    """Whether ``viewer`` can read this review now (what a member can report)."""
    if review.status == ReviewStatus.VISIBLE:
        return True
    signed_in = viewer is not None and viewer.is_authenticated
    return signed_in and (review.author_id == viewer.pk or can_moderate_content(viewer))
