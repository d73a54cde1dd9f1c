"""Segments of members, from the event stream alone (docs/insights.md "Segments").

All windows are business days (Asia/Shanghai) ending with ``today`` (the open day counts):
- active: active (any event) on at least 8 of the last 30 days;
- potentially active: on 3 to 7 of the last 30 days;
- low frequency: on 1 or 2 of the last 30 days;
- churn risk: active on at least 4 days of the 30 before the last 30 (30-59 days ago) and on no
  day of the last 14: they were regulars and are fading;
- RFM over ``order_paid`` events of the last 365 days (amount in ``properties.amount``): recency
  (days since the last paid order), frequency (paid orders), monetary (total paid), each scored
  1-5 by quintile of rank among buyers (ties share their average rank, 5 = most recent, most
  frequent, biggest spender), then named by the rules of ``RFM_GROUPS``.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Max, Min

from community.models import CampaignSegment, Event, User
from community.selectors.loyalty import business_today

WINDOW_DAYS = 30
ACTIVE_MIN_DAYS = 8
POTENTIAL_MIN_DAYS = 3
CHURN_PRIOR_MIN_DAYS = 4
CHURN_QUIET_DAYS = 14
RFM_DAYS = 365
PAID = "order_paid"

# (name, Chinese label, rule on the (r, f, m) scores); the first that matches names a buyer.
RFM_GROUPS = [
    ("champions", "重要价值客户", lambda r, f, m: r >= 4 and f >= 4 and m >= 4),
    ("loyal", "忠诚客户", lambda r, f, m: r >= 3 and f >= 4),
    ("new_buyers", "新客户", lambda r, f, m: r >= 4 and f <= 2),
    ("at_risk", "重要挽留客户", lambda r, f, m: r <= 2 and f >= 3),
    ("hibernating", "沉睡客户", lambda r, f, m: r <= 2 and f <= 2),
    ("needs_attention", "一般客户", lambda r, f, m: True),
]


def _active_days(start: date, end: date) -> dict[int, int]:
    rows = (
        Event.objects.filter(day__gte=start, day__lte=end, user_id__isnull=False)
        .values("user_id")
        .annotate(days=Count("day", distinct=True))
    )
    return {row["user_id"]: row["days"] for row in rows}


def activity_segments(*, today: date | None = None) -> dict[str, list[int]]:
    """Member ids of the active, potentially active and low-frequency segments."""
    today = today or business_today()
    days = _active_days(today - timedelta(days=WINDOW_DAYS - 1), today)
    out: dict[str, list[int]] = {"active": [], "potentially_active": [], "low_frequency": []}
    for user_id, count in sorted(days.items()):
        if count >= ACTIVE_MIN_DAYS:
            out["active"].append(user_id)
        elif count >= POTENTIAL_MIN_DAYS:
            out["potentially_active"].append(user_id)
        else:
            out["low_frequency"].append(user_id)
    return out


def _amount(properties) -> Decimal:
    try:
        value = Decimal(str((properties or {}).get("amount", "0")))
    except (InvalidOperation, ValueError):
        return Decimal("0")
    return value if value.is_finite() else Decimal("0")


@dataclass
class Buyer:
    user_id: int
    last_day: date
    orders: int
    spend: Decimal


def _buyers(since: date, until: date | None = None, user_ids=None) -> dict[int, Buyer]:
    events = Event.objects.filter(name=PAID, day__gte=since, user_id__isnull=False)
    if until is not None:
        events = events.filter(day__lte=until)
    if user_ids is not None:
        events = events.filter(user_id__in=user_ids)
    buyers: dict[int, Buyer] = {}
    for user_id, day, properties in events.values_list("user_id", "day", "properties").iterator():
        buyer = buyers.get(user_id)
        if buyer is None:
            buyer = buyers[user_id] = Buyer(user_id, day, 0, Decimal("0"))
        buyer.last_day = max(buyer.last_day, day)
        buyer.orders += 1
        buyer.spend += _amount(properties)
    return buyers


def _quintiles(values: list[float]) -> list[int]:
    """Scores 1-5 by average rank (ties share one), higher value = higher score."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    position = 0
    while position < len(order):
        end = position
        while end + 1 < len(order) and values[order[end + 1]] == values[order[position]]:
            end += 1
        average = (position + end) / 2 + 1
        for k in range(position, end + 1):
            ranks[order[k]] = average
        position = end + 1
    n = len(values)
    return [min(5, 1 + math.floor(5 * (rank - 1) / n)) for rank in ranks]


