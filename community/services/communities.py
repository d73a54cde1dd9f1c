"""Interest communities: create, join (public or by approval), leave, leaders' member management.

``member_count`` counts active members and changes with an F() update in the same transaction as
the membership row, so concurrent joins and leaves never lose an update.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from community.exceptions import (
    AlreadyMemberError,
    BlockedError,
    CommunityNameTakenError,
    CommunityPermissionDeniedError,
    JoinPendingError,
    MembershipNotFoundError,
    NotAMemberError,
    OwnerCannotLeaveError,
)
from community.models import (
    Community,
    CommunityMembership,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
    User,
)
from community.selectors.communities import MANAGER_ROLES
from community.selectors.social import users_blocked_between
from community.services.notifications import notification_send
from community.services.social import (
    interest_tags_get_or_create,
    normalise_interests,
    send_on_commit,
)
from community.signals import (
    community_created,
    community_member_joined,
    community_member_left,
    community_member_role_changed,
)

MAX_COMMUNITY_TAGS = 5


def community_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    join_policy: str = JoinPolicy.PUBLIC,
    tags: list[str] | None = None,
) -> Community:
    """Create a community owned (and joined) by ``actor``; names are unique regardless of case."""
    name = " ".join(name.split())
    tag_names = normalise_interests(tags or [])[:MAX_COMMUNITY_TAGS]
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                community = Community.objects.create(
                    name=name,
                    description=description,
                    join_policy=join_policy,
                    owner=actor,
                    member_count=1,
                )
        except IntegrityError as exc:  # the case-insensitive unique constraint on name
            raise CommunityNameTakenError() from exc
        CommunityMembership.objects.create(
            community=community,
            user=actor,
            role=MemberRole.OWNER,
            status=MembershipStatus.ACTIVE,
        )
        if tag_names:
            community.tags.set(interest_tags_get_or_create(tag_names))
        send_on_commit(community_created, Community, community_id=community.pk, owner_id=actor.pk)
    return community


def community_join(*, actor: User, community: Community) -> CommunityMembership:
    """Join a public community at once, or ask to join an approval-only one."""
    status = (
        MembershipStatus.ACTIVE
        if community.join_policy == JoinPolicy.PUBLIC
        else MembershipStatus.PENDING
    )
    with transaction.atomic(durable=True):
        if users_blocked_between(actor.pk, community.owner_id):
            raise BlockedError()
        try:
            with transaction.atomic():
                membership = CommunityMembership.objects.create(
                    community=community, user=actor, role=MemberRole.MEMBER, status=status
                )
        except IntegrityError as exc:  # the (community, user) unique constraint
            existing = CommunityMembership.objects.filter(community=community, user=actor).first()
            if existing is not None and existing.status == MembershipStatus.PENDING:
                raise JoinPendingError() from exc
            raise AlreadyMemberError() from exc
        if status == MembershipStatus.ACTIVE:
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
            send_on_commit(
                community_member_joined,
                Community,
                community_id=community.pk,
                user_id=actor.pk,
                role=MemberRole.MEMBER,
            )
    return membership


def _require_manager(community: Community, actor: User) -> CommunityMembership:
    manager = CommunityMembership.objects.filter(
        community=community,
        user_id=actor.pk,
        status=MembershipStatus.ACTIVE,
        role__in=MANAGER_ROLES,
    ).first()
    if manager is None:
        raise CommunityPermissionDeniedError("Only the community's owner and leaders may do that.")
    return manager


def community_leave(*, actor: User, community: Community) -> None:
    """Leave a community (or withdraw a pending request); the owner cannot leave."""
    with transaction.atomic(durable=True):
        membership = (
            CommunityMembership.objects.select_for_update()
            .filter(community=community, user_id=actor.pk)
            .first()
        )
        if membership is None:
            raise NotAMemberError()
        if membership.role == MemberRole.OWNER:
            raise OwnerCannotLeaveError()
        membership.delete()
        if membership.status == MembershipStatus.ACTIVE:
            Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
            send_on_commit(
                community_member_left, Community, community_id=community.pk, user_id=actor.pk
            )


def _pending_request(community: Community, user_id: int) -> CommunityMembership:
    request = (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user_id=user_id, status=MembershipStatus.PENDING)
        .first()
    )
    if request is None:
        raise MembershipNotFoundError("No pending request from that member.")
    return request


def community_request_approve(
    *, actor: User, community: Community, user_id: int
) -> CommunityMembership:
    """A leader or the owner lets a pending member in."""
    with transaction.atomic(durable=True):
        _require_manager(community, actor)
        request = _pending_request(community, user_id)
        request.status = MembershipStatus.ACTIVE
        request.decided_by = actor
        request.save(update_fields=["status", "decided_by"])
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
        notification_send(
            user_id=user_id,
            type="community_join_approved",
            title=f"You joined {community.name}",
            data={"community_id": community.pk},
            dedupe_key=f"community_join_approved:{community.pk}:{request.pk}",
        )
        send_on_commit(
            community_member_joined,
            Community,
            community_id=community.pk,
            user_id=user_id,
            role=request.role,
        )
    return request


def community_request_reject(*, actor: User, community: Community, user_id: int) -> None:
    """A leader or the owner turns a pending request down (the member may ask again)."""
    with transaction.atomic(durable=True):
        _require_manager(community, actor)
        _pending_request(community, user_id).delete()


def _active_member(community: Community, user_id: int) -> CommunityMembership:
    membership = (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user_id=user_id, status=MembershipStatus.ACTIVE)
        .first()
    )
    if membership is None:
        raise MembershipNotFoundError("That member is not in this community.")
    return membership


def community_member_role_set(
    *, actor: User, community: Community, user_id: int, role: str
) -> CommunityMembership:
    """The owner makes a member a leader, or a leader a member again."""
    if role not in (MemberRole.LEADER, MemberRole.MEMBER):
        raise ValueError(f"role must be leader or member, not {role!r}")
    with transaction.atomic(durable=True):
        if not CommunityMembership.objects.filter(
            community=community,
            user_id=actor.pk,
            role=MemberRole.OWNER,
            status=MembershipStatus.ACTIVE,
        ).exists():
            raise CommunityPermissionDeniedError("Only the community's owner may change roles.")
        membership = _active_member(community, user_id)
        if membership.role == MemberRole.OWNER:
            raise CommunityPermissionDeniedError("The owner's role cannot be changed.")
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            send_on_commit(
                community_member_role_changed,
                Community,
                community_id=community.pk,
                user_id=user_id,
                role=role,
            )
    return membership


def community_member_remove(*, actor: User, community: Community, user_id: int) -> None:
    """A leader removes a member; only the owner may remove a leader; nobody removes the owner."""
    with transaction.atomic(durable=True):
        manager = _require_manager(community, actor)
        membership = _active_member(community, user_id)
        if membership.role == MemberRole.OWNER:
            raise CommunityPermissionDeniedError("The owner cannot be removed.")
        if membership.role == MemberRole.LEADER and manager.role != MemberRole.OWNER:
            raise CommunityPermissionDeniedError("Only the owner may remove a leader.")
        membership.delete()
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
        send_on_commit(community_member_left, Community, community_id=community.pk, user_id=user_id)
