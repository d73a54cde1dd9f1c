"""Feeds pages render what the selectors read, escape what members typed, and guard own pages."""

import pytest
from django.test import Client

from community.models import Follow
from feeds.services.shares import Visitor, share_click_record, share_link_create
from tests.factories import UserFactory
from tests.feeds.conftest import completed_item, make_post

pytestmark = pytest.mark.django_db


def _browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_home_shows_the_following_tab_with_escaped_titles(author, reader, media):
    Follow.objects.create(follower=reader, followee=author)
    make_post(author, title="<script>alert('x')</script> 火锅")

    page = _browser(reader).get("/").content.decode()

    assert 'data-testid="home-feed"' in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; 火锅" in page
    assert "<script>alert(" not in page


def test_post_page_comments_and_links(author, reader, product, media):
    post = make_post(author, title="Hotpot", body="Dip it <b>twice</b>", product_ids=[product.pk])
    from feeds.services.interactions import comment_create

    comment_create(actor=reader, post=post, body="<img src=x onerror=alert(1)>")

    page = _browser(None).get(f"/posts/{post.pk}/").content.decode()

    assert "Dip it &lt;b&gt;twice&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert f'href="/products/{product.pk}/"' in page
    assert _browser(None).get("/posts/99999/").status_code == 404


def test_drafts_pages_are_for_their_author(author, reader, media):
    draft = make_post(author, title="draft", publish=False)

    assert _browser(reader).get(f"/posts/{draft.pk}/").status_code == 404
    assert _browser(author).get(f"/posts/{draft.pk}/").status_code == 200


def test_compose_and_share_link_pages_need_an_account(author, reader, media):
    post = make_post(author)
    link, _ = share_link_create(actor=reader, target_type="post", target_id=post.pk)
    share_click_record(code=link.code, visitor=Visitor(user=UserFactory(), ip="1.2.3.4"))

    assert _browser(None).get("/posts/new/").status_code == 302
    assert _browser(None).get("/me/share-links/").status_code == 302
    compose = _browser(author).get("/posts/new/").content.decode()
    mine = _browser(reader).get("/me/share-links/").content.decode()
    others = _browser(author).get("/me/share-links/").content.decode()

    assert 'data-testid="compose-form"' in compose
    assert link.code in mine and 'data-testid="stat-clicks">1<' in mine
    assert link.code not in others


def test_topic_and_search_pages(author, media):
    make_post(author, title="麻婆豆腐", topics=["川菜"])

    topic = _browser(None).get("/topics/川菜/").content.decode()
    found = _browser(None).get("/search/", {"q": "豆腐"}).content.decode()
    nothing = _browser(None).get("/search/", {"q": "<script>"}).content.decode()

    assert "麻婆豆腐" in topic
    assert "麻婆豆腐" in found
    assert "&lt;script&gt;" in nothing and '<script>"' not in nothing


def test_product_page_shows_reviews_buyer_show_and_questions(reader, product, media):
    from feeds.services.reviews import question_create, review_create
    from tests.feeds.conftest import upload

    review_create(
        actor=reader,
        order_item_id=completed_item(reader, product).pk,
        rating=4,
        body="Smells <great>",
        uploads=[upload()],
    )
    question_create(actor=UserFactory(), product_id=product.pk, body="Spicy?")

    page = _browser(None).get(f"/products/{product.pk}/").content.decode()

    assert 'data-testid="product-reviews"' in page
    assert "Smells &lt;great&gt;" in page
    assert 'data-testid="buyer-show"' in page
    assert "Spicy?" in page


def test_seed_demo_feeds_is_idempotent(media):
    import io

    from feeds.demo.feeds import seed_feeds
    from feeds.models import Comment, Like, Post, ShareClick

    for name in ("creator", "alice", "bob", "carol", "leader", "admin"):
        UserFactory(username=name)

    seed_feeds(io.StringIO())
    counts = (
        Post.objects.count(),
        Like.objects.count(),
        Comment.objects.count(),
        ShareClick.objects.count(),
    )
    seed_feeds(io.StringIO())

    assert counts == (5, 25, 5, 6)
    assert (
        Post.objects.count(),
        Like.objects.count(),
        Comment.objects.count(),
        ShareClick.objects.count(),
    ) == counts
    assert Post.objects.get(title="Hiking the tea hills").images.count() == 3


def test_seed_demo_reviews_the_demo_members_completed_orders_once(settings, tmp_path):
    from django.core.management import call_command

    from feeds.models import Review

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")

    reviews = Review.objects.select_related("order_item__order")
    assert reviews.count() == 2  # bob and carol each have one completed demo order
    assert all(r.order_item.order.status == "completed" for r in reviews)
    assert all(r.order_item.order.buyer_id == r.author_id for r in reviews)
    assert sum(r.images.count() for r in reviews) == 2
