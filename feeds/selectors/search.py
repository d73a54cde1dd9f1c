"""Search over posts, topics, members and products (trigram and full-text on PostgreSQL)."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Q, QuerySet

from community.models import User
from community.selectors.social import active_users
from feeds.models.posts import Post
from feeds.models.topics import Topic
from feeds.selectors.posts import posts_published
from groupbuy import selectors as shop

SEARCH_LIMIT = 20


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def search_posts(*, q: str, viewer) -> QuerySet[Post]:
    posts = posts_published(viewer)
    # Every word must appear in the title or the body. The default parser does not split Chinese
    # into words, so substring matching (ILIKE, served by the trigram GIN indexes on PostgreSQL)
    # finds 川菜 inside a sentence; full-text rank only orders what matched.
    text = Q()
    for word in q.split()[:8]:
        text &= Q(title__icontains=word) | Q(body__icontains=word)
    posts = posts.filter(text)
    if not _postgres():
        return posts.order_by("-published_at")
    query = SearchQuery(q, config="simple", search_type="websearch")
    vector = SearchVector("title", weight="A", config="simple") + SearchVector(
        "body", weight="B", config="simple"
    )
    return posts.annotate(rank=SearchRank(vector, query) + TrigramSimilarity("title", q)).order_by(
        "-rank", "-published_at"
    )


def search_topics(*, q: str) -> QuerySet[Topic]:
    topics = Topic.objects.filter(name__icontains=q.lstrip("#"))
    if _postgres():
        return topics.annotate(similarity=TrigramSimilarity("name", q)).order_by(
            "-similarity", "-post_count"
        )
    return topics.order_by("-post_count", "name")


def search_users(*, q: str) -> QuerySet[User]:
    users = active_users().filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if _postgres():
        return users.annotate(
            similarity=TrigramSimilarity("username", q) + TrigramSimilarity("display_name", q)
        ).order_by("-similarity", "id")
    return users.order_by("id")


def search_products(*, q: str, viewer):
    products = shop.product_list(viewer=viewer).filter(
        Q(title__icontains=q) | Q(description__icontains=q)
    )
    if _postgres():
        return products.annotate(similarity=TrigramSimilarity("title", q)).order_by(
            "-similarity", "-id"
        )
    return products.order_by("-id")
