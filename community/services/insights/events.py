"""Recording the event stream (PRODUCT.md §17): what every app calls when something happened.

``track`` is the one way in for server-side events: it stores the event once the caller's
transaction commits, so a rolled-back order never counts as paid. Recording never fails the
caller: a broken event is logged and dropped, the member's action stands.
"""

import logging
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import Event
from community.selectors.loyalty import business_today

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 64
MAX_VISITOR_ID_LENGTH = 64


def actor_key(*, user_id: int | None, visitor_id: str = "") -> str:
    """The counting key of an event's actor: the member when known, else the visitor."""
    if user_id is not None:
        return f"u:{user_id}"
    return f"v:{visitor_id}"


def event_build(
    name: str,
    *,
    user=None,
    user_id: int | None = None,
    visitor_id: str = "",
    properties: dict[str, Any] | None = None,
    at: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> Event:
    """An unsaved event with its actor key and business day filled in."""
    if user is not None and getattr(user, "is_authenticated", False):
        user_id = user.pk
    at = at or timezone.now()
    return Event(
        event_id=event_id or uuid.uuid4(),
        name=name[:MAX_NAME_LENGTH],
        user_id=user_id,
        visitor_id=(visitor_id or "")[:MAX_VISITOR_ID_LENGTH],
        actor=actor_key(user_id=user_id, visitor_id=visitor_id),
        at=at,
        day=business_today(at),
        properties=properties or {},
    )


def events_store(events: list[Event]) -> int:
    """Store events whose ``event_id`` is new; return how many were new (a retry adds none)."""
    if not events:
        return 0
    seen = set(
        Event.objects.filter(event_id__in=[event.event_id for event in events]).values_list(
            "event_id", flat=True
        )
    )
    fresh = {event.event_id: event for event in events if event.event_id not in seen}
    # The unique event_id is the authority: a concurrent retry of the same batch stores nothing.
    Event.objects.bulk_create(list(fresh.values()), ignore_conflicts=True)
    return len(fresh)


def track(
    name: str,
    user=None,
    properties: dict[str, Any] | None = None,
    *,
    visitor_id: str = "",
    at: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> None:
    """Record that ``name`` happened to ``user`` (or an anonymous visitor) once the current
    transaction commits; at once outside a transaction."""
    event = event_build(
        name, user=user, visitor_id=visitor_id, properties=properties, at=at, event_id=event_id
    )

    def store() -> None:
        try:
            Event.objects.bulk_create([event], ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - a user deleted meanwhile
            logger.warning("insights event dropped", extra={"event_name": name})

    transaction.on_commit(store, robust=True)
