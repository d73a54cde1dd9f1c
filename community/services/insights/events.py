"""Recording the event stream (PRODUCT.md §17): what every app calls when something happened.

``track`` is the one way in for server-side events: it stores the event once the caller's
transaction commits, so a rolled-back order never counts as paid. Recording never fails the
caller: a broken event is logged and dropped, the member's action stands.
"""

import json
import logging
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community.exceptions import BadBatchError
from community.models import Event, VisitorLink
from community.selectors.loyalty import business_today

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 64
MAX_VISITOR_ID_LENGTH = 64

# What a browser or an app may report itself. Everything else (product_view, search, order_paid,
# share_click, ...) is recorded by the server where it happens, so a client can neither invent
# an order nor count a view twice.
CLIENT_EVENTS = frozenset(
    {
        "page_view",
        "screen_view",
        "session_start",
        "app_open",
        "notification_open",
        "share_sheet_open",
        "search_result_click",
        "video_play",
    }
)
MAX_BATCH = 100
MAX_PROPERTIES = 20
MAX_PROPERTY_KEY = 40
MAX_PROPERTY_TEXT = 512
MAX_PROPERTIES_BYTES = 2048
# A phone that was offline may flush late; older than this would rewrite closed rollups forever.
MAX_LATE = timedelta(hours=72)
# Clocks drift: up to this far ahead is taken as "now", further ahead is refused.
MAX_SKEW = timedelta(minutes=5)
EVENT_KEYS = {"name", "properties", "at", "event_id"}

