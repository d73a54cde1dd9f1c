"""Which creator an order is attributed to (PRODUCT.md §5), as one pure function.

Precedence: a creator code > the last share-link click by a creator within
``ATTRIBUTION_SHARE_DAYS`` (7) days > the last storefront visit within
``ATTRIBUTION_STOREFRONT_HOURS`` (24) hours. Self-attribution never counts: a buyer's own code,
link or storefront is skipped and the next rule applies. Windows include their boundary (a click
exactly 7 days old still counts) and ignore events after ``now``.

Every order is attributed the same way, whatever its kind: cart checkout, a group-buy seat or a
flash-sale purchase, including deals a creator launches from a livestream (watching a stream is
not one of the rules, so such an order is the host's only through their link or storefront).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings


def share_click_window() -> timedelta:
    """How long a creator's share-link click attributes the clicker's orders."""
    return timedelta(days=settings.ATTRIBUTION_SHARE_DAYS)


def storefront_visit_window() -> timedelta:
    """How long a storefront visit attributes the visitor's orders."""
    return timedelta(hours=settings.ATTRIBUTION_STOREFRONT_HOURS)


Source = Literal["creator_code", "share_link", "storefront"]
SOURCE_LABELS: dict[str, str] = {
    "creator_code": "Creator code",
    "share_link": "Share link",
    "storefront": "Storefront visit",
}


@dataclass(frozen=True)
class Attribution:
    creator_id: int | None
    source: Source | None


NONE = Attribution(creator_id=None, source=None)


def _latest(
    events: Iterable[tuple[int, datetime]], *, buyer_id: int, now: datetime, window: timedelta
) -> int | None:
    """The creator of the newest event in ``[now - window, now]``; on a tie the later one listed."""
    best: tuple[int, datetime] | None = None
    for creator_id, at in events:
        if creator_id == buyer_id or not (now - window <= at <= now):
            continue
        if best is None or at >= best[1]:
            best = (creator_id, at)
    return best[0] if best else None


def attribute_order(
    *,
    buyer_id: int,
    creator_code_owner_id: int | None,
    share_clicks: list[tuple[int, datetime, bool]],
    storefront_visits: list[tuple[int, datetime]],
    now: datetime,
) -> Attribution:
    """The creator (and why) an order by ``buyer_id`` placed at ``now`` is attributed to.

    ``share_clicks`` are ``(sharer_id, clicked_at, sharer_is_creator)``; ``storefront_visits``
    are ``(storefront_owner_id, visited_at)``; both of the buyer and in any order.
    """
    if creator_code_owner_id is not None and creator_code_owner_id != buyer_id:
        return Attribution(creator_id=creator_code_owner_id, source="creator_code")
    sharer = _latest(
        ((sharer_id, at) for sharer_id, at, is_creator in share_clicks if is_creator),
        buyer_id=buyer_id,
        now=now,
        window=share_click_window(),
    )
    if sharer is not None:
        return Attribution(creator_id=sharer, source="share_link")
    owner = _latest(storefront_visits, buyer_id=buyer_id, now=now, window=storefront_visit_window())
    if owner is not None:
        return Attribution(creator_id=owner, source="storefront")
    return NONE
