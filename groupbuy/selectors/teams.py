"""Reads of campaigns and teams: the snapshots the team and campaign pages, the REST API and the
realtime pushes all share (one shape everywhere, so a push can replace REST-fetched state)."""

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from community.selectors.social import ShareTarget
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import (
    Campaign,
    ProductImage,
    Team,
    TeamEvent,
    TeamMember,
    TeamMemberStatus,
    TeamStatus,
)
from groupbuy.selectors.catalog import can_review, first_image_url

OPEN_TEAMS_SHOWN = 10
REPLAY_LIMIT = 500
# The ``viewer`` of the campaign reads that realtime pushes make: no one in particular, so nothing
# is filtered (a page or a REST call passes its member and is filtered).
INTERNAL = object()


def _shown_to(campaigns: QuerySet[Campaign], viewer) -> QuerySet[Campaign]:
    """Leave out campaigns whose product moderation hid, for everybody but staff and moderators."""
    if viewer is INTERNAL or can_review(viewer):
        return campaigns
    return campaigns.filter(product__hidden_at__isnull=True)


def _avatar(user) -> str | None:
    return user.avatar.url if user.avatar else None


def team_snapshot(team_id: int) -> dict:
    """The team as everyone sees it: seats, members (no fake ones, ever), deadline, outcome."""
    team = Team.objects.select_related("campaign", "campaign__product").filter(pk=team_id).first()
    if team is None:
        raise ShopNotFoundError()
    members = (
        TeamMember.objects.filter(team=team)
        .exclude(status=TeamMemberStatus.LEFT)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    campaign = team.campaign
    return {
        "id": team.pk,
        "campaign": campaign.pk,
        "product": {
            "id": campaign.product_id,
            "title": campaign.product.title,
            "price": str(campaign.product.price),
            "image": first_image_url(campaign.product),
        },
        "group_price": str(campaign.group_price),
        "status": team.status,
        "team_size": team.team_size,
        "seats_taken": team.seats_taken,
        "seats_paid": team.seats_paid,
        "seats_left": team.team_size - team.seats_taken,
        "platform_filled": team.platform_filled,
        "members": [
            {
                "user_id": m.user_id,
                "username": m.user.username,
                "display_name": m.user.public_name,
                "avatar_url": _avatar(m.user),
                "is_leader": m.user_id == team.leader_id,
                "paid": m.status == TeamMemberStatus.PAID,
            }
            for m in members
        ],
        "leader_id": team.leader_id,
        "expires_at": team.expires_at.isoformat(),
        "last_seq": team.last_seq,
        "share_url": f"/teams/{team.pk}/",
    }


def team_summaries(team_ids: list[int]) -> list[dict]:
    """Teams as a card shows them (no member list), in one query plus the product images."""
    teams = (
        Team.objects.filter(pk__in=team_ids)
        .select_related("campaign__product")
        .prefetch_related(
            Prefetch(
                "campaign__product__images", queryset=ProductImage.objects.order_by("sort", "id")
            )
        )
    )
    return [
        {
            "id": team.pk,
            "product_title": team.campaign.product.title,
            "product_image": first_image_url(team.campaign.product),
            "group_price": str(team.campaign.group_price),
            "status": team.status,
            "team_size": team.team_size,
            "seats_left": team.team_size - team.seats_taken,
            "expires_at": team.expires_at.isoformat(),
            "share_url": f"/teams/{team.pk}/",
        }
        for team in teams
    ]


def team_exists(team_id: int) -> bool:
    return Team.objects.filter(pk=team_id).exists()


def campaign_exists(campaign_id: int) -> bool:
    return Campaign.objects.filter(pk=campaign_id).exists()


def team_events_after(*, team_id: int, after_seq: int) -> list[TeamEvent]:
    return list(
        TeamEvent.objects.filter(team_id=team_id, seq__gt=after_seq).order_by("seq")[:REPLAY_LIMIT]
    )


def open_teams(*, campaign_id: int, now=None) -> QuerySet[Team]:
    now = now or timezone.now()
    return (
        Team.objects.filter(
            campaign_id=campaign_id,
            status=TeamStatus.FORMING,
            expires_at__gt=now,
            seats_taken__lt=F("team_size"),
        )
        .select_related("leader")
        .order_by("expires_at")
    )


def campaign_status(campaign: Campaign, now=None) -> str:
    now = now or timezone.now()
    if now < campaign.starts_at:
        return "scheduled"
    if now >= campaign.ends_at:
        return "ended"
    if campaign.stock_remaining <= 0:
        return "sold_out"
    return "live"


def _campaigns_with_details(campaigns: QuerySet[Campaign], now) -> QuerySet[Campaign]:
    """Campaigns with their product, its images and open teams (leaders) in a fixed 4 queries."""
    forming = (
        Team.objects.filter(
            status=TeamStatus.FORMING, expires_at__gt=now, seats_taken__lt=F("team_size")
        )
        .select_related("leader")
        .order_by("expires_at")
    )
    return campaigns.select_related("product").prefetch_related(
        Prefetch("product__images", queryset=ProductImage.objects.order_by("sort", "id")),
        Prefetch("teams", queryset=forming, to_attr="open_teams_prefetched"),
    )


def _campaign_dict(campaign: Campaign, now) -> dict:
    teams = campaign.open_teams_prefetched[:OPEN_TEAMS_SHOWN]  # type: ignore[attr-defined]
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "product": {
            "id": campaign.product_id,
            "title": campaign.product.title,
            "price": str(campaign.product.price),
            "image": first_image_url(campaign.product),
        },
        "group_price": str(campaign.group_price),
        "leader_price": str(campaign.leader_price) if campaign.leader_price is not None else None,
        "team_size": campaign.team_size,
        "team_window_minutes": campaign.team_window_minutes,
        "stock_total": campaign.stock_total,
        "stock_remaining": campaign.stock_remaining,
        "per_user_limit": campaign.per_user_limit,
        "starts_at": campaign.starts_at.isoformat(),
        "ends_at": campaign.ends_at.isoformat(),
        "platform_fill": campaign.platform_fill,
        "community": campaign.community_id,
        "status": campaign_status(campaign, now),
        "open_teams": [
            {
                "id": t.pk,
                "leader": t.leader.public_name,
                "seats_left": t.team_size - t.seats_taken,
                "expires_at": t.expires_at.isoformat(),
            }
            for t in teams
        ],
    }


