"""Trust levels 0–3 from behaviour, and the counters they are computed from.

The counters are kept by the events that move them (a note approved, a like received, a day
visited, a flag agreed against the member) and the level is recomputed at once and nightly (for
account age). Level 0 (younger than 3 days or fewer than 3 approved notes) is pre-moderated.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from community.models import MemberTrust, User
from community.selectors.accounts import can_moderate_content

# (level, minimum account age in days, approved notes, days visited, likes received,
#  most flags agreed against the member)
LEVELS = [
    (3, 60, 10, 50, 20, 0),
    (2, 14, 5, 15, 1, 2),
    (1, 3, 3, 0, 0, 1_000_000),
]


def trust_level_from(
    *,
    age_days: int,
    approved_posts: int,
    days_visited: int,
    likes_received: int,
    agreed_flags_against: int,
) -> int:
    """The level these numbers earn (PRODUCT.md §15)."""
    for level, age, posts, days, likes, flags in LEVELS:
        if (
            age_days >= age
            and approved_posts >= posts
            and days_visited >= days
            and likes_received >= likes
            and agreed_flags_against <= flags
        ):
            return level
    return 0


def trust_recompute(user_id: int) -> int:
    """Recompute and store one member's level from their counters."""
    joined = User.objects.values_list("date_joined", flat=True).filter(pk=user_id).first()
    if joined is None:
        return 0
    trust, _ = MemberTrust.objects.get_or_create(user_id=user_id)
    level = trust_level_from(
        age_days=(timezone.now() - joined).days,
        approved_posts=trust.approved_posts,
        days_visited=trust.days_visited,
        likes_received=trust.likes_received,
        agreed_flags_against=trust.agreed_flags_against,
    )
    if level != trust.level or trust.computed_at is None:
        MemberTrust.objects.filter(pk=trust.pk).update(level=level, computed_at=timezone.now())
    return level


def trust_counters_add(user_id: int | None, **deltas: int) -> None:
    """Move a member's trust counters (approved_posts, likes_received, agreed_flags_against,
    reports_agreed, reports_disagreed) and recompute the level."""
    if not user_id:
        return
    MemberTrust.objects.get_or_create(user_id=user_id)
    MemberTrust.objects.filter(user_id=user_id).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )
    # Counters never go below zero, even when an undo races another undo.
    for name in deltas:
        MemberTrust.objects.filter(user_id=user_id, **{f"{name}__lt": 0}).update(**{name: 0})
    if set(deltas) & {"approved_posts", "likes_received", "agreed_flags_against"}:
        trust_recompute(user_id)


def trust_reporters_record(user_ids, *, agreed: int = 0, disagreed: int = 0) -> None:
    """Move many reporters' record of agreed and disagreed reports at once (a decision settles
    all its reports); it weighs their reports and never changes a level, so nothing is
    recomputed."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    MemberTrust.objects.bulk_create(
        [MemberTrust(user_id=user_id) for user_id in ids], ignore_conflicts=True
    )
    # Never below zero, even when an undo races another undo.
    MemberTrust.objects.filter(user_id__in=ids).update(
        reports_agreed=Greatest(F("reports_agreed") + agreed, 0),
        reports_disagreed=Greatest(F("reports_disagreed") + disagreed, 0),
    )


def trust_visit(user_id: int) -> None:
    """Count a day the member visited (once per business day)."""
    today = timezone.localdate()
    MemberTrust.objects.get_or_create(user_id=user_id)
    counted = (
        MemberTrust.objects.filter(user_id=user_id)
        .exclude(last_visit_on=today)
        .update(days_visited=F("days_visited") + 1, last_visit_on=today)
    )
    if counted:
        trust_recompute(user_id)


def trust_requires_premoderation(user) -> bool:
    """Trust level 0 members' notes, reviews and listings wait for a moderator (moderators and
    staff never do)."""
    if not settings.MODERATION_PREMODERATE_NEW_MEMBERS or can_moderate_content(user):
        return False
    level = MemberTrust.objects.filter(user=user).values_list("level", flat=True).first()
    if level is None:
        level = trust_recompute(user.pk)
    return level == 0


@transaction.atomic
def trust_recompute_all() -> int:
    """Nightly: recompute every member whose level could have changed with age alone."""
    recent = timezone.now() - timedelta(days=LEVELS[0][1] + 1)
    ids = list(User.objects.filter(date_joined__gte=recent).values_list("pk", flat=True))
    for user_id in ids:
        trust_recompute(user_id)
    return len(ids)
