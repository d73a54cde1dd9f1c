"""Product reviews (only for an item of the reviewer's completed order, once per item) and Q&A."""

from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from community.models import GrowthSource, User
from community.services import growth_add, notification_send
from feeds.exceptions import (
    AlreadyReviewedError,
    FeedsPermissionDeniedError,
    QuestionNotFoundError,
    ReviewNotAllowedError,
)
from feeds.models.reviews import (
    ProductAnswer,
    ProductQuestion,
    Review,
    ReviewImage,
    ReviewStatus,
)
from feeds.services.posts import process_uploads
from groupbuy import selectors as shop


def review_create(
    *, actor: User, order_item_id: int, rating: int, body: str = "", uploads: Sequence = ()
) -> Review:
    """Review an item of the member's completed order (1-5 stars, text, up to 9 photos)."""
    item = shop.order_item_get_completed(buyer_id=actor.pk, order_item_id=order_item_id)
    if item is None:
        raise ReviewNotAllowedError()
    if Review.objects.filter(order_item_id=order_item_id).exists():
        raise AlreadyReviewedError()
    images = process_uploads(uploads)
    saved: list[ReviewImage] = []
    try:
        with transaction.atomic(durable=True):
            review = Review.objects.create(
                author=actor,
                product_id=item.product_id,
                order_item_id=item.pk,
                rating=rating,
                body=body.strip(),
                has_photos=bool(images),
            )
            for sort, image in enumerate(images):
                row = ReviewImage(review=review, width=image.width, height=image.height, sort=sort)
                row.image.save(f"{review.pk}-{sort}.{image.extension}", image.content, save=False)
                saved.append(row)
            ReviewImage.objects.bulk_create(saved)
            if images:
                growth_add(
                    user_id=actor.pk,
                    amount=settings.FEEDS_REVIEW_PHOTO_GROWTH,
                    source=GrowthSource.REVIEW,
                    # Keyed on the order item, not the review: deleting a review and writing it
                    # again must not pay twice.
                    idempotency_key=f"review:item:{order_item_id}",
                    source_type="review",
                    source_id=str(review.pk),
                )
    except IntegrityError as exc:  # a concurrent review of the same item won the one-to-one
        _delete_files(saved)
        raise AlreadyReviewedError() from exc
    except BaseException:
        _delete_files(saved)
        raise
    return review


def _delete_files(rows: list[ReviewImage]) -> None:
    for row in rows:
        row.image.storage.delete(row.image.name)


def review_set_status(*, actor: User, review: Review, status: str) -> Review:
    """Staff hide or restore a review."""
    if not shop.is_staff(actor):
        raise FeedsPermissionDeniedError("Only staff can hide reviews.")
    if status not in ReviewStatus.values:
        raise ValueError(status)
    Review.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


def review_delete(*, actor: User, review: Review) -> None:
    """The reviewer deletes their review (its photos are removed after commit)."""
    if review.author_id != actor.pk:
        raise FeedsPermissionDeniedError("Only the reviewer can delete this review.")
    with transaction.atomic(durable=True):
        for image in ReviewImage.objects.filter(review=review):
            transaction.on_commit(partial(image.image.storage.delete, image.image.name))
        Review.objects.filter(pk=review.pk).delete()


def question_create(*, actor: User, product_id: int, body: str) -> ProductQuestion:
    """Ask a question about a product on sale."""
    product = shop.product_get(product_id=product_id, viewer=actor)
    return ProductQuestion.objects.create(product=product, author=actor, body=body.strip())


def answer_create(*, actor: User, question_id: int, body: str) -> ProductAnswer:
    """Answer a product question; answers by reviewers of the product are marked as buyers'."""
    question = ProductQuestion.objects.filter(pk=question_id).first()
    if question is None:
        raise QuestionNotFoundError()
    is_buyer = Review.objects.filter(author=actor, product_id=question.product_id).exists()
    with transaction.atomic(durable=True):
        answer = ProductAnswer.objects.create(
            question=question, author=actor, body=body.strip(), is_buyer=is_buyer
        )
        ProductQuestion.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
        if question.author_id != actor.pk:
            notification_send(
                user_id=question.author_id,
                type="question_answered",
                title="Your question was answered",
                body=answer.body[:120],
                data={"question_id": question.pk, "product_id": question.product_id},
                dedupe_key=f"question_answered:{answer.pk}",
            )
    return answer
