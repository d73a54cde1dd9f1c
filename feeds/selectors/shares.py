"""Reads of share links and their clicks, and what members may share (the share targets feeds
registers: posts, its own; products and storefronts, read via groupbuy)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from community.models import User
from community.selectors.social import ShareTarget, register_share_target
from feeds.exceptions import ShareLinkNotFoundError
from feeds.models.posts import Post, PostStatus
from feeds.models.shares import RewardKind, RewardStatus, ShareClick, ShareLink, ShareReward
from groupbuy import selectors as shop
from groupbuy.models import Storefront


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


# --- share targets ------------------------------------------------------------------------------


def _post(post_id: int) -> ShareTarget | None:
    post = Post.objects.filter(pk=post_id, status=PostStatus.PUBLISHED).first()
    if post is None:
        return None
    return ShareTarget(url=f"/posts/{post.pk}/", title=post.title, owner_id=post.author_id)


def _product(product_id: int) -> ShareTarget | None:
    try:
        product = shop.product_get(product_id=product_id, viewer=None)
    except Http404:
        return None
    return ShareTarget(
        url=f"/products/{product.pk}/", title=product.title, owner_id=product.created_by_id
    )


def _storefront(storefront_id: int) -> ShareTarget | None:
    storefront = Storefront.objects.filter(
        pk=storefront_id, is_published=True, hidden_at__isnull=True
    ).first()
    if storefront is None:
        return None
    return ShareTarget(
        url=f"/store/{storefront.slug}/", title=storefront.title, owner_id=storefront.owner_id
    )


def share_targets_register() -> None:
    """What feeds lets members share: posts (its own), products and storefronts (via groupbuy)."""
    register_share_target("post", _post)
    register_share_target("product", _product)
    register_share_target("storefront", _storefront)
