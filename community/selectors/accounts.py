from django.shortcuts import get_object_or_404

from community.models import Role, TierBenefit, User


def user_get_public(*, username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username__iexact=username)


def user_roles(user: User) -> list[str]:
    roles = {grant.role for grant in user.role_grants.all()}
    if user.is_superuser:
        roles.add("staff")
    return sorted(roles)


def can_moderate_content(user) -> bool:
    """Staff and moderators (and superusers) publish, hide and remove members' content."""
    if user is None or not user.is_authenticated:
        return False
    return bool({Role.STAFF, Role.MODERATOR} & set(user_roles(user)))


def tier_progress(user: User) -> dict | None:
    """The next tier, its growth threshold and how much growth value is still missing."""
    current = TierBenefit.objects.filter(tier=user.tier).values_list("rank", flat=True).first() or 0
    following = TierBenefit.objects.filter(rank__gt=current).order_by("rank").first()
    if following is None:
        return None
    return {
        "tier": following.tier,
        "threshold": following.threshold,
        "growth_needed": max(0, following.threshold - user.growth_value),
    }
