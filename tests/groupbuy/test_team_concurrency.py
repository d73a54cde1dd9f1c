"""Group buying under real concurrency on PostgreSQL: exact seats, and mass expiry settled once.

Each test has a naive control that must fail, to prove the test can see the bug it guards.
"""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from groupbuy.exceptions import TeamFullError
from groupbuy.models import Campaign, Order, Refund, Team, TeamMember
from groupbuy.services import team_join, team_open, teams_expire_due
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.groupbuy.orderflow import staff_member
from tests.groupbuy.teamflow import campaign, open_paid

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


@pytest.mark.parametrize("team_size", [2, 4])
def test_3n_simultaneous_joiners_fill_a_team_of_n_exactly(team_size):
    deal = campaign(staff_member(), team_size=team_size)
    team = team_open(actor=UserFactory(), campaign_id=deal.pk).team
    joiners = [UserFactory() for _ in range(3 * team_size)]

    results = run_concurrently(lambda i: team_join(actor=joiners[i], team_id=team.pk), len(joiners))

    seated = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(seated) == team_size - 1  # the leader holds the first seat
    assert all(isinstance(r, TeamFullError) for r in refused), refused
    team.refresh_from_db()
    assert team.seats_taken == team_size
    assert TeamMember.objects.filter(team=team).count() == team_size
    assert Campaign.objects.get(pk=deal.pk).stock_remaining == 100 - team_size


def test_naive_read_then_write_seat_control_overfills():
    deal = campaign(staff_member(), team_size=2)
    team = team_open(actor=UserFactory(), campaign_id=deal.pk).team
    all_read = threading.Barrier(6)

    def naive_join(_):
        current = Team.objects.get(pk=team.pk)
        all_read.wait(timeout=30)
        if current.seats_taken < current.team_size:
            Team.objects.filter(pk=team.pk).update(seats_taken=current.seats_taken + 1)
            return True
        return False

    results = run_concurrently(naive_join, 6)

    assert sum(1 for r in results if r is True) > 1  # the bug: several take the last seat


def _failing_teams(count: int):
    deal = campaign(staff_member(), team_size=2, stock=count)
    teams = [open_paid(UserFactory(), deal.pk).team for _ in range(count)]
    Team.objects.filter(pk__in=[t.pk for t in teams]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    return deal, teams


def test_200_teams_expiring_at_once_settled_by_two_sweepers_refund_each_member_once():
    deal, teams = _failing_teams(200)

    results = run_concurrently(lambda _: teams_expire_due(), 2, timeout=600)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 200  # each team settled by exactly one of the two
    assert Team.objects.filter(pk__in=[t.pk for t in teams], status="failed").count() == 200
    assert Refund.objects.count() == 200
    assert Refund.objects.filter(status="succeeded").count() == 200
    assert Order.objects.filter(kind="group", status="refunded").count() == 200
    assert Campaign.objects.get(pk=deal.pk).stock_remaining == 200


def test_naive_unlocked_sweepers_control_settle_teams_twice():
    _failing_teams(20)
    all_read = threading.Barrier(2)

    def naive_sweep(_):
        due = list(Team.objects.filter(status="forming", expires_at__lte=timezone.now()))
        all_read.wait(timeout=30)
        for team in due:
            # each "settled" team would refund its members: two sweepers, two refunds each
            Team.objects.filter(pk=team.pk).update(status="failed")
        return len(due)

    results = run_concurrently(naive_sweep, 2)

    assert sum(results) > 20  # the bug: the same teams settled by both sweepers


def _notify_while_member_is_locked(lock_rows) -> list:
    """Thread 0 holds the member lock of a group-buy purchase; thread 1 writes the member a
    notification meanwhile (what settling another of their teams does). Returns both results."""
    from django.db import connection, transaction

    from community.services import notification_send

    member = UserFactory()
    locked = threading.Event()
    done = threading.Event()

    def work(index):
        if index == 0:
            with transaction.atomic():
                lock_rows(member)
                locked.set()
                done.wait(timeout=10)
            return "held"
        locked.wait(timeout=10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                notification_send(user_id=member.pk, type="team_failed", title="t")
            return "written"
        finally:
            done.set()

    return run_concurrently(work, 2)


def test_the_member_lock_does_not_block_notifications_to_the_member():
    from groupbuy.services.teams import _check_member_may_buy

    deal = campaign(staff_member(), team_size=2, per_user_limit=3)
    results = _notify_while_member_is_locked(lambda member: _check_member_may_buy(deal, member))

    assert results == ["held", "written"], results


def test_naive_for_update_member_lock_control_blocks_the_notification():
    from community.models import User

    def plain_lock(member):
        User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()

    results = _notify_while_member_is_locked(plain_lock)

    assert results[0] == "held"
    assert isinstance(results[1], Exception)  # lock timeout: the insert waited on FOR UPDATE
