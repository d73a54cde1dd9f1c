"""Money-like state under real concurrency on PostgreSQL. Each test has a naive control written
the obvious way (check, then act) that must fail, proving the test can see the race."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.exceptions import AlreadyCheckedInError, InsufficientPointsError
from community.models import CheckIn, PointsEntry, PointsLot, User
from community.selectors.loyalty import business_today
from community.services import checkin_perform, points_award, points_expire_due, points_spend
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def _balance(user) -> int:
    return User.objects.get(pk=user.pk).points_balance


# --- check-in ------------------------------------------------------------------------------------


def test_simultaneous_checkins_award_once(user):
    results = run_concurrently(lambda _: checkin_perform(user_id=user.pk), 8)

    succeeded = [r for r in results if isinstance(r, CheckIn)]
    refused = [r for r in results if isinstance(r, AlreadyCheckedInError)]
    assert (len(succeeded), len(refused)) == (1, 7)
    assert PointsEntry.objects.filter(user=user, reason="checkin").count() == 1
    assert _balance(user) == 10 + 5  # check-in + daily task, once


def test_naive_checkin_control_pays_twice(user):
    between_check_and_act = threading.Barrier(2)

    def naive_checkin(_):
        already = CheckIn.objects.filter(user=user, day=business_today()).exists()
        between_check_and_act.wait(timeout=30)
        if not already:
            points_award(
                user_id=user.pk, amount=10, reason="checkin", idempotency_key=uuid.uuid4().hex
            )
        return already

    run_concurrently(naive_checkin, 2)

    assert PointsEntry.objects.filter(user=user, reason="checkin").count() == 2  # the bug


# --- spending ------------------------------------------------------------------------------------


def test_concurrent_spends_never_take_the_balance_below_zero(user):
    points_award(user_id=user.pk, amount=100, reason="task", idempotency_key="seed")

    results = run_concurrently(
        lambda i: points_spend(
            user_id=user.pk, amount=30, reason="offset", idempotency_key=f"spend:{i}"
        ),
        10,
    )

    spent = [r for r in results if isinstance(r, PointsEntry)]
    refused = [r for r in results if isinstance(r, InsufficientPointsError)]
    assert (len(spent), len(refused)) == (3, 7)
    assert _balance(user) == 10
    assert sum(lot.remaining for lot in PointsLot.objects.filter(user=user)) == 10
    assert [
        e.balance_after for e in PointsEntry.objects.filter(user=user, delta__lt=0).order_by("id")
    ] == [70, 40, 10]


def test_naive_spend_control_double_spends(user):
    points_award(user_id=user.pk, amount=100, reason="task", idempotency_key="seed")
    between_check_and_act = threading.Barrier(10)

    def naive_spend(_):
        member = User.objects.get(pk=user.pk)
        ok = member.points_balance >= 30
        between_check_and_act.wait(timeout=30)
        if ok:
            member.points_balance -= 30
            member.save(update_fields=["points_balance"])
        return ok

    approved = sum(bool(r) for r in run_concurrently(naive_spend, 10))

    assert approved * 30 > 100  # the bug: more was spent than the member had
    assert _balance(user) == 70


# --- expiry --------------------------------------------------------------------------------------


def _seed_due_lots(user, count: int) -> None:
    for n in range(count):
        points_award(user_id=user.pk, amount=10, reason="task", idempotency_key=f"due:{n}")
    points_award(user_id=user.pk, amount=500, reason="task", idempotency_key="keeps")
    PointsLot.objects.filter(user=user, amount=10).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )


def test_two_expiry_runs_in_parallel_expire_each_lot_once(user):
    _seed_due_lots(user, 20)

    runs = run_concurrently(lambda _: points_expire_due(), 2)

    assert sum(run.lots_expired for run in runs) == 20
    assert PointsEntry.objects.filter(user=user, reason="expire").count() == 20
    assert _balance(user) == 500


def test_naive_expiry_control_expires_twice(user):
    _seed_due_lots(user, 5)
    both_have_read = threading.Barrier(2)

    def naive_expire(_):
        due = list(PointsLot.objects.filter(expires_at__lte=timezone.now(), remaining__gt=0))
        both_have_read.wait(timeout=30)
        for lot in due:
            with transaction.atomic():
                User.objects.filter(pk=lot.user_id).update(
                    points_balance=F("points_balance") - lot.remaining
                )
                PointsLot.objects.filter(pk=lot.pk).update(remaining=0, expired_at=timezone.now())

    run_concurrently(naive_expire, 2)

    assert _balance(user) == 550 - 2 * 50  # the bug: every lot taken twice (one run: 500)
