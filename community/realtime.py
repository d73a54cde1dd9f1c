"""The realtime topics community owns: ``user:<id>``, each member's private stream,
``moderation.queue``, the moderators' live queue, and ``insights.live``, the staff dashboard's
live counters."""

from channels.db import database_sync_to_async
from django.conf import settings

from community.events import (
    INSIGHTS_LIVE_TOPIC,
    INSIGHTS_LIVE_UPDATED,
    MODERATION_QUEUE_TOPIC,
    notification_envelope,
)
from community.selectors.accounts import can_moderate_content
from community.selectors.insights.metrics import live_counters
from community.selectors.moderation import is_staff_member
from community.selectors.notifications import notifications_after
from community.services.moderation.trust import trust_visit
from realtime.coalesce import Coalescer, claim_window
from realtime.registry import register_connection_hooks, register_topic

REPLAY_LIMIT = 500


def _can_subscribe_to_user(user, argument: str) -> bool:
    return str(user.pk) == argument


def _replay_notifications(user, argument: str, after_seq: int):
    missed = notifications_after(user=user, after_seq=after_seq)
    return [notification_envelope(n) for n in missed[:REPLAY_LIMIT]]


async def _count_visit(connection) -> None:
    # An open app counts as a day visited for trust levels (one UPDATE a member a day at most).
    await database_sync_to_async(trust_visit)(connection.user.pk)


# --- insights.live: the staff dashboard's counters --------------------------------------------
# Polled, not pushed by writes: every process with a staff socket on the topic runs one flusher
# (the coalescer), one process per window reads the counters (two indexed COUNTs over the last
# five minutes of the stream) and publishes them; nobody watching costs nothing.


def insights_live_interval_ms() -> int:
    """How often the live panel is refreshed (``INSIGHTS_LIVE_INTERVAL_MS``, default 3 s)."""
    return int(getattr(settings, "INSIGHTS_LIVE_INTERVAL_MS", 3000))


def insights_live_frames(_key: int, _watching: int) -> list[tuple[str, dict]]:
    """One round: the counters, from the one process that claims this window."""
    if not claim_window("insights.live", 0, insights_live_interval_ms()):
        return []
    return [(INSIGHTS_LIVE_UPDATED, live_counters())]


insights_live_pushes = Coalescer(
    INSIGHTS_LIVE_TOPIC,
    topic=lambda _key: INSIGHTS_LIVE_TOPIC,
    interval_ms=insights_live_interval_ms,
    collect=insights_live_frames,
)


# The topic takes no argument; the coalescer keys its one flusher by 0.
async def _insights_live_join(connection, _argument: str) -> None:
    await insights_live_pushes.on_join(connection, "0")


async def _insights_live_leave(connection, _argument: str) -> None:
    await insights_live_pushes.on_leave(connection, "0")


def register() -> None:
    register_topic("user", can_subscribe=_can_subscribe_to_user, replay=_replay_notifications)
    register_topic(
        MODERATION_QUEUE_TOPIC,
        can_subscribe=lambda user, argument: can_moderate_content(user),
        takes_argument=False,
    )
    register_topic(
        INSIGHTS_LIVE_TOPIC,
        can_subscribe=lambda user, argument: is_staff_member(user),
        takes_argument=False,
        on_join=_insights_live_join,
        on_leave=_insights_live_leave,
    )
    register_connection_hooks("community.trust", on_open=_count_visit)
