"""Adapters for what leaves the machine: email, SMS and push. The console backend prints."""

import structlog
from django.conf import settings
from django.utils.module_loading import import_string

log = structlog.get_logger(__name__)


class ConsoleChannel:
    """Writes the message to the log instead of sending it (the default, and the sandbox)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[dict] = []

    def send(self, *, user, title: str, body: str) -> None:
        message = {"to": user.username, "title": title, "body": body}
        self.sent.append(message)
        log.info("notification.external", channel=self.name, **message)


_channels: dict[str, ConsoleChannel] = {}


def channel(name: str):
    if name not in _channels:
        backend = settings.NOTIFICATION_CHANNELS.get(
            name, "community.notify_channels.ConsoleChannel"
        )
        _channels[name] = import_string(backend)(name)
    return _channels[name]


def external_channels_for(notification_type: str) -> list[str]:
    return list(settings.NOTIFICATION_EXTERNAL_TYPES.get(notification_type, []))
