"""groupbuy's realtime events: topic and event names, envelopes, payloads and their pushes.

Teams and campaigns: a team's events are a durable stream (``TeamEvent`` with seq): each push
carries the team's snapshot as it stood right after the change, and the same frame is rebuilt
from the stored row for a reconnecting page's replay. Campaign pushes are ephemeral (seq null):
the page re-fetches on reconnect.

Flash sales: the topic ``groupbuy.flash_sale:<id>`` is ephemeral: pushes carry ``seq: null`` and
a client that reconnects re-reads ``GET /api/v1/flash-sales/{id}/``, which holds the same fields.
"""

from datetime import datetime

from groupbuy.models import TeamEvent
from groupbuy.selectors.teams import team_snapshot
from realtime.envelopes import server_time
from realtime.publish import broadcast_on_commit

TEAM_TOPIC = "groupbuy.team"
CAMPAIGN_TOPIC = "groupbuy.campaign"
CAMPAIGN_UPDATED = "groupbuy.campaign.updated"


def team_topic(team_id: int) -> str:
    return f"{TEAM_TOPIC}:{team_id}"


def event_type(kind: str) -> str:
    return f"groupbuy.team.{kind}"


def team_envelope(event: TeamEvent) -> dict:
    """The frame of a stored event, stamped with the server's clock as it is sent (a countdown
    needs the server's "now", not the one at the time of the event)."""
    return {
        "type": event_type(event.type),
        "topic": team_topic(event.team_id),
        "seq": event.seq,
        "data": {**event.data, "server_time": server_time()},
    }


def event_data(team_id: int, details: dict) -> dict:
    """What a team event carries: what happened, and the whole team right after it."""
    return {**details, "team": team_snapshot(team_id)}


def publish_on_commit(event: TeamEvent) -> None:
    frame = team_envelope(event)
    broadcast_on_commit(frame["topic"], frame["type"], frame["data"], seq=frame["seq"])


def campaign_topic(campaign_id: int) -> str:
    return f"{CAMPAIGN_TOPIC}:{campaign_id}"


# --- flash sales ----------------------------------------------------------------------------------

FLASH_SALE_TOPIC = "groupbuy.flash_sale"
STOCK_CHANGED = "groupbuy.flash_sale.stock_changed"
STARTED = "groupbuy.flash_sale.started"
ENDED = "groupbuy.flash_sale.ended"


def sale_topic(sale_id: int) -> str:
    return f"{FLASH_SALE_TOPIC}:{sale_id}"


def state_payload(
    *,
    sale_id: int,
    status: str,
    stock_remaining: int,
    stock_total: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> dict:
    """The live part of the REST representation, under the same field names."""
    return {
        "id": sale_id,
        "status": status,
        "stock_remaining": stock_remaining,
        "stock_total": stock_total,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "server_time": now.isoformat(),
    }
