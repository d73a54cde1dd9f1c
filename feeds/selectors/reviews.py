"""Reads of product reviews and Q&A."""

from django.db.models import Avg, Count, Prefetch, QuerySet

from feeds.models.reviews import (
    ProductAnswer,
    ProductQuestion,
    Review,
    ReviewImage,
    ReviewStatus,
)


def reviews_for_product(*, product_id: int, with_photos: bool = False) -> QuerySet[Review]:
    reviews = (
        Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE)
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
