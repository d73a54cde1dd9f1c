"""Chat's staff tooling by topic; importing the modules registers them with the admin site."""

from chat.admin import live, messages, rooms, support

__all__ = ["live", "messages", "rooms", "support"]
