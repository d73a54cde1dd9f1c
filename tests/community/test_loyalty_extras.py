from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Community, CommunityMembership, GrowthEntry, TaskDefinition, User
from community.selectors.loyalty import leaderboard
from community.services import (
    growth_add,
    invite_reward_first_order,
    notification_send,
    points_award,
    task_record,
    tier_monthly_packs_announce,
)
from community.services.notifications import channel
from community.signals import tier_monthly_pack_due
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


def test_posts_earn_growth_at_most_three_times_a_day(user):
    results = [
        growth_add(user_id=user.pk, amount=10, source="post", idempotency_key=f"post:{n}")
        for n in range(5)
    ]

    assert [r is not None for r in results] == [True, True, True, False, False]
    user.refresh_from_db()
    assert user.growth_value == 30


def test_invitees_first_order_pays_the_inviter_growth_once(user):
    invitee = UserFactory(invited_by=user)
    stranger = UserFactory()

    assert invite_reward_first_order(invitee_id=invitee.pk, order_id=7) is True
    assert invite_reward_first_order(invitee_id=invitee.pk, order_id=8) is True  # a later order
    assert invite_reward_first_order(invitee_id=stranger.pk, order_id=9) is False

    user.refresh_from_db()
    assert user.growth_value == 50
    assert GrowthEntry.objects.filter(user=user, source="invite").count() == 1


def test_monthly_tier_packs_are_announced_for_tiers_that_have_one(user, other_user):
    User.objects.filter(pk=user.pk).update(tier="gold")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    tier_monthly_pack_due.connect(receiver)
    try:
        count = tier_monthly_packs_announce(month="2026-12")
    finally:
        tier_monthly_pack_due.disconnect(receiver)

    assert count == 1  # the regular member has no pack
    assert received == [
        {
            "signal": tier_monthly_pack_due,
            "user_id": user.pk,
            "tier": "gold",
            "pack_code": "gold-monthly",
            "month": "2026-12",
        }
    ]
