"""Product reviews (only for an item of the reviewer's completed order, once per item) and Q&A.

Reviews are screened like every member text and a trust-level-0 reviewer's review waits for a
moderator (``hidden`` until approved). Questions and answers are screened too, but they have no
queue of their own (they are not a reportable type): a word that asks for approval is refused
there, since they are published at once or not at all.
"""

from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from community.exceptions import BlockedWordError
from community.models import GrowthSource, User
from community.selectors import can_moderate_content
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
from feeds.services.screening import premoderated, queue_screened, screen
from groupbuy import selectors as shop


def review_create(
    *, actor: User, order_item_id: int, rating: int, body: str = "", uploads: Sequence = ()
) -> Review:
    """Review an item of the member's completed order (1-5 stars, text, up to 9 photos); a new
    member's review, or one with a word that asks for approval, waits for a moderator."""
    screened = screen(actor, body)
    body = screened.texts[0]
    item = shop.order_item_get_completed(buyer_id=actor.pk, order_item_id=order_item_id)
    if item is None:
        raise ReviewNotAllowedError()
    if Review.objects.filter(order_item_id=order_item_id).exists():
        raise AlreadyReviewedError()
    images = process_uploads(uploads)
    saved: list[ReviewImage] = []
    try:
        with transaction.atomic(durable=True):
            premoderate = premoderated(actor)
            review = Review.objects.create(
                author=actor,
                product_id=item.product_id,
                order_item_id=item.pk,
                rating=rating,
                body=body.strip(),
                has_photos=bool(images),
                status=(
                    ReviewStatus.HIDDEN if premoderate or screened.held else ReviewStatus.VISIBLE
                ),
            )
            for sort, image in enumerate(images):
                row = ReviewImage(review=review, width=image.width, height=image.height, sort=sort)
                row.image.save(f"{review.pk}-{sort}.{image.extension}", image.content, save=False)
                saved.append(row)
            ReviewImage.objects.bulk_create(saved)
            queue_screened(
                target_type="review",
                target_id=review.pk,
                author_id=actor.pk,
                screened=screened,
                premoderate=premoderate,
            )
            if review.status == ReviewStatus.VISIBLE:
                _reward(review)
    except IntegrityError as exc:  # a concurrent review of the same item won the one-to-one
        _delete_files(saved)
        raise AlreadyReviewedError() from exc
    except BaseException:
        _delete_files(saved)
        raise
    return review


def _reward(review: Review) -> None:
    """The growth a photo review earns, once it is shown (paid once per order item)."""
    if not review.has_photos:
        return
    growth_add(
        user_id=review.author_id,
        amount=settings.FEEDS_REVIEW_PHOTO_GROWTH,
        source=GrowthSource.REVIEW,
        # Keyed on the order item, not the review: deleting a review and writing it again, or a
        # review approved again after an appeal, must not pay twice.
        idempotency_key=f"review:item:{review.order_item_id}",
        source_type="review",
        source_id=str(review.pk),
    )


def _delete_files(rows: list[ReviewImage]) -> None:
    for row in rows:
        row.image.storage.delete(row.image.name)


def review_hide(*, review: Review) -> bool:
    """Moderation takes a review down: off the product page and out of its rating summary; its
    author still sees it. Soft: ``review_restore`` puts it back."""
    changed = Review.objects.filter(pk=review.pk, status=ReviewStatus.VISIBLE).update(
        status=ReviewStatus.HIDDEN
    )
    review.refresh_from_db(fields=["status"])
    return bool(changed)


def review_restore(*, review: Review) -> bool:
    """A moderator approves a held review (its photo growth is paid then) or reverses its
    removal. A review its author deleted no longer exists, so it never comes back."""
    with transaction.atomic():
        changed = Review.objects.filter(pk=review.pk, status=ReviewStatus.HIDDEN).update(
            status=ReviewStatus.VISIBLE
        )
        review.refresh_from_db(fields=["status"])
        if changed:
            _reward(review)
    return bool(changed)


def review_set_status(*, actor: User, review: Review, status: str) -> Review:
    """Staff and moderators hide or restore a review (the admin's actions): the same moves as the
    moderation queue's."""
    if not can_moderate_content(actor):
        raise FeedsPermissionDeniedError("Only staff and moderators can hide reviews.")
    if status not in ReviewStatus.values:
        raise ValueError(status)
    if status == ReviewStatus.HIDDEN:
        review_hide(review=review)
    else:
        review_restore(review=review)
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
    body = _screen_qa(actor, body)
    product = shop.product_get(product_id=product_id, viewer=actor)
    return ProductQuestion.objects.create(product=product, author=actor, body=body.strip())


def answer_create(*, actor: User, question_id: int, body: str) -> ProductAnswer:
    """Answer a product question; answers by reviewers of the product are marked as buyers'."""
    body = _screen_qa(actor, body)
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


def _screen_qa(actor: User, body: str) -> str:
    """Q&A text as it may be published: sanctions and blocked words refused, censored words
    masked. Q&A has no review step, so a word that asks for approval is refused like a blocked
    one (a flagged word is published: there is nothing to queue it as)."""
    screened = screen(actor, body)
    if screened.held:
        raise BlockedWordError(
            "This text needs a moderator's approval, which questions and answers cannot wait "
            "for: please rephrase it."
        )
    return screened.texts[0]