def rfm_scores(*, today: date | None = None) -> list[dict]:
    """Each buyer of the last year with recency/frequency/monetary values, scores and group."""
    today = today or business_today()
    buyers = list(_buyers(today - timedelta(days=RFM_DAYS - 1)).values())
    if not buyers:
        return []
    recency = [(today - b.last_day).days for b in buyers]
    r_scores = _quintiles([-float(d) for d in recency])
    f_scores = _quintiles([float(b.orders) for b in buyers])
    m_scores = _quintiles([float(b.spend) for b in buyers])
    out = []
    for buyer, days, r, f, m in zip(buyers, recency, r_scores, f_scores, m_scores, strict=True):
        group = next(name for name, _, rule in RFM_GROUPS if rule(r, f, m))
        out.append(
            {
                "user_id": buyer.user_id,
                "recency_days": days,
                "orders": buyer.orders,
                "spend": buyer.spend,
                "r": r,
                "f": f,
                "m": m,
                "group": group,
            }
        )
    return out


def rfm_groups(scores: list[dict]) -> list[dict]:
    labels = {name: label for name, label, _ in RFM_GROUPS}
    out = []
    for name, _, _ in RFM_GROUPS:
        members = [s for s in scores if s["group"] == name]
        spend = sum((s["spend"] for s in members), Decimal("0"))
        out.append(
            {
                "group": name,
                "label": labels[name],
                "members": len(members),
                "avg_recency_days": (
                    round(sum(s["recency_days"] for s in members) / len(members), 1)
                    if members
                    else None
                ),
                "avg_orders": (
                    round(sum(s["orders"] for s in members) / len(members), 2) if members else None
                ),
                "spend": f"{spend.quantize(Decimal('0.01'))}",
            }
        )
    return out


def segments_summary(*, today: date | None = None) -> dict:
    """API.md's ``{active, potentially_active, low_frequency, rfm}`` (counts of members)."""
    today = today or business_today()
    segments = activity_segments(today=today)
    return {
        "as_of": today.isoformat(),
        "active": len(segments["active"]),
        "potentially_active": len(segments["potentially_active"]),
        "low_frequency": len(segments["low_frequency"]),
        "churn_risk": len(churn_risk_ids(today=today)),
        "rfm": rfm_groups(rfm_scores(today=today)),
    }


def churn_risk_ids(*, today: date | None = None) -> list[int]:
    today = today or business_today()
    prior_end = today - timedelta(days=WINDOW_DAYS)
    prior = _active_days(prior_end - timedelta(days=WINDOW_DAYS - 1), prior_end)
    regulars = {user_id for user_id, days in prior.items() if days >= CHURN_PRIOR_MIN_DAYS}
    recent = set(
        Event.objects.filter(
            day__gt=today - timedelta(days=CHURN_QUIET_DAYS),
            day__lte=today,
            user_id__in=regulars,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sorted(regulars - recent)


def churn_risk_list(*, today: date | None = None) -> list[dict]:
    """Regulars who went quiet: last seen, days active in the last 60, paid orders and spend in
    the last year, most valuable first."""
    today = today or business_today()
    ids = churn_risk_ids(today=today)
    if not ids:
        return []
    start = today - timedelta(days=2 * WINDOW_DAYS - 1)
    seen = {
        row["user_id"]: row
        for row in Event.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("at"), first_day=Min("day"))
    }
    days = _active_days(start, today)
    buyers = _buyers(today - timedelta(days=RFM_DAYS - 1), user_ids=ids)
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))
    rows = []
    for user_id in ids:
        buyer = buyers.get(user_id)
        rows.append(
            {
                "user_id": user_id,
                "username": names.get(user_id, ""),
                "last_seen": seen[user_id]["last"],
                "days_active": days.get(user_id, 0),
                "orders": buyer.orders if buyer else 0,
                "spend": f"{(buyer.spend if buyer else Decimal('0')).quantize(Decimal('0.01'))}",
            }
        )
    rows.sort(key=lambda r: (-Decimal(r["spend"]), -r["days_active"], r["user_id"]))
    return rows


def segment_member_ids(segment: str, *, today: date | None = None) -> list[int]:
    """The members a campaign to ``segment`` would reach (active accounts only)."""
    if segment == CampaignSegment.CHURN_RISK:
        ids = churn_risk_ids(today=today)
    else:
        ids = activity_segments(today=today).get(segment, [])
    return sorted(User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
