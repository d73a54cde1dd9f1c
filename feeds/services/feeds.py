"""The periodic rebuild behind the for-you and trending feeds, and what the for-you feed showed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import User
from feeds.models.feeds import PostSimilarity, SeenPost
from feeds.models.interactions import Like, Save
from feeds.models.posts import Post, PostProduct, PostStatus
from feeds.selectors.feeds import cooccurrence, hot_score
from groupbuy import selectors as shop

# A member with hundreds of likes adds O(n²) pairs: their most recent ones say enough.
MAX_ITEMS_PER_USER = 100


@dataclass(frozen=True)
class RebuildResult:
    users: int
    pairs: int
    hot_posts: int


def interactions_since(since: datetime) -> dict[int, set[int]]:
    """Each member's liked, saved and bought-from posts (a purchase counts for every published
    post that links the product bought)."""
    user_items: dict[int, list[int]] = defaultdict(list)
    for model in (Like, Save):
        rows = model.objects.filter(created_at__gte=since, post__status=PostStatus.PUBLISHED)
        for user_id, post_id in rows.order_by("-created_at").values_list("user_id", "post_id"):
            user_items[user_id].append(post_id)
    purchases = shop.purchases_since(since=since)
    if purchases:
        posts_of: dict[int, list[int]] = defaultdict(list)
        links = PostProduct.objects.filter(
            product_id__in={p for _, p in purchases}, post__status=PostStatus.PUBLISHED
        ).values_list("product_id", "post_id")
        for product_id, post_id in links:
            posts_of[product_id].append(post_id)
        for buyer_id, product_id in purchases:
            user_items[buyer_id].extend(posts_of.get(product_id, []))
    return {
        user: set(list(dict.fromkeys(items))[:MAX_ITEMS_PER_USER])
        for user, items in user_items.items()
    }


def hot_scores_refresh(*, now: datetime | None = None) -> int:
    """Recompute the decayed engagement of recent posts; older ones drop to zero."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.FEEDS_TRENDING_DAYS)
    posts = list(
        Post.objects.filter(status=PostStatus.PUBLISHED, published_at__gte=since).only(
            "pk", "like_count", "save_count", "comment_count", "share_count", "published_at"
        )
    )
    for post in posts:
        post.hot_score = hot_score(
            post.like_count,
            post.save_count,
            post.comment_count,
            post.share_count,
            published_at=post.published_at or now,
            now=now,
            half_life_hours=settings.FEEDS_HALF_LIFE_HOURS,
        )
    with transaction.atomic():
        Post.objects.filter(hot_score__gt=0).exclude(
            status=PostStatus.PUBLISHED, published_at__gte=since
        ).update(hot_score=0)
        Post.objects.bulk_update(posts, ["hot_score"], batch_size=500)
    return len(posts)


def recommendations_rebuild(*, now: datetime | None = None) -> RebuildResult:
    """Rebuild the item-to-item co-occurrence table and refresh hot scores (idempotent)."""
    now = now or timezone.now()
    user_items = interactions_since(now - timedelta(days=settings.FEEDS_COOCCURRENCE_DAYS))
    similar = cooccurrence(user_items, neighbours=settings.FEEDS_COOCCURRENCE_NEIGHBOURS)
    rows = [
        PostSimilarity(post_id=post_id, similar_id=other, score=score, together=together)
        for post_id, neighbours in similar.items()
        for other, score, together in neighbours
    ]
    with transaction.atomic():
        # Readers see the old table or the new one, never half of each.
        PostSimilarity.objects.all().delete()
        PostSimilarity.objects.bulk_create(rows, batch_size=1000)
    hot = hot_scores_refresh(now=now)
    return RebuildResult(users=len(user_items), pairs=len(rows), hot_posts=hot)


def posts_mark_seen(*, user: User, post_ids: list[int]) -> None:
    """Remember what the for-you feed showed, so it is not recommended again."""
    SeenPost.objects.bulk_create(
        [SeenPost(user=user, post_id=pid) for pid in post_ids], ignore_conflicts=True
    )
