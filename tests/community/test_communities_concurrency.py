"""member_count stays exact when many people join at once (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from community.models import Community, CommunityMembership
from community.services.communities import community_create, community_join
from tests.backends import needs_postgres
from tests.factories import UserFactory

pytestmark = [needs_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def run_together(work, items) -> list[Exception]:
    """Run ``work(item)`` in one thread per item, all released by one barrier at the same moment."""
    barrier = threading.Barrier(len(items))
    errors: list[Exception] = []

    def target(item):
        try:
            barrier.wait(timeout=30)
            work(item)
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    # Hand this thread's connection back to the pool: all 20 workers may hold one at once.
    connection.close()
    threads = [threading.Thread(target=target, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_twenty_simultaneous_joins_count_exactly():
    owner = UserFactory()
    community = community_create(actor=owner, name="Stampede")
    joiners = UserFactory.create_batch(THREADS)

    errors = run_together(lambda user: community_join(actor=user, community=community), joiners)

    assert errors == []
    community.refresh_from_db()
    assert community.member_count == THREADS + 1
    joined = CommunityMembership.objects.filter(community=community, status="active")
    assert joined.exclude(user=owner).count() == THREADS


def test_naive_read_modify_write_control_loses_updates():
    """The same stampede with ``count = count + 1; save()`` must lose updates, or the test above
    could not tell the difference."""
    community = community_create(actor=UserFactory(), name="Naive")
    Community.objects.filter(pk=community.pk).update(member_count=0)
    # Each thread reads, waits for all the others to have read too, then writes: the classic race.
    after_read = threading.Barrier(THREADS)

    def naive_increment(_):
        c = Community.objects.get(pk=community.pk)
        after_read.wait(timeout=30)
        c.member_count = c.member_count + 1
        c.save()

    errors = run_together(naive_increment, list(range(THREADS)))

    assert errors == []
    community.refresh_from_db()
    assert community.member_count < THREADS
