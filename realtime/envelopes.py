"""The one frame shape the server sends: ``{type, topic, seq, data}``."""

from typing import Any

from django.utils import timezone


def envelope(
    event_type: str, data: dict[str, Any], *, topic: str | None = None, seq: int | None = None
):
    return {"type": event_type, "topic": topic, "seq": seq, "data": data}


def server_time() -> str:
    return timezone.now().isoformat()
