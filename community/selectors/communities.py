"""Reads of interest communities: lists with the viewer's membership, members, join requests."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from community.models import (
    Community,
    CommunityMembership,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
)

MANAGER_ROLES = (MemberRole.OWNER, MemberRole.LEADER)


def _with_viewer_membership(communities: QuerySet[Community], viewer) -> QuerySet[Community]:
    communities = communities.select_related("owner").prefetch_related("tags")
    if viewer is None or not viewer.is_authenticated:
        return communities
    # Each community gets ``viewer_memberships``: the viewer's row, or an empty list.
    return communities.prefetch_related(
        Prefetch(
            "memberships",
            queryset=CommunityMembership.objects.filter(user_id=viewer.pk),
            to_attr="viewer_memberships",
        )
    )


def viewer_membership(community: Community) -> CommunityMembership | None:
    """The viewer's membership prefetched by the selectors below (None for visitors)."""
    rows = getattr(community, "viewer_memberships", None)
    return rows[0] if rows else None


def community_list(
    *, viewer, tag: str | None = None, mine: bool = False, query: str | None = None
) -> QuerySet[Community]:
    """Communities, filtered by tag name, name text, or the viewer's own memberships."""
    communities = Community.objects.all()
    if tag:
        communities = communities.filter(tags__name__iexact=tag)
    if query:
        communities = communities.filter(name__icontains=query)
    if mine and viewer is not None and viewer.is_authenticated:
        communities = communities.filter(memberships__user_id=viewer.pk)
    return _with_viewer_membership(communities.distinct() if tag or mine else communities, viewer)


def community_get(*, community_id: int, viewer=None) -> Community:
    """One community with the viewer's membership, or 404."""
    return get_object_or_404(
        _with_viewer_membership(Community.objects.all(), viewer), pk=community_id
    )


def membership_of(*, community_id: int, user_id: int) -> CommunityMembership | None:
    return CommunityMembership.objects.filter(community_id=community_id, user_id=user_id).first()


def is_manager(*, community_id: int, user) -> bool:
    """True for the community's owner and leaders (active members only)."""
    if user is None or not user.is_authenticated:
        return False
    return CommunityMembership.objects.filter(
        community_id=community_id,
        user_id=user.pk,
        status=MembershipStatus.ACTIVE,
        role__in=MANAGER_ROLES,
    ).exists()


def can_see_members(*, community: Community, user) -> bool:
    """Public communities show their members to everyone; approval ones only to members."""
    if community.join_policy == JoinPolicy.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    return CommunityMembership.objects.filter(
        community_id=community.pk, user_id=user.pk, status=MembershipStatus.ACTIVE
    ).exists()


def members_list(*, community: Community) -> QuerySet[CommunityMembership]:
    return CommunityMembership.objects.filter(
        community=community, status=MembershipStatus.ACTIVE, user__is_active=True
    ).select_related("user")


def join_requests_list(*, community: Community) -> QuerySet[CommunityMembership]:
    return CommunityMembership.objects.filter(
        community=community, status=MembershipStatus.PENDING
    ).select_related("user")


def communities_of_user(*, user) -> QuerySet[CommunityMembership]:
    """The member's active memberships with their communities (profile pages)."""
    return CommunityMembership.objects.filter(
        user=user, status=MembershipStatus.ACTIVE
    ).select_related("community")
