"""The realtime topics community owns: ``user:<id>``, each member's private stream."""

from realtime.registry import register_topic


def _can_subscribe_to_user(user, argument: str) -> bool:
    return str(user.pk) == argument


def register() -> None:
    register_topic("user", can_subscribe=_can_subscribe_to_user)
