"""Feeds: following, for-you, topic, community, trending, featured; constant queries per page."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Follow
from community.services.social import user_interests_set
from feeds.models import Like, Post, PostImage, PostProduct, PostSimilarity, PostTopic, Topic
from feeds.services.feeds import recommendations_rebuild
from feeds.services.interactions import post_like, post_save
from feeds.services.posts import post_feature
from feeds.services.topics import topic_approve_trending
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, make_post

pytestmark = pytest.mark.django_db


def _bulk_posts(authors, product, *, per_author=1, now=None) -> list[Post]:
    """Published posts with an image, a topic and a product each (set up directly: fast)."""
    now = now or timezone.now()
    topic, _ = Topic.objects.get_or_create(name="川菜")
    posts = Post.objects.bulk_create(
        [
            Post(
                author=author,
                title=f"{author.username} #{n}",
                body_html="<p>hi</p>",
                status="published",
                published_at=now - timedelta(minutes=i * per_author + n),
            )
            for i, author in enumerate(authors)
            for n in range(per_author)
        ]
    )
    PostImage.objects.bulk_create(
        [PostImage(post=p, image=f"posts/{p.pk}.png", width=10, height=10) for p in posts]
    )
    PostTopic.objects.bulk_create([PostTopic(post=p, topic=topic) for p in posts])
    PostProduct.objects.bulk_create([PostProduct(post=p, product=product) for p in posts])
    return posts


def _walk(user, url, pages):
    """Follow ``next`` for ``pages`` pages; the query count and results of each page."""
    counts, seen = [], []
    client = client_for(None)
    for _ in range(pages):
        # A fresh instance per request, as a real request gets: no per-object caches carried over.
        client.force_authenticate(type(user).objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        body = response.json()
        seen.append(body["results"])
        url = body["next"]
        if url is None:
            break
    return counts, seen


def test_following_feed_queries_are_constant_from_page_1_to_5(reader, product, media):
    authors = [UserFactory() for _ in range(200)]
    Follow.objects.bulk_create([Follow(follower=reader, followee=a) for a in authors])
    _bulk_posts(authors, product)
    Like.objects.create(post=Post.objects.order_by("-published_at").first(), user=reader)

    counts, pages = _walk(reader, "/api/v1/feeds/following/", 5)

    assert len(pages) == 5
    assert all(len(page) == 20 for page in pages)
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 10
    ids = [p["id"] for page in pages for p in page]
    assert len(ids) == len(set(ids)) == 100
    first = pages[0][0]
    assert first["liked"] is True and first["topics"] == ["川菜"]
    assert first["products"][0]["id"] == product.pk and len(first["images"]) == 1


def test_for_you_queries_are_constant_and_posts_never_repeat(reader, product, media):
    authors = [UserFactory() for _ in range(200)]
    Follow.objects.bulk_create([Follow(follower=reader, followee=a) for a in authors[:100]])
    _bulk_posts(authors, product, per_author=2)

    counts, pages = _walk(reader, "/api/v1/feeds/for-you/", 5)

    assert len(pages) == 5 and all(len(page) == 20 for page in pages)
    assert len(set(counts)) == 1, counts
    ids = [p["id"] for page in pages for p in page]
    assert len(ids) == len(set(ids))
    for page in pages:
        per_author = Counter(p["author"]["id"] for p in page)
        assert max(per_author.values()) <= 2


def test_for_you_prefers_followed_authors_and_keeps_two_per_author(reader, product, media):
    followed, stranger = UserFactory(username="followed"), UserFactory(username="stranger")
    Follow.objects.create(follower=reader, followee=followed)
    _bulk_posts([followed], product, per_author=5)
    _bulk_posts([stranger], product, per_author=5)

    page = client_for(reader).get("/api/v1/feeds/for-you/").json()["results"]

    assert [p["author"]["username"] for p in page] == [
        "followed",
        "followed",
        "stranger",
        "stranger",
    ]


def test_for_you_uses_interests_communities_and_co_occurrence(reader, author, product, media):
    from community.services.communities import community_create, community_join

    others = [UserFactory() for _ in range(3)]
    liked = make_post(author, title="seed")
    similar = make_post(others[0], title="people who liked seed liked this")
    tagged = make_post(others[1], title="tagged", topics=["hotpot"])
    club = community_create(actor=others[2], name="Club", description="")
    in_club = make_post(others[2], title="club", community_id=club.pk)
    unrelated = make_post(UserFactory(), title="unrelated")
    for fan in [UserFactory() for _ in range(3)]:
        post_like(actor=fan, post=liked)
        post_save(actor=fan, post=similar)
    post_like(actor=reader, post=liked)
    user_interests_set(actor=reader, names=["Hotpot"])
    community_join(actor=reader, community=club)
    result = recommendations_rebuild()

    assert result.pairs > 0
    assert PostSimilarity.objects.filter(post=liked, similar=similar).exists()
    titles = [
        p["title"] for p in client_for(reader).get("/api/v1/feeds/for-you/").json()["results"]
    ]
    assert set(titles[:3]) == {similar.title, tagged.title, in_club.title}
    assert titles.index(unrelated.title) > 2


def test_for_you_needs_an_account():
    response = client_for(None).get("/api/v1/feeds/for-you/")

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_following_feed_shows_newest_first_and_only_followed(reader, author, media):
    stranger = UserFactory()
    Follow.objects.create(follower=reader, followee=author)
    old = make_post(author, title="old")
    make_post(stranger, title="stranger")
    make_post(author, title="draft", publish=False)
    new = make_post(author, title="new")

    page = client_for(reader).get("/api/v1/feeds/following/").json()

    assert [p["id"] for p in page["results"]] == [new.pk, old.pk]
    assert client_for(None).get("/api/v1/feeds/following/").status_code == 401


def test_topic_feed_matches_regardless_of_case(author, media):
    make_post(author, title="a", topics=["HotPot"])
    make_post(author, title="b", body="so good #hotpot")
    make_post(author, title="c")

    page = client_for(None).get("/api/v1/topics/hotpot/posts/").json()
    chinese = client_for(None).get("/api/v1/topics/川菜/posts/").json()

    assert [p["title"] for p in page["results"]] == ["b", "a"]
    assert chinese["results"] == []


def test_community_feed_with_pinned_posts(author, reader, media):
    from community.services.communities import community_create, community_join

    club = community_create(actor=reader, name="Club", description="")
    community_join(actor=author, community=club)
    make_post(author, title="in club", community_id=club.pk)
    make_post(author, title="elsewhere")

    page = client_for(None).get(f"/api/v1/communities/{club.pk}/posts/").json()
    missing = client_for(None).get("/api/v1/communities/99999/posts/")

    assert [p["title"] for p in page["results"]] == ["in club"]
    assert missing.status_code == 404


def test_trending_ranks_engagement_and_topics_need_staff_approval(author, staff, media):
    quiet = make_post(author, title="quiet", topics=["tea"])
    loud = make_post(author, title="loud", topics=["tea"])
    for fan in [UserFactory() for _ in range(5)]:
        post_like(actor=fan, post=loud)
    recommendations_rebuild()

    page = client_for(None).get("/api/v1/feeds/trending/").json()
    before = client_for(None).get("/api/v1/topics/trending/").json()["results"]
    topic_approve_trending(actor=staff, topic=Topic.objects.get(name="tea"))
    after = client_for(None).get("/api/v1/topics/trending/").json()["results"]

    assert [p["id"] for p in page["results"]] == [loud.pk, quiet.pk]
    assert before == []
    assert [t["name"] for t in after] == ["tea"]


def test_featured_feed_is_set_by_staff(author, staff, media):
    post = make_post(author)
    make_post(author, title="other")

    with pytest.raises(Exception, match="Only staff"):
        post_feature(actor=author, post=post, featured=True)
    post_feature(actor=staff, post=post, featured=True)
    page = client_for(None).get("/api/v1/feeds/featured/").json()

    assert [p["id"] for p in page["results"]] == [post.pk]


def test_hot_scores_decay_with_age(author, media):
    fresh = make_post(author, title="fresh")
    stale = make_post(author, title="stale")
    Post.objects.filter(pk=stale.pk).update(published_at=timezone.now() - timedelta(days=3))
    for fan in [UserFactory() for _ in range(2)]:
        post_like(actor=fan, post=stale)

    recommendations_rebuild()

    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert fresh.hot_score > stale.hot_score > 0
