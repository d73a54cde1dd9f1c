from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.utils import timezone

from community.exceptions import InsufficientPointsError
from community.models import PointsEntry, PointsLot, User
from community.selectors.loyalty import points_expiry
from community.services import (
    points_award,
    points_clawback,
    points_expire_due,
    points_refund,
    points_remind_expiring,
    points_spend,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _balance(user) -> int:
    return User.objects.get(pk=user.pk).points_balance


def test_award_creates_ledger_entry_lot_and_balance(user):
    entry = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="k1")

    assert _balance(user) == 30
    assert (entry.delta, entry.balance_after, entry.reason) == (30, 30, "task")
    assert entry.lot.remaining == 30


def test_same_idempotency_key_pays_once(user):
    first = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="same")
    second = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="same")

    assert first.pk == second.pk
    assert _balance(user) == 30
    assert PointsEntry.objects.count() == 1


def test_tier_multiplier_applies_when_asked(user):
    User.objects.filter(pk=user.pk).update(tier="gold")

    entry = points_award(
        user_id=user.pk,
        amount=99,
        reason="purchase",
        idempotency_key="order:1",
        apply_tier_multiplier=True,
    )

    assert entry.delta == 148  # 99 x 1.5, rounded down


def test_spend_takes_soonest_expiring_lots_first(user):
    old = points_award(user_id=user.pk, amount=50, reason="task", idempotency_key="old")
    new = points_award(user_id=user.pk, amount=50, reason="task", idempotency_key="new")
    PointsLot.objects.filter(entry=old).update(expires_at=timezone.now() + timedelta(days=10))

    spend = points_spend(user_id=user.pk, amount=70, reason="offset", idempotency_key="s1")

    assert PointsLot.objects.get(entry=old).remaining == 0
    assert PointsLot.objects.get(entry=new).remaining == 30
    assert sorted(a.amount for a in spend.allocations.all()) == [20, 50]
    assert _balance(user) == 30


def test_spend_beyond_balance_is_refused_and_changes_nothing(user):
    points_award(user_id=user.pk, amount=40, reason="task", idempotency_key="a")

    with pytest.raises(InsufficientPointsError):
        points_spend(user_id=user.pk, amount=41, reason="offset", idempotency_key="s")

    assert _balance(user) == 40
    assert PointsEntry.objects.filter(delta__lt=0).count() == 0
    assert PointsLot.objects.get().remaining == 40


def test_database_refuses_negative_balance_even_without_the_service(user):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(points_balance=-1)


def test_refund_restores_points_to_their_lots_once(user):
    award = points_award(user_id=user.pk, amount=100, reason="task", idempotency_key="a")
    points_spend(user_id=user.pk, amount=60, reason="offset", idempotency_key="order:9:points")

    points_refund(spend_key="order:9:points", idempotency_key="order:9:points:refund")
    points_refund(spend_key="order:9:points", idempotency_key="order:9:points:refund")

    assert _balance(user) == 100
    assert PointsLot.objects.get(entry=award).remaining == 100
    assert PointsEntry.objects.filter(reason="refund").count() == 1


def test_clawback_takes_back_an_award_but_never_below_zero(user):
    points_award(user_id=user.pk, amount=100, reason="purchase", idempotency_key="order:1:points")
    points_spend(user_id=user.pk, amount=80, reason="redeem", idempotency_key="mall:1")

    entry = points_clawback(award_key="order:1:points", idempotency_key="order:1:clawback")
    again = points_clawback(award_key="order:1:points", idempotency_key="order:1:clawback")

    assert entry.delta == -20
    assert again.pk == entry.pk
    assert _balance(user) == 0


def test_lots_expire_at_the_end_of_the_twelfth_month():
    earned = datetime(2026, 11, 29, 15, 0, tzinfo=SHANGHAI)

    assert points_expiry(earned) == datetime(2027, 12, 1, 0, 0, tzinfo=SHANGHAI)
    assert points_expiry(datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)) == datetime(
        2027, 2, 1, tzinfo=SHANGHAI
    )


def test_expiry_job_expires_each_due_lot_once(user):
    due = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="due")
    points_award(user_id=user.pk, amount=20, reason="task", idempotency_key="later")
    PointsLot.objects.filter(entry=due).update(expires_at=timezone.now() - timedelta(minutes=1))

    first = points_expire_due()
    second = points_expire_due()

    assert (first.lots_expired, first.points_expired) == (1, 30)
    assert (second.lots_expired, second.points_expired) == (0, 0)
    assert _balance(user) == 20
    assert PointsEntry.objects.filter(reason="expire").get().delta == -30


def test_expiry_only_takes_what_is_left_of_a_lot(user):
    due = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="due")
    points_spend(user_id=user.pk, amount=25, reason="offset", idempotency_key="s")
    PointsLot.objects.filter(entry=due).update(expires_at=timezone.now() - timedelta(minutes=1))

    points_expire_due()

    assert _balance(user) == 0
    assert PointsEntry.objects.get(reason="expire").delta == -5


def test_reminder_is_sent_once_for_points_expiring_within_seven_days(user):
    soon = points_award(user_id=user.pk, amount=30, reason="task", idempotency_key="soon")
    points_award(user_id=user.pk, amount=20, reason="task", idempotency_key="far")
    PointsLot.objects.filter(entry=soon).update(expires_at=timezone.now() + timedelta(days=3))

    assert points_remind_expiring() == 1
    assert points_remind_expiring() == 0

    notification = user.notifications.get()
    assert notification.type == "points_expiring"
    assert notification.data["points"] == 30


def test_other_members_balances_are_untouched(user):
    other = UserFactory()

    points_award(user_id=user.pk, amount=10, reason="task", idempotency_key="x")

    assert _balance(other) == 0
