"""Demo loyalty data: check-in streaks, growth value and tiers, task points, notifications.

Runs the real services with fixed idempotency keys, so running it again adds nothing.
"""

import contextlib
from datetime import timedelta

from django.utils import timezone

from community.exceptions import AlreadyCheckedInError
from community.models import User
from community.services.loyalty import checkin_perform, growth_add, points_award, task_record
from community.services.notifications import notification_send

# username: (check-in streak ending yesterday, growth value from past orders)
PROFILES = {
    "alice": (6, 1400),
    "bob": (3, 650),
    "carol": (9, 5600),
    "creator": (12, 21000),
    "leader": (4, 2300),
}


def seed_loyalty(stdout) -> None:
    now = timezone.now()
    for username, (streak, growth) in PROFILES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for days_ago in range(streak, 0, -1):
            with contextlib.suppress(AlreadyCheckedInError):  # already seeded on an earlier run
                checkin_perform(user_id=user.pk, now=now - timedelta(days=days_ago))
        growth_add(
            user_id=user.pk,
            amount=growth,
            source="purchase",
            idempotency_key=f"demo:orders:{username}",
            source_type="demo",
            source_id=username,
        )
        points_award(
            user_id=user.pk,
            amount=growth // 10,
            reason="purchase",
            idempotency_key=f"demo:purchase-points:{username}",
            source_type="demo",
            source_id=username,
        )
        notification_send(
            user_id=user.pk,
            type="follow",
            title="欢迎来到团聚 Welcome to Tuanju",
            body="Check in every day to build your streak.",
            dedupe_key="demo:welcome",
        )
    bob = User.objects.filter(username="bob").first()
    # Two of three comments today: the daily task is visibly in progress.
    if bob is not None and not bob.task_progress.filter(task__code="daily-comment").exists():
        task_record(user_id=bob.pk, action="comment", count=2)
    stdout.write("  loyalty: check-in streaks, tiers, points and notifications")
