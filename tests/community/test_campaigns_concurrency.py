"""Campaigns sending at the same moment still respect the weekly cap: each member's row is locked
while their recent marketing notifications are counted (PostgreSQL, real threads)."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Count
from django.utils import timezone

from community.models import Campaign, Notification, Role, User
from community.services import role_grant
from community.services.insights import campaigns as campaigns_service
from community.services.insights.campaigns import campaign_create, campaign_deliver
from community.services.insights.events import event_build, events_store
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def _four_campaigns_at_once(settings) -> int:
    """Deliver four campaigns to the same 15 members from four threads; the most marketing
    notifications any member got."""
    settings.MARKETING_NOTIFICATIONS_PER_WEEK = 1
    staff = UserFactory()
    role_grant(actor=None, user=staff, role=Role.STAFF)
    people = [UserFactory() for _ in range(15)]
    events_store(
        [
            event_build(
                "page_view", user=p, at=timezone.now() - timedelta(days=1), event_id=uuid.uuid4()
            )
            for p in people
        ]
    )
    campaigns = [
        campaign_create(
            actor=staff,
            name=f"并发{n}",
            segment="low_frequency",
            title="你好",
            goal_event="order_paid",
            holdout_percent=1,
        )
        for n in range(4)
    ]
    Campaign.objects.update(status="sending")  # as campaign_send leaves them, task queued

    run_concurrently(lambda i: campaign_deliver(campaign_id=campaigns[i].pk), 4)

    assert Campaign.objects.filter(status="sent").count() == 4
    per_member = (
        Notification.objects.filter(type="marketing").values("user_id").annotate(n=Count("id"))
    )
    return max(row["n"] for row in per_member)


def test_four_campaigns_sending_at_once_never_exceed_the_cap(settings):
    assert _four_campaigns_at_once(settings) == 1


def test_control_without_the_member_lock_the_cap_is_exceeded(settings, monkeypatch):
    # The naive version counts without locking the member: concurrent senders all count 0.
    no_lock = SimpleNamespace(objects=SimpleNamespace(select_for_update=User.objects.all))
    monkeypatch.setattr(campaigns_service, "User", no_lock)

    assert _four_campaigns_at_once(settings) > 1
