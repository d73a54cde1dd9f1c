"""Team and campaign realtime events: names, envelopes and their on-commit pushes.

A team's events are a durable stream (``TeamEvent`` with seq): each push carries the team's
snapshot as it stood right after the change, and the same frame is rebuilt from the stored row
for a reconnecting page's replay. Campaign pushes are ephemeral (seq null): the page re-fetches
on reconnect.
"""

from groupbuy.models import TeamEvent
from groupbuy.selectors_teams import campaign_snapshot, team_snapshot
from realtime.envelopes import server_time
from realtime.publish import broadcast_on_commit, broadcast_state_on_commit

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


def campaign_changed_on_commit(campaign_id: int) -> None:
    # Built after commit: a join holds the campaign's stock row until then, and the page only
    # needs the state as it now stands.
    broadcast_state_on_commit(
        f"{CAMPAIGN_TOPIC}:{campaign_id}",
        CAMPAIGN_UPDATED,
        lambda: campaign_snapshot(campaign_id),
    )
