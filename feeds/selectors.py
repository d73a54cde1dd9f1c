"""Reads of feeds, aware of who is looking. Every list is built with a fixed number of queries
(select_related / prefetch / Exists annotations), whatever the page or the size of the graph."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Lower
from django.utils import timezone

from community.models import CommunityMembership, Follow, MembershipStatus, User
from community.selectors.social import active_users, blocked_user_ids, interest_names
from feeds import ranking
from feeds.exceptions import PostNotFoundError, ShareLinkNotFoundError
from feeds.models import (
    Comment,
    CommentStatus,
    Like,
    Post,
    PostImage,
    PostSimilarity,
    PostStatus,
    ProductAnswer,
    ProductQuestion,
    Review,
    ReviewImage,
    ReviewStatus,
    RewardKind,
    RewardStatus,
    Save,
    SeenPost,
    ShareClick,
    ShareLink,
    ShareReward,
    Topic,
)
from groupbuy import selectors as shop


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def can_manage(post: Post, viewer) -> bool:
    return _signed_in(viewer) and (post.author_id == viewer.pk or shop.is_staff(viewer))


# --- posts --------------------------------------------------------------------------------------


def with_card_data(posts: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Everything a post card shows, in a fixed number of queries per page."""
    posts = posts.select_related("author", "community").prefetch_related(
        Prefetch("images", queryset=PostImage.objects.order_by("sort", "id")),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch("products", queryset=shop.product_list(viewer=viewer).order_by("id")),
    )
    if _signed_in(viewer):
        posts = posts.annotate(
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
            saved=Exists(Save.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
        )
    return posts


def posts_published(viewer) -> QuerySet[Post]:
    """Published posts the viewer may see (not from members blocked either way)."""
    posts = Post.objects.filter(status=PostStatus.PUBLISHED)
    blocked = blocked_user_ids(viewer)
    if blocked:
        posts = posts.exclude(author_id__in=blocked)
    return posts


def post_get_visible(*, post_id: int, viewer) -> Post:
    """A post for its page: published ones for everyone, others for the author and staff."""
    post = with_card_data(Post.objects.filter(pk=post_id), viewer).first()
    if post is None:
        raise PostNotFoundError()
    if post.status != PostStatus.PUBLISHED and not can_manage(post, viewer):
        raise PostNotFoundError()
    if post.author_id in blocked_user_ids(viewer):
        raise PostNotFoundError()
    return post


def post_get_for_write(*, post_id: int, viewer) -> Post:
    """A post the viewer may at least see (404 otherwise); services check authorship."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or (post.status != PostStatus.PUBLISHED and not can_manage(post, viewer)):
        raise PostNotFoundError()
    return post


def feed_following(*, viewer: User) -> QuerySet[Post]:
    followees = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    return posts_published(viewer).filter(author_id__in=followees)


def feed_topic(*, name: str, viewer) -> QuerySet[Post]:
    return posts_published(viewer).filter(topics__name__iexact=name)


def feed_community(*, community_id: int, viewer) -> QuerySet[Post]:
    return posts_published(viewer).filter(community_id=community_id)


def pinned_in_community(*, community_id: int, viewer) -> list[Post]:
    posts = feed_community(community_id=community_id, viewer=viewer).filter(is_pinned=True)
    return list(with_card_data(posts, viewer).order_by("-published_at")[:5])


def feed_trending(*, viewer) -> QuerySet[Post]:
    since = timezone.now() - timedelta(days=settings.FEEDS_TRENDING_DAYS)
    return posts_published(viewer).filter(published_at__gte=since, hot_score__gt=0)


def feed_featured(*, viewer) -> QuerySet[Post]:
    return posts_published(viewer).filter(is_featured=True)


def posts_of_author(*, author_id: int, viewer) -> QuerySet[Post]:
    if _signed_in(viewer) and viewer.pk == author_id:
        return Post.objects.filter(author_id=author_id).exclude(status=PostStatus.REMOVED)
    return posts_published(viewer).filter(author_id=author_id)


def topic_get(*, name: str) -> Topic | None:
    return Topic.objects.filter(name__iexact=name).first()


def topics_trending(*, limit: int = 10) -> list[Topic]:
    """Staff-approved topics with the most posts in the trending window."""
    since = timezone.now() - timedelta(days=settings.FEEDS_TRENDING_DAYS)
    return list(
        Topic.objects.filter(trending_approved=True)
        .annotate(
            recent=Count(
                "posts",
                filter=Q(posts__status=PostStatus.PUBLISHED, posts__published_at__gte=since),
            )
        )
        .filter(recent__gt=0)
        .order_by("-recent", "name")[:limit]
    )


# --- for you ------------------------------------------------------------------------------------

# How much each reason to show a post weighs against the others.
BOOST_FOLLOWING = 3.0
BOOST_COMMUNITY = 2.0
BOOST_INTEREST = 2.0
BOOST_SIMILAR = 1.5
BOOST_POPULAR = 1.0

_ROW = (
    "pk",
    "author_id",
    "published_at",
    "like_count",
    "save_count",
    "comment_count",
    "share_count",
)


def for_you_ranked(*, viewer: User, now: datetime | None = None) -> list[ranking.Candidate]:
    """Unseen candidates from followed authors, interests, communities, similar posts and
    popular ones, ranked by engagement with time decay (a fixed number of queries)."""
    now = now or timezone.now()
    limit = settings.FEEDS_CANDIDATES_PER_SOURCE
    base = (
        posts_published(viewer)
        .exclude(author_id=viewer.pk)
        .exclude(pk__in=SeenPost.objects.filter(user_id=viewer.pk).values("post_id"))
        .filter(published_at__gte=now - timedelta(days=settings.FEEDS_RECENT_DAYS))
    )
    boosts: dict[int, float] = {}
    rows: dict[int, tuple] = {}

    def take(queryset, boost: float, extra: dict[int, float] | None = None) -> None:
        for row in queryset.order_by("-published_at").values_list(*_ROW)[:limit]:
            rows[row[0]] = row
            boosts[row[0]] = boosts.get(row[0], 0.0) + boost + (extra or {}).get(row[0], 0.0)

    followees = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    take(base.filter(author_id__in=followees), BOOST_FOLLOWING)
    interests = [name.lower() for name in interest_names(viewer)]
    if interests:
        topic_ids = Topic.objects.annotate(key=Lower("name")).filter(key__in=interests)
        take(base.filter(topics__in=topic_ids.values("pk")).distinct(), BOOST_INTEREST)
    communities = CommunityMembership.objects.filter(
        user_id=viewer.pk, status=MembershipStatus.ACTIVE
    ).values("community_id")
    take(base.filter(community_id__in=communities), BOOST_COMMUNITY)
    touched = list(
        Like.objects.filter(user_id=viewer.pk)
        .order_by("-created_at")
        .values_list("post_id", flat=True)[:50]
    )
    if touched:
        similar: dict[int, float] = {}
        for other, score in PostSimilarity.objects.filter(post_id__in=touched).values_list(
            "similar_id", "score"
        )[: limit * 5]:
            similar[other] = similar.get(other, 0.0) + score
        take(base.filter(pk__in=list(similar)), BOOST_SIMILAR, similar)
    popular = base.order_by("-hot_score").values_list(*_ROW)[:limit]
    for row in popular:
        rows.setdefault(row[0], row)
        boosts[row[0]] = boosts.get(row[0], 0.0) + BOOST_POPULAR
    ranked = []
    for pk, (_, author_id, published_at, likes, saves, comments, shares) in rows.items():
        score = boosts[pk] * ranking.hot_score(
            likes,
            saves,
            comments,
            shares,
            published_at=published_at,
            now=now,
            half_life_hours=settings.FEEDS_HALF_LIFE_HOURS,
        )
        ranked.append(ranking.Candidate(post_id=pk, author_id=author_id, score=score))
    ranked.sort(key=lambda c: (-c.score, -c.post_id))
    return ranked


def for_you_page(*, viewer: User, size: int, now: datetime | None = None) -> list[Post]:
    """The next for-you page: at most 2 posts per author, none the viewer has seen."""
    page = ranking.diversify(
        for_you_ranked(viewer=viewer, now=now),
        per_author=settings.FEEDS_MAX_PER_AUTHOR_PER_PAGE,
        size=size,
    )
    ids = [c.post_id for c in page]
    by_id = {p.pk: p for p in with_card_data(Post.objects.filter(pk__in=ids), viewer)}
    return [by_id[i] for i in ids if i in by_id]


# --- comments -----------------------------------------------------------------------------------


def comments_for_post(*, post: Post) -> QuerySet[Comment]:
    """Top-level comments with their visible replies (oldest first)."""
    replies = (
        Comment.objects.filter(status=CommentStatus.VISIBLE)
        .select_related("author", "reply_to")
        .order_by("id")
    )
    return (
        Comment.objects.filter(post=post, parent__isnull=True, status=CommentStatus.VISIBLE)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def comment_get(*, comment_id: int) -> Comment | None:
    return Comment.objects.select_related("post").filter(pk=comment_id).first()


# --- reviews and Q&A ----------------------------------------------------------------------------


def reviews_for_product(*, product_id: int, with_photos: bool = False) -> QuerySet[Review]:
    reviews = (
        Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE)
        .select_related("author")
        .prefetch_related(Prefetch("images", queryset=ReviewImage.objects.order_by("sort")))
    )
    return reviews.filter(has_photos=True) if with_photos else reviews


def review_summary(*, product_id: int) -> dict:
    visible = Review.objects.filter(product_id=product_id, status=ReviewStatus.VISIBLE)
    totals = visible.aggregate(count=Count("pk"), average=Avg("rating"))
    stars = dict(visible.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    average = totals["average"]
    return {
        "count": totals["count"],
        "average": round(float(average), 2) if average is not None else None,
        "stars": {str(s): stars.get(s, 0) for s in range(5, 0, -1)},
    }


def review_get(*, review_id: int) -> Review | None:
    return Review.objects.filter(pk=review_id).first()


def questions_for_product(*, product_id: int) -> QuerySet[ProductQuestion]:
    answers = ProductAnswer.objects.select_related("author").order_by("-is_buyer", "id")
    return (
        ProductQuestion.objects.filter(product_id=product_id)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )


# --- share links --------------------------------------------------------------------------------


def share_link_get(*, code: str) -> ShareLink:
    link = ShareLink.objects.filter(code=code).first()
    if link is None:
        raise ShareLinkNotFoundError()
    return link


def share_links_of(*, user: User) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(sharer=user)


def share_clicks_list_for_buyer(*, buyer_id: int, now: datetime) -> QuerySet[ShareClick]:
    """A member's clicks on other members' share links within the attribution window ending at
    ``now`` (``FEEDS_SHARE_WINDOW_DAYS``, boundary included; later clicks ignored)."""
    since = now - timedelta(days=settings.FEEDS_SHARE_WINDOW_DAYS)
    return ShareClick.objects.filter(
        visitor_id=buyer_id, is_self=False, clicked_at__gte=since, clicked_at__lte=now
    )


def share_link_stats(*, link: ShareLink) -> dict:
    """Clicks, unique visitors, registrations, orders and points of one link (derived)."""
    clicks = ShareClick.objects.filter(link=link).aggregate(
        clicks=Count("pk"),
        unique_clicks=Count("visitor_key", distinct=True, filter=Q(is_self=False)),
    )
    rewards = ShareReward.objects.filter(link=link)
    totals = rewards.aggregate(
        registrations=Count("pk", filter=Q(kind=RewardKind.REGISTRATION)),
        orders=Count("pk", filter=Q(kind=RewardKind.ORDER)),
        orders_completed=Count("pk", filter=Q(kind=RewardKind.ORDER, status=RewardStatus.GRANTED)),
        orders_refunded=Count("pk", filter=Q(kind=RewardKind.ORDER, status=RewardStatus.REVERSED)),
        points_awarded=Sum("points", filter=Q(status=RewardStatus.GRANTED)),
        points_held=Sum("points", filter=Q(status=RewardStatus.HELD)),
        rewards_held_for_review=Count(
            "pk", filter=Q(status=RewardStatus.HELD, hold_reason="fraud")
        ),
    )
    return {
        **clicks,
        **{k: v or 0 for k, v in totals.items()},
    }


# --- search -------------------------------------------------------------------------------------

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


def share_clicks_per_day_for_sharer(
    sharer_id: int, since: datetime, until: datetime
) -> dict[date, int]:
    """Clicks (self-clicks excluded) on a member's share links per business day: the creator
    dashboard's "clicks" line, handed to groupbuy through its share-source registry."""
    rows = (
        ShareClick.objects.filter(
            link__sharer_id=sharer_id, clicked_at__gte=since, clicked_at__lte=until, is_self=False
        )
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}
