"""Reviews and Q&A, search (Chinese included), the ranking functions and the evaluation command."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.models import GrowthEntry
from feeds.models import Like, Review, ReviewImage
from feeds.selectors import feeds as ranking
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, completed_item, make_post, stored_files, upload

pytestmark = pytest.mark.django_db


# --- reviews --------------------------------------------------------------------------------------


def test_a_buyer_reviews_a_completed_item_once_with_photos(reader, product, media):
    item = completed_item(reader, product)
    client = client_for(reader)

    first = client.post(
        "/api/v1/reviews/",
        {"order_item": item.pk, "rating": 5, "body": "Very fragrant", "images": [upload()]},
        format="multipart",
    )
    second = client.post(
        "/api/v1/reviews/", {"order_item": item.pk, "rating": 1}, format="multipart"
    )

    assert first.status_code == 201, first.json()
    assert first.json()["rating"] == 5 and len(first.json()["images"]) == 1
    assert (second.status_code, second.json()["code"]) == (409, "already_reviewed")
    assert Review.objects.count() == 1
    assert GrowthEntry.objects.get(user=reader, source="review").amount == 20
    listing = client_for(None).get(f"/api/v1/products/{product.pk}/reviews/").json()
    photos = client_for(None).get(f"/api/v1/products/{product.pk}/reviews/?with_photos=1").json()
    summary = client_for(None).get(f"/api/v1/products/{product.pk}/reviews/summary/").json()
    assert [r["body"] for r in listing["results"]] == ["Very fragrant"]
    assert len(photos["results"]) == 1
    assert summary == {
        "count": 1,
        "average": 5.0,
        "stars": {"5": 1, "4": 0, "3": 0, "2": 0, "1": 0},
    }


def test_deleting_and_rewriting_a_review_does_not_pay_the_photo_growth_twice(
    reader, product, media
):
    item = completed_item(reader, product)
    client = client_for(reader)

    for _ in range(3):
        made = client.post(
            "/api/v1/reviews/",
            {"order_item": item.pk, "rating": 5, "images": [upload()]},
            format="multipart",
        )
        assert made.status_code == 201
        assert client.delete(f"/api/v1/reviews/{made.json()['id']}/").status_code == 204

    assert [g.amount for g in GrowthEntry.objects.filter(user=reader, source="review")] == [20]


def test_review_permission_matrix(reader, product, media):
    from groupbuy.services import order_create

    item = completed_item(reader, product)
    unpaid = order_create(buyer=reader, items=[(product.pk, 1)]).items.get()
    body = {"order_item": item.pk, "rating": 4}

    anonymous = client_for(None).post("/api/v1/reviews/", body, format="multipart")
    other = client_for(UserFactory()).post("/api/v1/reviews/", body, format="multipart")
    not_completed = client_for(reader).post(
        "/api/v1/reviews/", {"order_item": unpaid.pk, "rating": 4}, format="multipart"
    )
    bad_rating = client_for(reader).post(
        "/api/v1/reviews/", {"order_item": item.pk, "rating": 6}, format="multipart"
    )
    bad_photo = client_for(reader).post(
        "/api/v1/reviews/",
        {"order_item": item.pk, "rating": 4, "images": [upload(b"not an image", "x.png")]},
        format="multipart",
    )

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (other.status_code, other.json()["code"]) == (403, "review_not_allowed")
    assert (not_completed.status_code, not_completed.json()["code"]) == (403, "review_not_allowed")
    assert (bad_rating.status_code, bad_rating.json()["code"]) == (400, "validation_error")
    assert (bad_photo.status_code, bad_photo.json()["code"]) == (400, "invalid_image")
    assert Review.objects.count() == ReviewImage.objects.count() == 0
    assert stored_files(media) == []


def test_review_delete_matrix(reader, product, staff, media):
    item = completed_item(reader, product)
    review = (
        client_for(reader)
        .post("/api/v1/reviews/", {"order_item": item.pk, "rating": 3}, format="multipart")
        .json()
    )
    url = f"/api/v1/reviews/{review['id']}/"

    anonymous = client_for(None).delete(url)
    other = client_for(UserFactory()).delete(url)
    by_staff = client_for(staff).delete(url)
    assert [anonymous.status_code, other.status_code, by_staff.status_code] == [401, 403, 403]
    assert Review.objects.count() == 1
    own = client_for(reader).delete(url)
    gone = client_for(reader).delete(url)
    assert own.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "review_not_found")


def test_questions_and_answers_mark_buyers(reader, product, media):
    asker = UserFactory(username="asker")
    client_for(reader).post(
        "/api/v1/reviews/",
        {"order_item": completed_item(reader, product).pk, "rating": 5},
        format="multipart",
    )
    question = client_for(asker).post(
        f"/api/v1/products/{product.pk}/questions/", {"body": "Is it spicy?"}, format="json"
    )
    client_for(UserFactory()).post(
        f"/api/v1/questions/{question.json()['id']}/answers/", {"body": "No idea"}, format="json"
    )
    client_for(reader).post(
        f"/api/v1/questions/{question.json()['id']}/answers/", {"body": "Very"}, format="json"
    )

    listing = client_for(None).get(f"/api/v1/products/{product.pk}/questions/").json()
    anonymous = client_for(None).post(
        f"/api/v1/products/{product.pk}/questions/", {"body": "?"}, format="json"
    )
    missing = client_for(asker).post(
        "/api/v1/questions/9999/answers/", {"body": "x"}, format="json"
    )
    empty = client_for(asker).post(
        f"/api/v1/products/{product.pk}/questions/", {"body": ""}, format="json"
    )

    answers = listing["results"][0]["answers"]
    assert [(a["body"], a["is_buyer"]) for a in answers] == [("Very", True), ("No idea", False)]
    assert listing["results"][0]["answer_count"] == 2
    assert anonymous.status_code == 401
    assert (missing.status_code, missing.json()["code"]) == (404, "question_not_found")
    assert (empty.status_code, empty.json()["code"]) == (400, "validation_error")


# --- search ---------------------------------------------------------------------------------------


def test_search_finds_chinese_text_in_posts_products_users_and_topics(author, product, media):
    make_post(author, title="周末做了麻婆豆腐", body="郫县豆瓣要先炒出红油 #川菜")
    make_post(author, title="Weekend baking", body="Sourdough loaves")
    client = client_for(None)

    posts = client.get("/api/v1/search/", {"q": "豆瓣", "type": "post"}).json()
    english = client.get("/api/v1/search/", {"q": "sourdough"}).json()
    products = client.get("/api/v1/search/", {"q": "郫县", "type": "product"}).json()
    users = client.get("/api/v1/search/", {"q": "美食", "type": "user"}).json()
    topics = client.get("/api/v1/search/", {"q": "#川", "type": "topic"}).json()

    assert [p["title"] for p in posts["results"]] == ["周末做了麻婆豆腐"]
    assert [p["title"] for p in english["results"]] == ["Weekend baking"]
    assert [p["id"] for p in products["results"]] == [product.pk]
    assert [u["username"] for u in users["results"]] == ["lily"]
    assert [t["name"] for t in topics["results"]] == ["川菜"]


def test_every_word_of_a_search_must_match_in_any_order(author, media):
    make_post(author, title="Hiking the tea hills", body="Longjing village in spring")
    make_post(author, title="Tea at home", body="A quiet afternoon")
    client = client_for(None)

    both = client.get("/api/v1/search/", {"q": "spring tea", "type": "post"}).json()
    one = client.get("/api/v1/search/", {"q": "tea", "type": "post"}).json()
    none = client.get("/api/v1/search/", {"q": "tea coffee", "type": "post"}).json()

    assert [p["title"] for p in both["results"]] == ["Hiking the tea hills"]
    assert sorted(p["title"] for p in one["results"]) == ["Hiking the tea hills", "Tea at home"]
    assert none["results"] == []


def test_search_does_not_show_drafts(author, media):
    make_post(author, title="秘密草稿", publish=False)

    response = client_for(None).get("/api/v1/search/", {"q": "秘密"})

    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, "invalid_query"),
        ({"q": "x" * 101}, "invalid_query"),
        ({"q": "a", "type": "x"}, "validation_error"),
    ],
)
def test_bad_searches_are_refused(params, code):
    response = client_for(None).get("/api/v1/search/", params)

    assert (response.status_code, response.json()["code"]) == (400, code)


# --- ranking and evaluation -----------------------------------------------------------------------


def test_diversify_keeps_two_per_author_in_rank_order():
    ranked = [ranking.Candidate(i, author, 10 - i) for i, author in enumerate([1, 1, 1, 2, 1, 3])]

    page = ranking.diversify(ranked, per_author=2, size=4)

    assert [c.post_id for c in page] == [0, 1, 3, 5]


def test_cooccurrence_is_cosine_of_user_sets():
    similar = ranking.cooccurrence({1: {10, 20}, 2: {10, 20}, 3: {10, 30}}, neighbours=5)

    assert similar[20] == [(10, pytest.approx(2 / (3 * 2) ** 0.5), 2)]
    assert [item for item, _, _ in similar[10]] == [20, 30]
    assert ranking.recommend_by_similarity({20}, similar, k=2) == [10]


def test_decay_halves_per_half_life():
    now = timezone.now()
    assert (
        ranking.decayed(8.0, published_at=now - timedelta(hours=24), now=now, half_life_hours=24)
        == 4.0
    )


def test_evaluation_command_beats_nothing_and_reports_both_models(author, media):
    posts = [make_post(author, title=f"p{i}") for i in range(6)]
    users = [UserFactory() for _ in range(6)]
    old = timezone.now() - timedelta(days=30)
    for user in users:
        for post in posts[:2]:
            Like.objects.create(user=user, post=post)
    Like.objects.filter().update(created_at=old)
    for user in users[:3]:
        Like.objects.create(user=user, post=posts[2])
    Like.objects.filter(post=posts[2]).update(created_at=old)
    for user in users[3:]:
        Like.objects.create(user=user, post=posts[2])  # the holdout: after the split

    out = io.StringIO()
    call_command("feeds_evaluate", "--k", "2", "--split-days", "7", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "holdout: the last 7 days; k=2"
    assert lines[1].startswith("cooccurrence  users=3     precision@2=0.5000 recall@2=1.0000")
    assert lines[2].startswith("popularity    users=3     precision@2=0.5000 recall@2=1.0000")
