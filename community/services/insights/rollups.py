"""Daily rollups of the event stream: one ``ActorDay`` row per (day, actor) and one ``EventDay``
row per (day, event name), for closed business days only.

A day is rebuilt whole (delete + ``INSERT … SELECT`` in one transaction), never patched, so
running it twice changes nothing and a late event is absorbed by rebuilding its day. The open day
(today in the business time zone) is never rolled: metrics read it from the raw stream.
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from community.models import ActorDay, Event, EventDay, RolledDay
from community.selectors.insights.metrics import (
    SESSION_GAP_SECONDS,
    actor_days_sql,
    event_days_sql,
)
from community.selectors.loyalty import business_today

# Events received this long before the last rollup are re-checked for lateness: a transaction
# that stamped ``received_at`` just before a rollup may commit just after it.
RECHECK_MARGIN = timedelta(hours=1)


class OpenDayError(ValueError):
    """Only closed business days are rolled up."""


def rollup_day(day: date) -> int:
    """Rebuild the rollup rows of one closed business day from the stream; return its events."""
    if day >= business_today():
        raise OpenDayError(f"{day} is not closed yet")
    param = connection.ops.adapt_datefield_value(day)
    columns = "day, actor, user_id, events, sessions, session_seconds, first_at, last_at"
    with transaction.atomic():
        # update_or_create locks the day's row: two rollups of the same day (two workers, or
        # beat and a manual run) take turns, and the second rebuilds the same rows.
        RolledDay.objects.update_or_create(
            day=day, defaults={"rolled_at": timezone.now(), "events": 0}
        )
        # Stamped before reading: anything received later marks the day late again.
        rolled_at = timezone.now()
        ActorDay.objects.filter(day=day).delete()
        EventDay.objects.filter(day=day).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ActorDay._meta.db_table} ({columns}) " + actor_days_sql("day = %s"),
                [param, SESSION_GAP_SECONDS],
            )
            cursor.execute(
                f"INSERT INTO {EventDay._meta.db_table} (day, name, count, actors) "
                + event_days_sql("day = %s"),
                [param],
            )
        events = Event.objects.filter(day=day).count()
        RolledDay.objects.filter(day=day).update(rolled_at=rolled_at, events=events)
    return events


def days_pending(now=None) -> list[date]:
    """Closed days never rolled up, and rolled days with events received after their rollup
    (or whose event count no longer matches, which catches a commit that raced the rollup)."""
    today = business_today(now)
    first = Event.objects.aggregate(first=Min("day"))["first"]
    if first is None or first >= today:
        return []
    rolled = {row.day: row for row in RolledDay.objects.filter(day__gte=first)}
    pending = {
        first + timedelta(days=n)
        for n in range((today - first).days)
        if first + timedelta(days=n) not in rolled
    }
    last_run = max((row.rolled_at for row in rolled.values()), default=None)
    if last_run is not None:
        touched = {
            row["day"]: row["latest"]
            for row in Event.objects.filter(
                received_at__gte=last_run - RECHECK_MARGIN, day__lt=today
            )
            .values("day")
            .annotate(latest=Max("received_at"))
        }
        counts = dict(
            Event.objects.filter(day__in=list(touched))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        for day, latest in touched.items():
            done = rolled.get(day)
            if done is None or latest > done.rolled_at or counts.get(day, 0) != done.events:
                pending.add(day)
    return sorted(pending)


def rollup_pending() -> list[date]:
    """Roll every closed day not rolled yet and re-roll days with late events; return them."""
    days = days_pending()
    for day in days:
        rollup_day(day)
    return days