def campaign_snapshot(campaign_id: int, *, viewer=INTERNAL) -> dict:
    """A campaign with its open teams, nearest deadline first (not found for a ``viewer`` who may
    not see its product: hidden by moderation)."""
    now = timezone.now()
    campaigns = _shown_to(Campaign.objects.filter(pk=campaign_id), viewer)
    campaign = _campaigns_with_details(campaigns, now).first()
    if campaign is None:
        raise ShopNotFoundError()
    return _campaign_dict(campaign, now)


def campaign_snapshots(campaigns: QuerySet[Campaign]) -> list[dict]:
    """Snapshots of many campaigns at once (the list page and API): a fixed number of queries."""
    now = timezone.now()
    return [_campaign_dict(c, now) for c in _campaigns_with_details(campaigns, now)]


def campaigns_live_with_details(*, now=None, viewer=INTERNAL) -> QuerySet[Campaign]:
    """Campaigns not yet ended, prefetched for ``campaign_snapshots_of`` (a paginator may slice
    it: the prefetches run on the page only)."""
    now = now or timezone.now()
    return _campaigns_with_details(campaigns_live(now=now, viewer=viewer), now)


def campaign_snapshots_of(campaigns: list[Campaign]) -> list[dict]:
    """Snapshots of campaigns read through ``campaigns_live_with_details``."""
    now = timezone.now()
    return [_campaign_dict(c, now) for c in campaigns]


def campaigns_live(*, now=None, viewer=INTERNAL) -> QuerySet[Campaign]:
    now = now or timezone.now()
    return (
        _shown_to(Campaign.objects.filter(ends_at__gt=now), viewer)
        .select_related("product")
        .order_by("starts_at", "pk")
    )


def teams_of_member(*, user) -> QuerySet[TeamMember]:
    """The member's group buys (every seat ever held), newest first."""
    return (
        TeamMember.objects.filter(user=user)
        .select_related("team", "team__campaign", "team__campaign__product", "order")
        .order_by("-joined_at", "-pk")
    )


def campaigns_for_product(*, product_id: int, now=None) -> list[dict]:
    """Live campaigns selling this product, for the product page's "team up" box."""
    now = now or timezone.now()
    live = Campaign.objects.filter(
        product_id=product_id,
        starts_at__lte=now,
        ends_at__gt=now,
        stock_remaining__gt=0,
        community__isnull=True,
    ).order_by("group_price", "pk")[:3]
    return [{"id": c.pk, "group_price": c.group_price, "team_size": c.team_size} for c in live]


def team_active_member_ids(*, team_id: int) -> list[int]:
    """Who holds a seat (held or paid) in the team, leader first."""
    return list(
        TeamMember.objects.filter(team_id=team_id)
        .exclude(status=TeamMemberStatus.LEFT)
        .order_by("joined_at", "pk")
        .values_list("user_id", flat=True)
    )


def team_title(*, team_id: int) -> str:
    """The team's room name: whose team it is tells one team of a campaign from another."""
    team = Team.objects.select_related("campaign", "leader").filter(pk=team_id).first()
    if team is None:
        return ""
    return f"拼团 · {team.leader.public_name}'s team · {team.campaign.title}"


def team_share_target(team_id: int) -> ShareTarget | None:
    """What a share link to the team points at (registered as the "team" share target)."""
    team = Team.objects.select_related("campaign").filter(pk=team_id).first()
    if team is None:
        return None
    return ShareTarget(
        url=f"/teams/{team.pk}/", title=f"Join my group buy: {team.campaign.title}", owner_id=None
    )
