"""The feeds: following, topic, community, trending, featured and for-you.

The ranking functions are pure (engagement with time decay, author diversity, item-to-item
co-occurrence and the offline metrics); the feed reads use them on candidate rows.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from community.models import CommunityMembership, Follow, MembershipStatus, User
from community.selectors.social import interest_names
from feeds.models.feeds import PostSimilarity, SeenPost
from feeds.models.interactions import Like
from feeds.models.posts import Post
from feeds.models.topics import Topic
from feeds.selectors.posts import posts_published, with_card_data

# --- ranking (pure) -----------------------------------------------------------------------------


def engagement(likes: int, saves: int, comments: int, shares: int) -> float:
    # A save or a share says more than a like; a comment is the costliest signal to give.
    return likes + 2 * saves + 3 * comments + 2 * shares


def decayed(
    score: float, *, published_at: datetime, now: datetime, half_life_hours: float
) -> float:
    age_hours = max((now - published_at).total_seconds() / 3600, 0.0)
    return score * 0.5 ** (age_hours / half_life_hours)


def hot_score(
    likes: int,
    saves: int,
    comments: int,
    shares: int,
    *,
    published_at: datetime,
    now: datetime,
    half_life_hours: float,
) -> float:
    base = 1.0 + math.log1p(engagement(likes, saves, comments, shares))
    return decayed(base, published_at=published_at, now=now, half_life_hours=half_life_hours)


@dataclass(frozen=True)
class Candidate:
    post_id: int
    author_id: int
    score: float


def diversify(ranked: Iterable[Candidate], *, per_author: int, size: int) -> list[Candidate]:
    """The best ``size`` candidates with at most ``per_author`` from any one author."""
    page: list[Candidate] = []
    taken: Counter[int] = Counter()
    for candidate in ranked:
        if taken[candidate.author_id] >= per_author:
            continue
        page.append(candidate)
        taken[candidate.author_id] += 1
        if len(page) == size:
            break
    return page


def cooccurrence(
    user_items: Mapping[int, set[int]], *, neighbours: int
) -> dict[int, list[tuple[int, float, int]]]:
    """For each item its ``neighbours`` most similar items as ``(item, cosine, together)``.

    Similarity is the cosine of two items' user sets: how many users touched both, divided by
    the geometric mean of their popularity, so a popular item is not similar to everything.
    """
    popularity: Counter[int] = Counter()
    together: Counter[tuple[int, int]] = Counter()
    for items in user_items.values():
        popularity.update(items)
        for a, b in combinations(sorted(items), 2):
            together[(a, b)] += 1
    similar: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    for (a, b), n in together.items():
        cosine = n / math.sqrt(popularity[a] * popularity[b])
        similar[a].append((b, cosine, n))
        similar[b].append((a, cosine, n))
    return {
        item: sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))[:neighbours]
        for item, rows in similar.items()
    }


def recommend_by_similarity(
    history: set[int], similar: Mapping[int, list[tuple[int, float, int]]], *, k: int
) -> list[int]:
    """Items most similar to what the user touched, not counting what they touched."""
    scores: dict[int, float] = defaultdict(float)
    for item in history:
        for other, cosine, _ in similar.get(item, []):
            if other not in history:
                scores[other] += cosine
    return [item for item, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def recommend_popular(history: set[int], popularity: Mapping[int, int], *, k: int) -> list[int]:
    ranked = sorted(popularity.items(), key=lambda kv: (-kv[1], kv[0]))
    return [item for item, _ in ranked if item not in history][:k]


def precision_recall_at_k(
    recommended: list[int], relevant: set[int], k: int
) -> tuple[float, float]:
    if not relevant:
        return 0.0, 0.0
    hits = len(set(recommended[:k]) & relevant)
    return hits / k, hits / len(relevant)


# --- feeds --------------------------------------------------------------------------------------


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


def for_you_ranked(*, viewer: User, now: datetime | None = None) -> list[Candidate]:
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
        score = boosts[pk] * hot_score(
            likes,
            saves,
            comments,
            shares,
            published_at=published_at,
            now=now,
            half_life_hours=settings.FEEDS_HALF_LIFE_HOURS,
        )
        ranked.append(Candidate(post_id=pk, author_id=author_id, score=score))
    ranked.sort(key=lambda c: (-c.score, -c.post_id))
    return ranked


def for_you_page(*, viewer: User, size: int, now: datetime | None = None) -> list[Post]:
    """The next for-you page: at most 2 posts per author, none the viewer has seen."""
    page = diversify(
        for_you_ranked(viewer=viewer, now=now),
        per_author=settings.FEEDS_MAX_PER_AUTHOR_PER_PAGE,
        size=size,
    )
    ids = [c.post_id for c in page]
    by_id = {p.pk: p for p in with_card_data(Post.objects.filter(pk__in=ids), viewer)}
    return [by_id[i] for i in ids if i in by_id]
