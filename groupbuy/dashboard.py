"""Selectors for the creator dashboard (PRODUCT.md §5): what a creator's storefront, links and
attributed orders did, per business day (Asia/Shanghai).

Every figure is a grouped aggregate, so the page costs a fixed handful of queries whatever the
window or the number of orders.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from community.calendar import business_today, business_tz, start_of_day
from groupbuy.models import (
    CommissionEntry,
    CommissionStatus,
    Order,
    OrderItem,
    OrderStatus,
    StorefrontVisit,
)
from groupbuy.money import quantize
from groupbuy.share_sources import share_clicks_per_day

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
