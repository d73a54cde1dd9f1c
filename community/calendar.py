"""Business-calendar helpers: days and months in the market's time zone (BUSINESS_TIME_ZONE)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


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
