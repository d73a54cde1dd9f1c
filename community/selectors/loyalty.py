"""Loyalty reads and rules: the business calendar, check-ins, points, tasks, tiers, leaderboards."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from community.models import (
    CheckIn,
    CommunityMembership,
    MembershipStatus,
    PointsEntry,
    PointsLot,
    PointsReason,
    TaskDefinition,
    TaskKind,
    TaskProgress,
    TierBenefit,
    User,
)

# --- business calendar: days and months in the market's time zone (BUSINESS_TIME_ZONE) ---------


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.BUSINESS_TIME_ZONE)


def business_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(business_tz()).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=business_tz())


def start_of_week(day: date) -> datetime:
    return start_of_day(day - timedelta(days=day.weekday()))


def start_of_month(day: date) -> datetime:
    return start_of_day(day.replace(day=1))


def points_expiry(earned_at: datetime) -> datetime:
    """The end of the 12th month after the month of earning (the first instant after it)."""
    local = earned_at.astimezone(business_tz())
    months = local.year * 12 + (local.month - 1) + settings.POINTS_EXPIRY_MONTHS + 1
    return start_of_day(date(months // 12, months % 12 + 1, 1))


# --- points, check-ins, tasks, tiers, leaderboards ---------------------------------------------

# What counts as "earned" on a leaderboard: refunds of spends and admin corrections do not.
EARNING_REASONS = [
    PointsReason.CHECKIN,
    PointsReason.PURCHASE,
    PointsReason.REVIEW,
    PointsReason.POST,
    PointsReason.SHARE_CLICK,
    PointsReason.SHARE_CONVERSION,
    PointsReason.INVITE,
    PointsReason.TASK,
]
LEADERBOARD_SIZE = 50
LEADERBOARD_CACHE_SECONDS = 60


def checkin_reward(streak: int) -> int:
    """Points for the ``streak``-th consecutive check-in: base plus a capped streak bonus."""
    bonus = min(settings.CHECKIN_STREAK_STEP * (streak - 1), settings.CHECKIN_STREAK_BONUS_CAP)
    return settings.CHECKIN_BASE_POINTS + bonus


def points_ledger(*, user: User) -> QuerySet[PointsEntry]:
    return PointsEntry.objects.filter(user=user)


def points_summary(*, user: User) -> dict:
    horizon = timezone.now() + timedelta(days=settings.POINTS_EXPIRY_REMINDER_DAYS)
    expiring = PointsLot.objects.filter(
        user=user, remaining__gt=0, expired_at__isnull=True, expires_at__lte=horizon
    ).aggregate(total=Sum("remaining"))["total"]
    next_lot = (
        PointsLot.objects.filter(user=user, remaining__gt=0, expired_at__isnull=True)
        .order_by("expires_at")
        .first()
    )
    return {
        "balance": User.objects.values_list("points_balance", flat=True).get(pk=user.pk),
        "expiring_within_days": settings.POINTS_EXPIRY_REMINDER_DAYS,
        "expiring_soon": expiring or 0,
        "next_expiry": {"points": next_lot.remaining, "expires_at": next_lot.expires_at}
        if next_lot
        else None,
        "yuan_per_100_points": "1.00",
    }


def checkin_status(*, user: User) -> dict:
    today = business_today()
    recent = {
        c.day: c for c in CheckIn.objects.filter(user=user, day__gte=today - timedelta(days=6))
    }
    todays = recent.get(today)
    yesterday = recent.get(today - timedelta(days=1))
    streak = todays.streak if todays else (yesterday.streak if yesterday else 0)
    return {
        "checked_in_today": todays is not None,
        "streak": streak,
        "next_reward": checkin_reward(streak + 1),
        "week": [
            {
                "day": (today - timedelta(days=offset)).isoformat(),
                "checked_in": (today - timedelta(days=offset)) in recent,
            }
            for offset in range(6, -1, -1)
        ],
    }


def tasks_for_today(*, user: User) -> list[dict]:
    now = timezone.now()
    today = business_today(now).isoformat()
    live = (
        TaskDefinition.objects.filter(is_active=True)
        .filter(
            Q(kind=TaskKind.DAILY)
            | (
                Q(kind=TaskKind.CHALLENGE)
                & (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
                & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            )
        )
        .order_by("kind", "id")
    )
    progress = {
        (p.task_id, p.period): p
        for p in TaskProgress.objects.filter(user=user, period__in=[today, "once"])
    }
    result = []
    for task in live:
        mine = progress.get((task.pk, today if task.kind == TaskKind.DAILY else "once"))
        result.append(
            {
                "code": task.code,
                "title": task.title,
                "kind": task.kind,
                "action": task.action,
                "target_count": task.target_count,
                "points": task.points,
                "count": min(mine.count, task.target_count) if mine else 0,
                "completed": bool(mine and mine.completed_at),
                "ends_at": task.ends_at,
            }
        )
    return result


def tier_benefits() -> QuerySet[TierBenefit]:
    return TierBenefit.objects.order_by("rank")


def leaderboard(*, period: str, community_id: int | None = None) -> list[dict]:
    """Top earners of the week, month or all time, globally or among a community's members."""
    key = f"leaderboard:{period}:{community_id or 'all'}:{business_today().isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    entries = PointsEntry.objects.filter(delta__gt=0, reason__in=EARNING_REASONS)
    today = business_today()
    if period == "week":
        entries = entries.filter(created_at__gte=start_of_week(today))
    elif period == "month":
        entries = entries.filter(created_at__gte=start_of_month(today))
    if community_id is not None:
        members = CommunityMembership.objects.filter(
            community_id=community_id, status=MembershipStatus.ACTIVE
        ).values("user_id")
        entries = entries.filter(user_id__in=members)
    rows = list(
        entries.filter(user__is_active=True)
        .values("user_id", "user__username", "user__display_name", "user__tier")
        .annotate(points=Sum("delta"))
        .order_by("-points", "user_id")[:LEADERBOARD_SIZE]
    )
    board = [
        {
            "rank": index + 1,
            "user": {
                "id": r["user_id"],
                "username": r["user__username"],
                "display_name": r["user__display_name"],
                "tier": r["user__tier"],
            },
            "points": r["points"],
        }
        for index, r in enumerate(rows)
    ]
    cache.set(key, board, LEADERBOARD_CACHE_SECONDS)
    return board
