"""Where checkout learns about share-link clicks without importing feeds (a higher layer).

feeds registers one source in ``AppConfig.ready()``; it answers with the buyer's recent clicks as
``(sharer_id, clicked_at, sharer_is_creator)`` tuples, the input ``attribution.attribute_order``
expects. With nothing registered there are no clicks.
"""

from collections.abc import Callable
from datetime import datetime

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
