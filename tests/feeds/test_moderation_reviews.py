"""Moderating product reviews and Q&A: reports hide a review from the product page and its rating
summary (its author still sees it), a moderator approves it back or removes it, watched words and
new-member pre-moderation apply when reviewing, and Q&A text is screened at submit."""

import pytest

from community.models import GrowthEntry
from feeds.models import Review
from feeds.models.reviews import ProductAnswer, ProductQuestion
from tests.factories import UserFactory
from tests.feeds.conftest import (
    client_for,
    completed_item,
    decide,
    outcomes,
    queue_item,
    report,
    upload,
    watch,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "hide_at_two_reports")]


@pytest.fixture
def buyer(db):
    return UserFactory(username="buyer")


def _review(member, product, body="Rich and spicy", rating=5, **extra):
    item = completed_item(member, product)
    return client_for(member).post(
        "/api/v1/reviews/",
        {"order_item": item.pk, "rating": rating, "body": body, **extra},
        format="multipart",
    )


def _listed(member, product) -> list[tuple[int, str]]:
    response = client_for(member).get(f"/api/v1/products/{product.pk}/reviews/")
    assert response.status_code == 200, response.json()
    return [(r["id"], r["status"]) for r in response.json()["results"]]


def _summary(product) -> tuple[int, float | None]:
    body = client_for(None).get(f"/api/v1/products/{product.pk}/reviews/summary/").json()
    return body["count"], body["average"]


def test_two_reports_hide_a_review_from_the_page_and_the_summary(
    product, buyer, reporters, moderator
):
    kept = _review(UserFactory(), product, rating=4).json()["id"]
    reported = _review(buyer, product, "Fake! Buy from my shop instead", rating=1).json()["id"]
    assert _summary(product) == (2, 2.5)

    report("review", reported, *reporters)

    assert _listed(UserFactory(), product) == [(kept, "visible")]
    assert _listed(None, product) == [(kept, "visible")]
    assert _summary(product) == (1, 4.0)
    assert _listed(buyer, product) == [(reported, "hidden"), (kept, "visible")]
    item = queue_item(moderator, "review", reported)
    assert item["hidden"] is True
    assert item["preview"]["text"] == "★ Fake! Buy from my shop instead"


def test_a_moderator_approves_the_review_and_it_is_back(product, buyer, reporters, moderator):
    reported = _review(buyer, product, rating=3).json()["id"]
    report("review", reported, *reporters)

    decide(moderator, queue_item(moderator, "review", reported), "approve", reason="")

    assert _listed(UserFactory(), product) == [(reported, "visible")]
    assert _summary(product) == (1, 3.0)


def test_a_removed_review_stays_hidden_and_everyone_involved_is_told(
    product, buyer, reporters, moderator
):
    reported = _review(buyer, product).json()["id"]
    report("review", reported, *reporters)

    decide(moderator, queue_item(moderator, "review", reported), "remove", reason="Off-topic")

    assert _listed(UserFactory(), product) == []
    for member in (buyer, *reporters):
        data = outcomes(member)[-1]["data"]
        assert (data["action"], data["reason"], data["target_type"], data["target_id"]) == (
            "remove",
            "Off-topic",
            "review",
            reported,
        )


def test_a_blocked_word_is_refused_and_nothing_is_stored(product, buyer, moderator):
    watch(moderator, "scamcoin", "block")

    response = _review(buyer, product, "Pay me in ScamCoin")

    assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    assert Review.objects.count() == 0


def test_a_censored_word_is_masked(product, buyer, moderator):
    watch(moderator, "dang", "censor")

    response = _review(buyer, product, "Dang good paste")

    assert response.json()["body"] == "**** good paste"


def test_a_word_that_asks_for_approval_holds_the_review(product, buyer, moderator):
    watch(moderator, "wechat me", "require_approval")

    response = _review(buyer, product, "Cheaper if you wechat me")

    review_id = response.json()["id"]
    assert (response.status_code, response.json()["status"]) == (201, "hidden")
    assert _listed(UserFactory(), product) == []
    item = queue_item(moderator, "review", review_id)
    assert (item["source"], item["hidden"]) == ("watched_word", True)


@pytest.mark.usefixtures("premoderation")
def test_a_new_members_photo_review_waits_and_earns_its_growth_when_approved(
    product, buyer, moderator
):
    response = _review(buyer, product, "Great", images=[upload()])

    review_id = response.json()["id"]
    assert response.json()["status"] == "hidden"
    assert _summary(product) == (0, None)
    assert not GrowthEntry.objects.filter(user=buyer, source="review").exists()
    item = queue_item(moderator, "review", review_id)
    assert (item["source"], item["hidden"]) == ("pre_moderation", True)

    decide(moderator, item, "approve", reason="")

    assert _listed(UserFactory(), product) == [(review_id, "visible")]
    assert GrowthEntry.objects.filter(user=buyer, source="review").count() == 1


def test_a_muted_member_cannot_review(product, buyer, reporters, moderator):
    first = _review(buyer, product).json()["id"]
    report("review", first, *reporters)
    decide(moderator, queue_item(moderator, "review", first), "mute", duration_hours=24)
    buyer.refresh_from_db()  # as the next request would load them

    response = _review(buyer, product, "Again")

    assert (response.status_code, response.json()["code"]) == (403, "sanctioned")
    assert Review.objects.count() == 1


# --- product Q&A: screened at submit, not a reportable type ----------------------------------


def _ask(member, product, body):
    return client_for(member).post(
        f"/api/v1/products/{product.pk}/questions/", {"body": body}, format="json"
    )


def _answer(member, question_id, body):
    return client_for(member).post(
        f"/api/v1/questions/{question_id}/answers/", {"body": body}, format="json"
    )


def test_questions_and_answers_refuse_blocked_words_and_mask_censored_ones(
    product, buyer, moderator
):
    watch(moderator, "scamcoin", "block")
    watch(moderator, "dang", "censor")
    question = _ask(buyer, product, "Is it spicy?").json()["id"]

    blocked_question = _ask(buyer, product, "scamcoin accepted?")
    blocked_answer = _answer(UserFactory(), question, "pay with scam coin")
    censored = _answer(UserFactory(), question, "Dang spicy")

    for response in (blocked_question, blocked_answer):
        assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    assert ProductQuestion.objects.count() == 1
    assert censored.json()["body"] == "**** spicy"
    assert ProductAnswer.objects.count() == 1


def test_questions_and_answers_cannot_wait_for_approval_so_such_words_are_refused(
    product, buyer, moderator
):
    watch(moderator, "wechat me", "require_approval")
    question = _ask(buyer, product, "Is it spicy?").json()["id"]

    answer = _answer(UserFactory(), question, "wechat me for a discount")

    assert (answer.status_code, answer.json()["code"]) == (400, "blocked_word")
    assert ProductAnswer.objects.count() == 0


def test_a_muted_member_cannot_ask_or_answer(product, buyer, reporters, moderator):
    first = _review(buyer, product).json()["id"]
    question = _ask(UserFactory(), product, "Is it spicy?").json()["id"]
    report("review", first, *reporters)
    decide(moderator, queue_item(moderator, "review", first), "mute", duration_hours=24)
    buyer.refresh_from_db()

    asked = _ask(buyer, product, "Hello?")
    answered = _answer(buyer, question, "Yes")

    for response in (asked, answered):
        assert (response.status_code, response.json()["code"]) == (403, "sanctioned")
    assert ProductQuestion.objects.count() == 1
    assert ProductAnswer.objects.count() == 0
