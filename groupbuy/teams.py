"""Group-buy teams' wiring into the rest of the system, done once in ``GroupbuyConfig.ready()``."""

from community.demo_registry import register_seeder
from community.share_targets import ShareTarget, register_share_target
from groupbuy import team_events
from groupbuy.demo_teams import seed_teams
from groupbuy.models import Campaign, Team
from groupbuy.order_kinds import OrderKind, register_order_kind
from groupbuy.selectors_teams import team_events_after
from groupbuy.services.teams import (
    team_order_can_ship,
    team_seat_leave,
    team_seat_paid,
    team_seat_release,
)
from realtime.registry import register_topic


def _id(argument: str) -> int | None:
    return int(argument) if argument.isdigit() and len(argument) < 19 else None


def _can_watch_team(user, argument: str) -> bool:
    # Team pages are public to members (they are shared to recruit): any signed-in member may
    # watch a team that exists.
    team_id = _id(argument)
    return team_id is not None and Team.objects.filter(pk=team_id).exists()


def _replay_team(user, argument: str, after_seq: int) -> list[dict]:
    team_id = _id(argument)
    if team_id is None:
        return []
    return [
        team_events.team_envelope(event)
        for event in team_events_after(team_id=team_id, after_seq=after_seq)
    ]


def _can_watch_campaign(user, argument: str) -> bool:
    campaign_id = _id(argument)
    return campaign_id is not None and Campaign.objects.filter(pk=campaign_id).exists()


def _share_team(team_id: int) -> ShareTarget | None:
    team = Team.objects.select_related("campaign").filter(pk=team_id).first()
    if team is None:
        return None
    return ShareTarget(
        url=f"/teams/{team.pk}/", title=f"Join my group buy: {team.campaign.title}", owner_id=None
    )


def setup() -> None:
    """Register the team order kind, realtime topics and share target."""
    register_order_kind(
        "group",
        OrderKind(
            release=team_seat_release,
            on_paid=team_seat_paid,
            can_ship=team_order_can_ship,
            on_refund_requested=team_seat_leave,
        ),
    )
    register_topic(team_events.TEAM_TOPIC, can_subscribe=_can_watch_team, replay=_replay_team)
    register_topic(team_events.CAMPAIGN_TOPIC, can_subscribe=_can_watch_campaign)
    register_share_target("team", _share_team)
    register_seeder("groupbuy.teams", seed_teams, order=39)
