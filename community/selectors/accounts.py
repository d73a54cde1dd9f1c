from django.conf import settings
from django.shortcuts import get_object_or_404

from community.models import Tier, User

TIER_ORDER = [Tier.REGULAR, Tier.SILVER, Tier.GOLD, Tier.PLATINUM]


def user_get_public(*, username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username__iexact=username)


def user_roles(user: User) -> list[str]:
    roles = {grant.role for grant in user.role_grants.all()}
    if user.is_superuser:
        roles.add("staff")
    return sorted(roles)


def tier_progress(user: User) -> dict | None:
    """The next tier, its growth threshold and how much growth value is still missing."""
    thresholds = settings.TIER_THRESHOLDS
    index = TIER_ORDER.index(Tier(user.tier))
    if index + 1 >= len(TIER_ORDER):
        return None
    following = TIER_ORDER[index + 1]
    threshold = thresholds[following.value]
    return {
        "tier": following.value,
        "threshold": threshold,
        "growth_needed": max(0, threshold - user.growth_value),
    }
