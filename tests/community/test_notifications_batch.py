"""The reporters of one moderation decision are told in one batch: each inbox gets the next seq
after what it already holds, a member who muted the type gets nothing, nobody is told twice, and
the pushes leave only once the decision commits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Notification, NotificationPreference
from community.services.notifications import notification_send, notifications_send_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(monkeypatch):
    sent: list[tuple] = []
    monkeypatch.setattr(
        "realtime.publish.broadcast_now",
        lambda topic, event_type, data, *, seq=None: sent.append((topic, seq)),
    )
    return sent


def test_a_batch_continues_each_inbox_skips_the_muted_and_never_repeats(
    pushed, django_capture_on_commit_callbacks
):
    busy, fresh, quiet = UserFactory(), UserFactory(), UserFactory()
    notification_send(user_id=busy.pk, type="tier_changed", title="金卡会员")
    NotificationPreference.objects.create(user=quiet, type="moderation_outcome", muted=True)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            notifications_send_many(
                user_ids=[busy.pk, fresh.pk, quiet.pk],
                type="moderation_outcome",
                title="你举报的内容已被处理",
                data={"action": "remove"},
                dedupe_key="moderation:1:reporter",
            )

    told = Notification.objects.filter(type="moderation_outcome")
    assert sorted(told.values_list("user_id", "seq")) == sorted([(busy.pk, 2), (fresh.pk, 1)])
    # The batch's pushes only (the earlier notification was never committed in this test).
    assert sorted(pushed) == sorted([(f"user:{busy.pk}", 2), (f"user:{fresh.pk}", 1)])


def test_a_batch_costs_the_same_queries_for_three_or_thirty_members():
    def cost(count: int) -> int:
        ids = [UserFactory().pk for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            notifications_send_many(user_ids=ids, type="moderation_outcome", title="处理结果")
        return len(queries)

    assert cost(3) == cost(30)
