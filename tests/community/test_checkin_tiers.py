from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.exceptions import AlreadyCheckedInError
from community.models import CheckIn, GrowthEntry, TaskDefinition, TierChange, User
from community.services import checkin_perform, growth_add, task_record, tier_evaluate

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_checkin_streak_rewards_grow_and_cap_from_day_seven(user):
    start = date(2026, 11, 1)
    rewards = [
        checkin_perform(user_id=user.pk, now=_at(start + timedelta(days=n))).points_awarded
        for n in range(9)
    ]

    assert rewards == [10, 15, 20, 25, 30, 35, 40, 40, 40]
    assert CheckIn.objects.filter(user=user).order_by("-day").first().streak == 9


def test_missing_a_day_restarts_the_streak(user):
    checkin_perform(user_id=user.pk, now=_at(date(2026, 11, 1)))
    checkin_perform(user_id=user.pk, now=_at(date(2026, 11, 2)))

    third = checkin_perform(user_id=user.pk, now=_at(date(2026, 11, 4)))

    assert (third.streak, third.points_awarded) == (1, 10)


def test_second_checkin_the_same_business_day_is_refused(user):
    checkin_perform(user_id=user.pk, now=_at(date(2026, 11, 1), hour=1))

    with pytest.raises(AlreadyCheckedInError):
        checkin_perform(user_id=user.pk, now=_at(date(2026, 11, 1), hour=23))

    user.refresh_from_db()
    assert user.points_balance == 10 + 5  # check-in plus the daily check-in task


def test_checkin_day_follows_shanghai_not_utc(user):
    # 23:30 UTC on the 1st is already the 2nd in Shanghai.
    checkin = checkin_perform(
        user_id=user.pk, now=datetime(2026, 11, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    )

    assert checkin.day == date(2026, 11, 2)


def test_checkin_adds_growth_value_once(user):
    checkin_perform(user_id=user.pk)

    user.refresh_from_db()
    assert user.growth_value == 5
    assert GrowthEntry.objects.filter(user=user, source="checkin").count() == 1


def test_daily_task_pays_once_when_target_reached(user):
    comment_task = TaskDefinition.objects.get(code="daily-comment")

    for _ in range(5):
        task_record(user_id=user.pk, action="comment")

    user.refresh_from_db()
    assert user.points_balance == comment_task.points
    progress = user.task_progress.get(task=comment_task)
    assert progress.count == 5 and progress.completed_at is not None


def test_expired_challenge_counts_nothing(user):
    TaskDefinition.objects.create(
        code="old-challenge",
        title="Old",
        kind="challenge",
        action="share",
        target_count=1,
        points=99,
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=1),
    )

    task_record(user_id=user.pk, action="share")

    user.refresh_from_db()
    assert user.points_balance == 5  # only the daily share task


# --- tiers ---------------------------------------------------------------------------------------


def _growth(user, amount: int, days_ago: int, today: date, key: str) -> None:
    entry = growth_add(user_id=user.pk, amount=amount, source="purchase", idempotency_key=key)
    GrowthEntry.objects.filter(pk=entry.pk).update(created_at=_at(today - timedelta(days=days_ago)))


def test_crossing_a_threshold_upgrades_at_once_with_a_notification(user):
    growth_add(user_id=user.pk, amount=1200, source="purchase", idempotency_key="order:1")

    user.refresh_from_db()
    assert user.tier == "silver"
    assert user.notifications.filter(type="tier_changed").count() == 1
    assert TierChange.objects.get(user=user).to_tier == "silver"


def test_upgrade_can_skip_tiers(user):
    growth_add(user_id=user.pk, amount=6000, source="purchase", idempotency_key="order:1")

    user.refresh_from_db()
    assert user.tier == "gold"


def test_member_keeps_tier_during_30_day_maintenance_then_drops_one_step(user):
    today = date(2026, 11, 29)
    _growth(user, 25000, days_ago=300, today=today, key="big")  # platinum earned 300 days ago
    User.objects.filter(pk=user.pk).update(tier="platinum")
    # The big order leaves the 365-day window after 65 more days; move past it.
    after_window = today + timedelta(days=70)

    assert tier_evaluate(user_id=user.pk, today=after_window) is None
    user.refresh_from_db()
    assert (user.tier, user.tier_below_since) == ("platinum", after_window)

    assert tier_evaluate(user_id=user.pk, today=after_window + timedelta(days=29)) is None
    assert tier_evaluate(user_id=user.pk, today=after_window + timedelta(days=30)) == "gold"
    user.refresh_from_db()
    assert user.tier == "gold"  # one step, not straight to regular
    assert user.tier_below_since == after_window + timedelta(days=30)

    # running the nightly job twice the same day changes nothing more
    assert tier_evaluate(user_id=user.pk, today=after_window + timedelta(days=30)) is None
    assert tier_evaluate(user_id=user.pk, today=after_window + timedelta(days=60)) == "silver"


def test_recovering_growth_during_maintenance_cancels_the_downgrade(user):
    today = date(2026, 11, 29)
    _growth(user, 1500, days_ago=360, today=today, key="old")
    User.objects.filter(pk=user.pk).update(tier="silver")
    assert (
        tier_evaluate(user_id=user.pk, today=today + timedelta(days=10)) is None
    )  # below since now

    _growth(user, 1200, days_ago=-11, today=today, key="new")  # earned again on day 11
    assert tier_evaluate(user_id=user.pk, today=today + timedelta(days=45)) is None

    user.refresh_from_db()
    assert (user.tier, user.tier_below_since) == ("silver", None)
