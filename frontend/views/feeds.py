"""Feeds pages: posts, compose, topics, search, share links. Reads through feeds' selectors; every
write goes to the REST API from feeds.js."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.services.insights.events import track_request
from feeds.exceptions import PostNotFoundError
from feeds.selectors.feeds import feed_featured, feed_following, feed_topic, feed_trending
from feeds.selectors.interactions import comments_for_post
from feeds.selectors.posts import can_manage, post_get_visible, with_card_data
from feeds.selectors.reviews import questions_for_product, review_summary, reviews_for_product
from feeds.selectors.search import search_posts, search_products, search_topics, search_users
from feeds.selectors.shares import share_link_stats, share_links_of
from feeds.selectors.topics import topic_get, topics_trending
from groupbuy import selectors as shop

PAGE = 20


def _viewer(request):
    return request.user if request.user.is_authenticated else None


def _cards(queryset, viewer, ordering="-published_at"):
    return list(with_card_data(queryset, viewer).order_by(ordering)[:PAGE])


def feed_section(request) -> dict:
    """The home page's feed tabs: for-you is fetched by feeds.js (it records what was seen)."""
    viewer = _viewer(request)
    tab = request.GET.get("tab") or ("following" if viewer else "trending")
    if tab == "following" and viewer:
        posts = _cards(feed_following(viewer=viewer), viewer)
    elif tab == "featured":
        posts = _cards(feed_featured(viewer=viewer), viewer, "-featured_at")
    elif tab == "for-you" and viewer:
        posts = []
    else:
        tab = "trending"
        posts = _cards(feed_trending(viewer=viewer), viewer, "-hot_score")
    return {"feed_tab": tab, "feed_posts": posts, "trending_topics": topics_trending()}


@ensure_csrf_cookie
def feed_page(request):
    return render(request, "feeds/feed.html", feed_section(request))


@ensure_csrf_cookie
def post_page(request, post_id: int):
    try:
        post = post_get_visible(post_id=post_id, viewer=_viewer(request))
    except PostNotFoundError as exc:
        raise Http404("No such post.") from exc
    comments = list(comments_for_post(post=post, viewer=_viewer(request)).order_by("id")[:100])
    context = {
        "post": post,
        "comments": comments,
        "can_manage": can_manage(post, _viewer(request)),
    }
    track_request("post_view", request, {"post_id": post.pk, "author_id": post.author_id})
    return render(request, "feeds/post.html", context)


@login_required
@ensure_csrf_cookie
def compose_page(request):
    context = {
        "max_images": settings.FEEDS_MAX_IMAGES,
        "products": list(shop.product_list(viewer=request.user).order_by("-id")[:50]),
    }
    return render(request, "feeds/compose.html", context)


@ensure_csrf_cookie
def topic_page(request, name: str):
    viewer = _viewer(request)
    context = {
        "topic": topic_get(name=name),
        "name": name,
        "posts": _cards(feed_topic(name=name, viewer=viewer), viewer),
    }
    return render(request, "feeds/topic.html", context)


@ensure_csrf_cookie
def search_page(request):
    q = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("type") or "post"
    viewer = _viewer(request)
    results: list = []
    if q:
        if kind == "product":
            results = list(search_products(q=q, viewer=viewer)[:PAGE])
        elif kind == "user":
            results = list(search_users(q=q)[:PAGE])
        elif kind == "topic":
            results = list(search_topics(q=q)[:PAGE])
        else:
            kind = "post"
            results = list(with_card_data(search_posts(q=q, viewer=viewer), viewer)[:PAGE])
        track_request("search", request, {"q": q, "type": kind, "via": "page"})
    context = {
        "q": q,
        "kind": kind,
        "results": results,
        "kinds": ["post", "product", "user", "topic"],
    }
    return render(request, "feeds/search.html", context)


@login_required
@ensure_csrf_cookie
def share_links_page(request):
    links = list(share_links_of(user=request.user).order_by("-id")[:50])
    rows = [(link, share_link_stats(link=link)) for link in links]
    return render(request, "feeds/share_links.html", {"rows": rows})


def product_reviews_context(product_id: int) -> dict:
    """What the product page's reviews partial shows (buyer show, summary, Q&A)."""
    return {
        "review_summary": review_summary(product_id=product_id),
        "reviews": list(reviews_for_product(product_id=product_id).order_by("-id")[:10]),
        "buyer_show": list(
            reviews_for_product(product_id=product_id, with_photos=True).order_by("-id")[:12]
        ),
        "questions": list(questions_for_product(product_id=product_id).order_by("-id")[:10]),
    }
