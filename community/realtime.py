"""The realtime topics community owns: ``user:<id>``, each member's private stream, and
``moderation.queue``, the moderators' live queue."""

from channels.db import database_sync_to_async

from community.events import MODERATION_QUEUE_TOPIC, notification_envelope
from community.selectors.accounts import can_moderate_content
from community.selectors.notifications import notifications_after
from community.services.moderation.trust import trust_visit
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


def register() -> None:
    register_topic("user", can_subscribe=_can_subscribe_to_user, replay=_replay_notifications)
    register_topic(
        MODERATION_QUEUE_TOPIC,
        can_subscribe=lambda user, argument: can_moderate_content(user),
        takes_argument=False,
    )
    register_connection_hooks("community.trust", on_open=_count_visit)
