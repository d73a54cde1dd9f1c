"""The realtime topics community owns: ``user:<id>``, each member's private stream."""

from community.events import notification_envelope
from community.selectors.notifications import notifications_after
from realtime.registry import register_topic

REPLAY_LIMIT = 500


def _can_subscribe_to_user(user, argument: str) -> bool:
    return str(user.pk) == argument


def _replay_notifications(user, argument: str, after_seq: int):
    missed = notifications_after(user=user, after_seq=after_seq)
    return [notification_envelope(n) for n in missed[:REPLAY_LIMIT]]


def register() -> None:
    register_topic("user", can_subscribe=_can_subscribe_to_user, replay=_replay_notifications)
