"""Creator attribution and earnings (PRODUCT.md §5): which creator an order is attributed to,
where the share-link clicks come from, and the creator dashboard.

Attribution is one pure function. Precedence: a creator code > the last share-link click by a
creator within ``ATTRIBUTION_SHARE_DAYS`` (7) days > the last storefront visit within
``ATTRIBUTION_STOREFRONT_HOURS`` (24) hours. Self-attribution never counts: a buyer's own code,
link or storefront is skipped and the next rule applies. Windows include their boundary (a click
exactly 7 days old still counts) and ignore events after ``now``.

Every order is attributed the same way, whatever its kind: cart checkout, a group-buy seat or a
flash-sale purchase, including deals a creator launches from a livestream (watching a stream is
not one of the rules, so such an order is the host's only through their link or storefront).

Checkout learns about share-link clicks without importing feeds (a higher layer): feeds registers
one source in ``AppConfig.ready()``; it answers with the buyer's recent clicks as
``(sharer_id, clicked_at, sharer_is_creator)`` tuples, the input ``attribute_order`` expects.
With nothing registered there are no clicks.

The dashboard shows what a creator's storefront, links and attributed orders did, per business
day (Asia/Shanghai). Every figure is a grouped aggregate, so the page costs a fixed handful of
queries whatever the window or the number of orders.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from community.selectors.loyalty import business_today, business_tz, start_of_day
from groupbuy.models import (
    CommissionEntry,
    CommissionStatus,
    Order,
    OrderItem,
    OrderStatus,
    StorefrontVisit,
)
from groupbuy.selectors.orders import quantize


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


# --- share-link clicks (registered by feeds) -----------------------------------------------------

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


def storefront_visits_for_buyer(*, buyer_id: int, now: datetime) -> list[tuple[int, datetime]]:
    """``(creator_id, visited_at)`` of the buyer's storefront visits within
    ``ATTRIBUTION_STOREFRONT_HOURS``, oldest first: the input ``attribute_order`` expects."""
    window = storefront_visit_window()
    rows = (
        StorefrontVisit.objects.filter(
            visitor_id=buyer_id, created_at__gte=now - window, created_at__lte=now
        )
        .order_by("created_at", "id")
        .values_list("storefront__owner_id", "created_at")
    )
    return [(owner_id, visited_at) for owner_id, visited_at in rows]


# --- the creator dashboard ----------------------------------------------------------------------

ZERO = Decimal("0.00")
# Orders that count as sales: paid and not given back.
SOLD_STATES = [
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
]


@dataclass
class DayRow:
    day: date
    views: int = 0
    clicks: int = 0
    orders: int = 0
    gmv: Decimal = ZERO
    commission: Decimal = ZERO


@dataclass
class CreatorDashboard:
    since: date
    until: date
    views: int
    clicks: int
    orders: int
    gmv: Decimal
    commission: dict[str, Decimal]
    top_products: list[dict]
    days: list[DayRow] = field(default_factory=list)


def _money(total) -> Decimal:
    # SQLite sums decimals as floats (1.90000000000000); every figure shown is to the cent.
    return quantize(total) if total is not None else ZERO


def creator_orders(*, creator_id: int) -> QuerySet[Order]:
    return Order.objects.filter(attributed_creator_id=creator_id, paid_at__isnull=False)


def creator_dashboard(*, creator_id: int, days: int = 30, now: datetime | None = None):
    """Totals and a per-day series over the last ``days`` business days, today included."""
    now = now or timezone.now()
    until = business_today(now)
    since = until - timedelta(days=days - 1)
    start = start_of_day(since)
    tz = business_tz()
    rows = {since + timedelta(days=n): DayRow(day=since + timedelta(days=n)) for n in range(days)}

    visits = (
        StorefrontVisit.objects.filter(storefront__owner_id=creator_id, created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
    )
    for row in visits:
        if row["day"] in rows:
            rows[row["day"]].views = row["n"]
    for day, clicks in share_clicks_per_day(creator_id=creator_id, since=start, until=now).items():
        if day in rows:
            rows[day].clicks = clicks
    sold = creator_orders(creator_id=creator_id).filter(paid_at__gte=start, status__in=SOLD_STATES)
    for row in (
        sold.annotate(day=TruncDate("paid_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"), gmv=Sum("total"))
    ):
        if row["day"] in rows:
            rows[row["day"]].orders = row["n"]
            rows[row["day"]].gmv = _money(row["gmv"])
    earned = CommissionEntry.objects.filter(creator_id=creator_id, order__paid_at__gte=start)
    for row in (
        earned.exclude(status=CommissionStatus.REVERSED)
        .annotate(day=TruncDate("order__paid_at", tzinfo=tz))
        .values("day")
        .annotate(total=Sum("amount"))
    ):
        if row["day"] in rows:
            rows[row["day"]].commission = _money(row["total"])
    by_status = {status: ZERO for status in CommissionStatus.values}
    for row in earned.values("status").annotate(total=Sum("amount")):
        by_status[row["status"]] = _money(row["total"])
    top = (
        OrderItem.objects.filter(order__in=sold)
        .values("product_id", "title")
        .annotate(
            quantity=Sum("quantity"), amount=Sum("amount"), orders=Count("order", distinct=True)
        )
        .order_by("-amount", "product_id")[:5]
    )
    series = [rows[day] for day in sorted(rows)]
    return CreatorDashboard(
        since=since,
        until=until,
        views=sum(r.views for r in series),
        clicks=sum(r.clicks for r in series),
        orders=sum(r.orders for r in series),
        gmv=sum((r.gmv for r in series), ZERO),
        commission=by_status,
        top_products=[
            {
                "product": row["product_id"],
                "title": row["title"],
                "quantity": row["quantity"],
                "orders": row["orders"],
                "amount": _money(row["amount"]),
            }
            for row in top
        ],
        days=series,
    )


def creator_commissions(*, creator_id: int) -> QuerySet[CommissionEntry]:
    """The creator's commission ledger, newest first."""
    return (
        CommissionEntry.objects.filter(creator_id=creator_id)
        .select_related("order")
        .order_by("-created_at", "-id")
    )
