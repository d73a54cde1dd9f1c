"""Topics: the hashtags in what members type, and the topics pages show."""

import re
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from feeds.models.posts import PostStatus
from feeds.models.topics import Topic

# \w is Unicode-aware: #川菜 and #homecooking are both topics.
HASHTAG = re.compile(r"#(\w{1,40})")
TOPIC_NAME = re.compile(r"^\w{1,40}$")


def hashtags(text: str) -> list[str]:
    return HASHTAG.findall(text or "")


def normalise_topics(names: list[str]) -> list[str]:
    """Topic names without '#', deduplicated regardless of case, first spelling kept."""
    seen: dict[str, str] = {}
    for raw in names:
        name = (raw or "").strip().lstrip("#").strip()
        if not name:
            continue
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


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
