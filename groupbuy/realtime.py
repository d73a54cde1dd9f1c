"""groupbuy's realtime topics, registered once in ``GroupbuyConfig.ready()``: who may watch a
flash sale, a team or a campaign, how a team's stream is replayed, and the coalesced pushes of a
sale's stock and a campaign's seats.

A sale selling hundreds of units a second, or a campaign whose teams fill by the second, must not
send a frame per purchase to every watcher: purchases and joins push nothing themselves, and the
topic's coalescer (``realtime.coalesce``) sends what changed at most once per interval. A team's
own events stay one frame each: they are a durable stream with a seq that a page replays.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from groupbuy import events
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.selectors.flash_sales import (
    ENDED,
    SCHEDULED,
    flash_sale_exists,
    flash_sale_state,
    flash_sale_status,
)
from groupbuy.selectors.teams import (
    campaign_exists,
    campaign_snapshot,
    team_events_after,
    team_exists,
)
from realtime.coalesce import Coalescer, claim_window
from realtime.registry import register_topic

_PUSHED_TTL = 24 * 3600


def _id(argument: str) -> int | None:
    return int(argument) if argument.isdigit() and len(argument) < 19 else None


def can_watch_flash_sale(user, argument: str) -> bool:
    """Any signed-in member may watch an existing sale (the socket itself needs sign-in)."""
    sale_id = _id(argument)
    return (
        sale_id is not None
        and bool(getattr(user, "is_authenticated", False))
        and flash_sale_exists(sale_id)
    )


def can_watch_team(user, argument: str) -> bool:
    # Team pages are public to members (they are shared to recruit): any signed-in member may
    # watch a team that exists.
    team_id = _id(argument)
    return team_id is not None and team_exists(team_id)


def replay_team(user, argument: str, after_seq: int) -> list[dict]:
    team_id = _id(argument)
    if team_id is None:
        return []
    return [
        events.team_envelope(event)
        for event in team_events_after(team_id=team_id, after_seq=after_seq)
    ]


def can_watch_campaign(user, argument: str) -> bool:
    campaign_id = _id(argument)
    return campaign_id is not None and campaign_exists(campaign_id)


# --- coalesced pushes ---------------------------------------------------------------------------


def _flash_interval_ms() -> int:
    return max(50, int(settings.FLASH_SALE_PUSH_INTERVAL_MS))


def _campaign_interval_ms() -> int:
    return max(50, int(settings.CAMPAIGN_PUSH_INTERVAL_MS))


def flash_sale_frames(sale_id: int, watching: int = 0) -> list[tuple[str, dict]]:
    """What to push for one sale now: ``stock_changed`` when the count moved (however many
    purchases landed in the window), ``started`` / ``ended`` as the clock passes; empty when
    nothing changed or another process has this window."""
    if not claim_window("flash_sale", sale_id, _flash_interval_ms()):
        return []
    row = flash_sale_state(sale_id)
    if row is None:
        return []
    now = timezone.now()
    status = flash_sale_status(
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        stock_remaining=row["stock_remaining"],
        now=now,
    )
    state = {"status": status, "stock_remaining": row["stock_remaining"]}
    last = cache.get(f"flash:pushed:{sale_id}")
    if last == state:
        return []
    cache.set(f"flash:pushed:{sale_id}", state, timeout=_PUSHED_TTL)
    data = events.state_payload(sale_id=sale_id, now=now, **row, status=status)
    out: list[tuple[str, dict]] = []
    if last is None or last["stock_remaining"] != state["stock_remaining"]:
        out.append((events.STOCK_CHANGED, data))
    if last is not None and last["status"] != status:
        if status == ENDED:
            out.append((events.ENDED, data))
        elif last["status"] == SCHEDULED and status != SCHEDULED:
            out.append((events.STARTED, data))
        elif not out:
            # Sold out <-> live with the same count cannot happen; anything else (a sale moved
            # back to scheduled by staff) still tells watchers the state.
            out.append((events.STOCK_CHANGED, data))
    return out


def _campaign_state(campaign_id: int) -> dict | None:
    try:
        return campaign_snapshot(campaign_id)
    except ShopNotFoundError:
        return None


def campaign_prime(campaign_id: int) -> None:
    """Record the state a new watcher is about to fetch, so only later changes are pushed."""
    cache.add(f"campaign:pushed:{campaign_id}", _campaign_state(campaign_id), timeout=_PUSHED_TTL)


def campaign_frames(campaign_id: int, watching: int = 0) -> list[tuple[str, dict]]:
    """The campaign's snapshot when its seats, teams or state moved since the last push."""
    if not claim_window("campaign", campaign_id, _campaign_interval_ms()):
        return []
    state = _campaign_state(campaign_id)
    if state is None or cache.get(f"campaign:pushed:{campaign_id}") == state:
        return []
    cache.set(f"campaign:pushed:{campaign_id}", state, timeout=_PUSHED_TTL)
    return [(events.CAMPAIGN_UPDATED, state)]


flash_sale_pushes = Coalescer(
    "flash_sale",
    topic=events.sale_topic,
    interval_ms=_flash_interval_ms,
    collect=flash_sale_frames,
)
campaign_pushes = Coalescer(
    "campaign",
    topic=events.campaign_topic,
    interval_ms=_campaign_interval_ms,
    collect=campaign_frames,
    prime=campaign_prime,
)


def register() -> None:
    register_topic(
        events.FLASH_SALE_TOPIC,
        can_subscribe=can_watch_flash_sale,
        on_join=flash_sale_pushes.on_join,
        on_leave=flash_sale_pushes.on_leave,
    )
    register_topic(events.TEAM_TOPIC, can_subscribe=can_watch_team, replay=replay_team)
    register_topic(
        events.CAMPAIGN_TOPIC,
        can_subscribe=can_watch_campaign,
        on_join=campaign_pushes.on_join,
        on_leave=campaign_pushes.on_leave,
    )
