from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Community, CommunityMembership, TaskDefinition
from community.notify_channels import channel
from community.selectors.loyalty import leaderboard
from community.services import notification_send, points_award, task_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_live_challenge_pays_once_over_its_window(user):
    TaskDefinition.objects.create(
        code="share-week",
        title="Share 3 times this week",
        kind="challenge",
        action="share",
        target_count=3,
        points=50,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=6),
    )

    for _ in range(4):
        task_record(user_id=user.pk, action="share")

    user.refresh_from_db()
    assert user.points_balance == 50 + 5  # the challenge once, plus the daily share task once


def test_community_leaderboard_counts_only_active_members(user, other_user):
    outsider = UserFactory()
    community = Community.objects.create(name="Runners", owner=user)
    CommunityMembership.objects.create(community=community, user=user, role="owner")
    CommunityMembership.objects.create(community=community, user=other_user, status="pending")
    for member, amount in [(user, 10), (other_user, 20), (outsider, 30)]:
        points_award(
            user_id=member.pk, amount=amount, reason="task", idempotency_key=f"k{member.pk}"
        )

    board = leaderboard(period="all", community_id=community.pk)

    assert [(row["user"]["id"], row["points"]) for row in board] == [(user.pk, 10)]


def test_refund_notifications_also_go_out_by_email_and_sms(
    user, django_capture_on_commit_callbacks
):
    email, sms = channel("email"), channel("sms")
    before = (len(email.sent), len(sms.sent))

    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user_id=user.pk, type="refund", title="Refund of ¥19.90 done")
        notification_send(user_id=user.pk, type="follow", title="in-app only")

    assert (len(email.sent), len(sms.sent)) == (before[0] + 1, before[1] + 1)
    assert email.sent[-1] == {"to": user.username, "title": "Refund of ¥19.90 done", "body": ""}
