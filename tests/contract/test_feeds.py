"""API.md "Feeds": posts (multipart), like/save, comments, the feeds, topics, search, share links,
the /s/ redirect and link stats."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chat.services.live import livestream_create
from community.services import role_grant
from feeds.models import ShareClick
from groupbuy import services as shop
from tests.contract.helpers import app, assert_error, assert_iso, assert_page
from tests.factories import UserFactory
from tests.feeds.conftest import make_post, upload
from tests.groupbuy import flashflow, teamflow
from tests.groupbuy.orderflow import product as make_product

pytestmark = pytest.mark.django_db

STATS_KEYS = {"clicks", "unique_clicks", "registrations", "orders", "points_awarded"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def author(db):
    return UserFactory(username="lily")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


def share(user, target_type, target_id):
    return app(user).post(
        "/api/v1/share-links/", {"target_type": target_type, "target_id": target_id}, format="json"
    )


# --- posts -------------------------------------------------------------------------------------


def test_multipart_post_with_images_topics_products_and_community(author, media):
    goods = make_product(title="Bean paste", price="19.90")
    community = app(author).post("/api/v1/communities/", {"name": "Cooks"}, format="json").json()

    response = app(author).post(
        "/api/v1/posts/",
        {
            "title": "Mapo tofu",
            "body": "Spicy",
            "images[]": [upload(name="a.png"), upload(name="b.png")],
            "topics[]": ["sichuan", "tofu"],
            "products[]": [str(goods.pk)],
            "community": str(community["id"]),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert len(response.json()["images"]) == 2


def test_multipart_post_accepts_keys_without_brackets(author, media):
    response = app(author).post(
        "/api/v1/posts/",
        {"title": "Plain", "body": "x", "images": [upload(name="a.png")], "topics": ["a", "b"]},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert len(response.json()["images"]) == 1


def test_post_detail_with_iso_time(author):
    post = make_post(author)

    response = app().get(f"/api/v1/posts/{post.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == post.pk
    assert_iso(response.json()["created_at"])


def test_unknown_post_is_404_post_not_found():
    assert_error(app().get("/api/v1/posts/999999/"), 404, "post_not_found")


@pytest.mark.parametrize("action", ["like", "save"])
def test_like_and_save_toggle_with_active_and_count(author, reader, action):
    post = make_post(author)
    url = f"/api/v1/posts/{post.pk}/{action}/"
    client = app(reader)

    on = client.post(url)
    off = client.delete(url)

    assert (on.status_code, on.json()) == (200, {"active": True, "count": 1})
    assert (off.status_code, off.json()) == (200, {"active": False, "count": 0})


def test_comment_is_201_and_listed_as_a_page(author, reader):
    post = make_post(author)

    created = app(reader).post(
        f"/api/v1/posts/{post.pk}/comments/", {"body": "Looks great"}, format="json"
    )
    listing = app().get(f"/api/v1/posts/{post.pk}/comments/")

    assert created.status_code == 201, created.json()
    assert listing.status_code == 200
    assert [row["id"] for row in assert_page(listing.json())] == [created.json()["id"]]


# --- feeds, topics, search ---------------------------------------------------------------------


def test_following_feed_holds_followed_authors_posts(author, reader):
    post = make_post(author)
    app(reader).post(f"/api/v1/users/{author.username}/follow/")

    response = app(reader).get("/api/v1/feeds/following/")

    assert response.status_code == 200
    assert [row["id"] for row in assert_page(response.json())] == [post.pk]


@pytest.mark.parametrize("path", ["/api/v1/feeds/for-you/", "/api/v1/feeds/trending/"])
def test_discovery_feeds_are_pages(reader, path):
    response = app(reader).get(path)

    assert response.status_code == 200
    assert_page(response.json())


def test_topic_posts(author):
    post = make_post(author, topics=["hotpot"])
    make_post(author, title="Other", topics=["tea"])

    response = app().get("/api/v1/topics/hotpot/posts/")

    assert response.status_code == 200
    assert [row["id"] for row in assert_page(response.json())] == [post.pk]


@pytest.mark.parametrize(
    "kind,query", [("post", "hotpot"), ("product", "hotpot"), ("user", "lily"), ("topic", "hotpot")]
)
def test_search_each_type_finds_its_match(author, kind, query):
    make_post(author, title="Hotpot secrets", topics=["hotpot"])
    make_product(title="Hotpot base", price="29.90")

    response = app().get(f"/api/v1/search/?q={query}&type={kind}")

    assert response.status_code == 200, response.json()
    assert len(assert_page(response.json())) == 1


def test_search_of_an_unknown_type_is_400_validation_error():
    body = assert_error(app().get("/api/v1/search/?q=x&type=bogus"), 400, "validation_error")

    assert set(body["fields"]) == {"type"}


# --- share links -------------------------------------------------------------------------------


def test_share_link_for_every_target_type_is_201_with_code_and_url(author, reader):
    creator = UserFactory(username="shopkeeper")
    role_grant(actor=None, user=creator, role="creator")
    campaign = teamflow.campaign(team_size=2)
    targets = {
        "post": make_post(author).pk,
        "product": make_product(title="Tea", price="9.90").pk,
        "team": teamflow.open_paid(UserFactory(), campaign.pk).team.pk,
        "flash_sale": flashflow.make_sale().pk,
        "storefront": shop.storefront_create(actor=creator, slug="tea-house", title="Tea").pk,
        "livestream": livestream_create(
            actor=creator,
            title="Tea live",
            starts_at=timezone.now() + timedelta(hours=1),
            stream_url="https://media.example.com/x.m3u8",
        ).pk,
    }

    for target_type, target_id in targets.items():
        response = share(reader, target_type, target_id)
        assert response.status_code == 201, (target_type, response.json())
        body = response.json()
        assert isinstance(body["code"], str) and body["code"], target_type
        assert body["url"].endswith(f"/s/{body['code']}"), body["url"]


def test_asking_again_is_201_with_the_same_link(author, reader):
    post = make_post(author)

    first = share(reader, "post", post.pk)
    second = share(reader, "post", post.pk)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["code"] == first.json()["code"]


def test_short_link_redirects_to_the_target_and_records_the_click(author, reader):
    post = make_post(author)
    code = share(reader, "post", post.pk).json()["code"]

    hop = Client().get(f"/s/{code}")

    assert hop.status_code == 302
    assert hop["Location"].endswith(f"/posts/{post.pk}/")
    assert ShareClick.objects.filter(link__code=code).count() == 1


def test_unknown_short_link_is_404():
    assert Client().get("/s/NOPE1234").status_code == 404


def test_link_stats_count_clicks_for_the_owner(author, reader):
    code = share(reader, "post", make_post(author).pk).json()["code"]
    Client().get(f"/s/{code}")

    response = app(reader).get(f"/api/v1/share-links/{code}/stats/")

    assert response.status_code == 200
    assert set(response.json()) >= STATS_KEYS, STATS_KEYS - set(response.json())
    assert (response.json()["clicks"], response.json()["unique_clicks"]) == (1, 1)


def test_link_stats_are_owner_only(author, reader):
    code = share(reader, "post", make_post(author).pk).json()["code"]

    assert_error(app(author).get(f"/api/v1/share-links/{code}/stats/"), 403, "permission_denied")