# The browser tracker's id (frontend/static/tuanju/track.js): header from apps and the tracker,
# cookie so that page loads, sign-up and login see it without any script.
VISITOR_HEADER = "HTTP_X_VISITOR_ID"
VISITOR_COOKIE = "tj_vid"
VISITOR_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}\Z")


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
    user_id: int | None = None,
    visitor_id: str = "",
    at: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> None:
    """Record that ``name`` happened to ``user`` (or ``user_id``, or an anonymous visitor) once
    the current transaction commits; at once outside a transaction."""
    if (user is None or not user.is_authenticated) and user_id is None and not visitor_id:
        return  # nobody to count it for
    event = event_build(
        name,
        user=user,
        user_id=user_id,
        visitor_id=visitor_id,
        properties=properties,
        at=at,
        event_id=event_id,
    )

    def store() -> None:
        try:
            Event.objects.bulk_create([event], ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - a user deleted meanwhile
            logger.warning("insights event dropped", extra={"event_name": name})

    transaction.on_commit(store, robust=True)


# --- sign-ups and their channel -----------------------------------------------------------------

# uuid5 namespace of events whose identity follows from the data (one sign_up per member).
STABLE_NAMESPACE = uuid.UUID("6f1d8a4e-2b1c-4c55-9f0e-7d3f0c2a9b17")


def stable_event_id(key: str) -> uuid.UUID:
    """The same event id for the same key, every time: what makes re-runs add nothing."""
    return uuid.uuid5(STABLE_NAMESPACE, key)


def sign_up_event_id(user_id: int) -> uuid.UUID:
    return stable_event_id(f"sign_up:{user_id}")


def sign_up_attribute(*, user_id: int, channel: str, **properties: Any) -> None:
    """Name the channel of a member's sign-up once the caller commits (a share link found after
    the account was made); an invite code, recorded at sign-up, keeps precedence."""

    def attribute() -> None:
        event = Event.objects.filter(event_id=sign_up_event_id(user_id)).first()
        if event is None or event.properties.get("channel") != "organic":
            return
        event.properties = {**event.properties, **properties, "channel": channel}
        event.save(update_fields=["properties"])

    transaction.on_commit(attribute, robust=True)


# --- the client endpoint ------------------------------------------------------------------------


def visitor_id_valid(value: str) -> bool:
    return bool(VISITOR_ID_RE.match(value or ""))


def visitor_id_of(request) -> str:
    """The request's visitor id (header first, then the tracker's cookie), or "" if none is valid."""
    for value in (request.META.get(VISITOR_HEADER, ""), request.COOKIES.get(VISITOR_COOKIE, "")):
        if visitor_id_valid(value):
            return value
    return ""


def _refuse(index: int | None, message: str) -> BadBatchError:
    where = "events" if index is None else f"events[{index}]"
    return BadBatchError(f"{where}: {message}", fields={where: [message]})


def _scalar_ok(value: Any) -> bool:
    if isinstance(value, str):
        # PostgreSQL's jsonb cannot hold NUL; refuse it here rather than fail the insert.
        return len(value) <= MAX_PROPERTY_TEXT and "\x00" not in value
    return value is None or isinstance(value, bool | int | float)


def _properties_clean(index: int, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _refuse(index, "properties must be an object.")
    if len(value) > MAX_PROPERTIES:
        raise _refuse(index, f"at most {MAX_PROPERTIES} properties.")
    for key, item in value.items():
        if not (isinstance(key, str) and 0 < len(key) <= MAX_PROPERTY_KEY and "\x00" not in key):
            raise _refuse(index, f"property names are 1-{MAX_PROPERTY_KEY} characters.")
        if not _scalar_ok(item):
            raise _refuse(
                index,
                f"property {key!r} must be text (at most {MAX_PROPERTY_TEXT}), a number, "
                "true/false or null.",
            )
    if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_PROPERTIES_BYTES:
        raise _refuse(index, f"properties are at most {MAX_PROPERTIES_BYTES} bytes.")
    return value


def _at_clean(index: int, value: Any, now: datetime) -> datetime:
    if value is None:
        return now
    parsed = parse_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
    if parsed is None or timezone.is_naive(parsed):
        raise _refuse(index, "at must be an ISO 8601 time with an offset.")
    if parsed < now - MAX_LATE:
        raise _refuse(index, "at is more than 72 hours ago.")
    if parsed > now + MAX_SKEW:
        raise _refuse(index, "at is in the future.")
    return min(parsed, now)


def _event_id_clean(index: int, value: Any) -> uuid.UUID:
    if value is None:
        return uuid.uuid4()
    try:
        if not isinstance(value, str) or len(value) > 36:
            raise ValueError
        return uuid.UUID(value)
    except ValueError:
        raise _refuse(index, "event_id must be a UUID.") from None


def client_events_ingest(*, payload: Any, user=None, visitor_id: str = "") -> int:
    """Validate a client's batch whole, store its new events and return how many were new."""
    if visitor_id and not visitor_id_valid(visitor_id):
        raise BadBatchError("X-Visitor-Id must be 8-64 letters, digits, '-' or '_'.")
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if not signed_in and not visitor_id:
        raise BadBatchError("Anonymous events need an X-Visitor-Id header.")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list) or not events:
        raise _refuse(None, "send a non-empty list under events.")
    if len(events) > MAX_BATCH:
        raise _refuse(None, f"at most {MAX_BATCH} events per batch.")
    now = timezone.now()
    built: list[Event] = []
    for index, item in enumerate(events):
        if not isinstance(item, dict) or not set(item) <= EVENT_KEYS:
            raise _refuse(index, "an event is {name, properties?, at?, event_id?}.")
        name = item.get("name")
        if not isinstance(name, str) or name not in CLIENT_EVENTS:
            raise _refuse(index, "unknown event name.")
        built.append(
            event_build(
                name,
                user=user if signed_in else None,
                visitor_id=visitor_id,
                properties=_properties_clean(index, item.get("properties")),
                at=_at_clean(index, item.get("at"), now),
                event_id=_event_id_clean(index, item.get("event_id")),
            )
        )
    if signed_in and visitor_id:
        visitor_link(user=user, visitor_id=visitor_id)
    # The same id twice in one batch is one event too.
    unique = list({event.event_id: event for event in built}.values())
    return events_store(unique)


# --- visitors becoming members ------------------------------------------------------------------


def visitor_link(*, user, visitor_id: str) -> int:
    """Tie an anonymous visitor id to ``user`` and hand them that visitor's anonymous events;
    returns how many events moved. A visitor id already tied to someone else stays theirs."""
    if not visitor_id_valid(visitor_id) or user is None or not user.is_authenticated:
        return 0
    with transaction.atomic():
        VisitorLink.objects.bulk_create(
            [VisitorLink(visitor_id=visitor_id, user=user)], ignore_conflicts=True
        )
        if not VisitorLink.objects.filter(visitor_id=visitor_id, user=user).exists():
            return 0  # a shared device: the first member keeps the browser's past
        # received_at moves to now so that the rollups rebuild the days these events belong to
        # (a moved event counts as late for its day).
        return Event.objects.filter(actor=actor_key(user_id=None, visitor_id=visitor_id)).update(
            user=user, actor=actor_key(user_id=user.pk), received_at=timezone.now()
        )


def visitor_link_request(*, request, user) -> int:
    """Link the request's visitor id (header or the tracker's cookie) to ``user``, if it has one."""
    return visitor_link(user=user, visitor_id=visitor_id_of(request))


def track_request(name: str, request, properties: dict[str, Any] | None = None) -> None:
    """Record a server-side view event for the request's member, or for its anonymous visitor
    (nothing for an anonymous caller without a visitor id: it cannot be counted as anyone)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        track(name, user, properties, visitor_id=visitor_id_of(request))
        return
    visitor_id = visitor_id_of(request)
    if visitor_id:
        track(name, None, properties, visitor_id=visitor_id)


def track_app_request(name: str, request, properties: dict[str, Any] | None = None) -> None:
    """``track_request`` for REST reads that apps make (token or X-Visitor-Id header): the web
    pages' own fetches (a cart reading its products) are not views, the page load counted."""
    if getattr(request, "auth", None) is None and not request.META.get(VISITOR_HEADER):
        return
    track_request(name, request, properties)
