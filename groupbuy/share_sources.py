"""Where checkout learns about share-link clicks without importing feeds (a higher layer).

feeds registers one source in ``AppConfig.ready()``; it answers with the buyer's recent clicks as
``(sharer_id, clicked_at, sharer_is_creator)`` tuples, the input ``attribution.attribute_order``
expects. With nothing registered there are no clicks.
"""

from collections.abc import Callable
from datetime import date, datetime

ShareClickSource = Callable[[int, datetime], list[tuple[int, datetime, bool]]]

_sources: list[ShareClickSource] = []


def register_share_click_source(source: ShareClickSource) -> None:
    if source not in _sources:
        _sources.append(source)


def share_clicks_for_buyer(*, buyer_id: int, now: datetime) -> list[tuple[int, datetime, bool]]:
    clicks: list[tuple[int, datetime, bool]] = []
    for source in _sources:
        clicks.extend(source(buyer_id, now))
    return clicks


ShareClickCounter = Callable[[int, datetime, datetime], dict[date, int]]

_counters: list[ShareClickCounter] = []


def register_share_click_counter(counter: ShareClickCounter) -> None:
    """feeds answers how many clicks a creator's share links got per business day in a window."""
    if counter not in _counters:
        _counters.append(counter)


def share_clicks_per_day(*, creator_id: int, since: datetime, until: datetime) -> dict[date, int]:
    days: dict[date, int] = {}
    for counter in _counters:
        for day, count in counter(creator_id, since, until).items():
            days[day] = days.get(day, 0) + count
    return days
