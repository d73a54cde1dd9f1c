"""Topics: made on first use (whatever the case of the name), recounted from their published
posts, and approved by staff before they are shown as trending."""

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from community.models import User
from feeds.exceptions import StaffOnlyError
from feeds.models.posts import PostStatus, PostTopic
from feeds.models.topics import Topic
from groupbuy import selectors as shop


def topics_get_or_create(names: list[str]) -> list[Topic]:
    if not names:
        return []
    Topic.objects.bulk_create([Topic(name=n) for n in names], ignore_conflicts=True)
    by_key = {
        t.name.casefold(): t
        for t in Topic.objects.annotate(key=Lower("name")).filter(
            key__in=[n.lower() for n in names]
        )
    }
    return [by_key[n.casefold()] for n in names if n.casefold() in by_key]


def topics_recount(topic_ids: Sequence[int]) -> None:
    """Set each topic's post_count from its published posts (derived, so it cannot drift)."""
    if not topic_ids:
        return
    published = (
        PostTopic.objects.filter(topic=OuterRef("pk"), post__status=PostStatus.PUBLISHED)
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Topic.objects.filter(pk__in=list(topic_ids)).update(post_count=Coalesce(Subquery(published), 0))


def topic_approve_trending(*, actor: User, topic: Topic, approved: bool = True) -> Topic:
    """Staff approve a topic before it is shown as trending."""
    if not shop.is_staff(actor):
        raise StaffOnlyError()
    Topic.objects.filter(pk=topic.pk).update(
        trending_approved=approved,
        approved_by=actor if approved else None,
        approved_at=timezone.now() if approved else None,
    )
    topic.refresh_from_db()
    return topic
