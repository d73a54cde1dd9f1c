"""The social graph and the member's own profile: follow, block, avatar, interests, deletion."""

from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community.exceptions import (
    BlockedError,
    CannotBlockSelfError,
    CannotFollowSelfError,
    InvalidCredentialsError,
    TooManyInterestsError,
)
from community.models import (
    Block,
    Community,
    CommunityMembership,
    Follow,
    InterestTag,
    MemberRole,
    MembershipStatus,
    User,
)
from community.selectors.accounts import process_avatar
from community.selectors.social import users_blocked_between
from community.services.notifications import notification_send
from community.signals import (
    community_member_left,
    community_member_role_changed,
    user_blocked,
    user_deleted,
    user_followed,
)

MAX_INTERESTS = 10
INTEREST_MAX_LENGTH = 32


def send_on_commit(signal, sender, **kwargs) -> None:
    """Announce a domain signal once the current transaction commits (never for a rollback)."""
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))


def _lock_pair(a_id: int, b_id: int) -> None:
    # Follow and block of the same two people serialise on their user rows (in pk order, so two
    # requests never deadlock), which closes the follow-while-being-blocked race.
    list(
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=[a_id, b_id])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def follow_create(*, actor: User, followee: User) -> bool:
    """Follow ``followee`` (idempotent); returns True when a new edge was made."""
    if actor.pk == followee.pk:
        raise CannotFollowSelfError()
    with transaction.atomic(durable=True):
        _lock_pair(actor.pk, followee.pk)
        if users_blocked_between(actor.pk, followee.pk):
            raise BlockedError()
        _, created = Follow.objects.get_or_create(follower_id=actor.pk, followee_id=followee.pk)
        if created:
            notification_send(
                user_id=followee.pk,
                type="follow",
                title=f"{actor.public_name} started following you",
                data={"user_id": actor.pk, "username": actor.username},
                dedupe_key=f"follow:{actor.pk}",
            )
            send_on_commit(user_followed, Follow, follower_id=actor.pk, followee_id=followee.pk)
    return created


def follow_delete(*, actor: User, followee: User) -> bool:
    """Stop following ``followee`` (idempotent); returns True when an edge was removed."""
    with transaction.atomic(durable=True):
        deleted, _ = Follow.objects.filter(follower_id=actor.pk, followee_id=followee.pk).delete()
    return bool(deleted)


def block_create(*, actor: User, blocked: User) -> bool:
    """Block ``blocked`` (idempotent): follows both ways go, and they cannot follow back."""
    if actor.pk == blocked.pk:
        raise CannotBlockSelfError()
    with transaction.atomic(durable=True):
        _lock_pair(actor.pk, blocked.pk)
        _, created = Block.objects.get_or_create(blocker_id=actor.pk, blocked_id=blocked.pk)
        Follow.objects.filter(follower_id=actor.pk, followee_id=blocked.pk).delete()
        Follow.objects.filter(follower_id=blocked.pk, followee_id=actor.pk).delete()
        if created:
            send_on_commit(user_blocked, Block, blocker_id=actor.pk, blocked_id=blocked.pk)
    return created


def block_delete(*, actor: User, blocked: User) -> bool:
    """Lift a block (idempotent); follows removed by the block are not restored."""
    with transaction.atomic(durable=True):
        deleted, _ = Block.objects.filter(blocker_id=actor.pk, blocked_id=blocked.pk).delete()
    return bool(deleted)


def user_avatar_set(*, actor: User, upload) -> User:
    """Run the upload through the image pipeline and make it the member's avatar."""
    image = process_avatar(upload)
    old_name = actor.avatar.name
    storage = actor.avatar.storage
    with transaction.atomic(durable=True):
        actor.avatar.save(f"{actor.pk}.{image.extension}", image.content, save=False)
        User.objects.filter(pk=actor.pk).update(avatar=actor.avatar.name)
        if old_name and old_name != actor.avatar.name:
            transaction.on_commit(partial(storage.delete, old_name))
    return actor


def normalise_interests(names: list[str]) -> list[str]:
    """Trimmed, single-spaced, de-duplicated regardless of case, in the given order."""
    seen: set[str] = set()
    result = []
    for raw in names:
        name = " ".join(str(raw).split())[:INTEREST_MAX_LENGTH]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def interest_tags_get_or_create(names: list[str]) -> list[InterestTag]:
    """The tags with these names, matched regardless of case; missing ones are created."""
    tags = []
    for name in names:
        tag = InterestTag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = InterestTag.objects.create(name=name)
            except IntegrityError:  # somebody created it a moment ago
                tag = InterestTag.objects.get(name__iexact=name)
        tags.append(tag)
    return tags


def user_interests_set(*, actor: User, names: list[str]) -> list[str]:
    """Replace the member's interest tags (at most 10); returns the names now set."""
    cleaned = normalise_interests(names)
    if len(cleaned) > MAX_INTERESTS:
        raise TooManyInterestsError(f"Pick at most {MAX_INTERESTS} interests.")
    with transaction.atomic(durable=True):
        tags = interest_tags_get_or_create(cleaned)
        actor.interest_tags.set(tags)
    return sorted((tag.name for tag in tags), key=str.casefold)


def _hand_over_or_leave(community_id: int, user_id: int) -> tuple[list, list]:
    """Remove ``user_id`` from one community; an owner hands the community to a successor first.

    Returns the signals (left, role changes) to send on commit.
    """
    left: list[dict] = []
    changed: list[dict] = []
    community = Community.objects.select_for_update().get(pk=community_id)
    membership = (
        CommunityMembership.objects.select_for_update()
        .filter(community_id=community_id, user_id=user_id)
        .first()
    )
    if community.owner_id == user_id:
        candidates = (
            CommunityMembership.objects.filter(
                community_id=community_id, status=MembershipStatus.ACTIVE, user__is_active=True
            )
            .exclude(user_id=user_id)
            .order_by("created_at", "pk")
        )
        # The longest-standing leader, else the longest-standing member.
        heir = candidates.filter(role=MemberRole.LEADER).first() or candidates.first()
        if heir is not None:
            # The single-owner constraint: the old owner's row must stop being owner first.
            if membership is not None:
                CommunityMembership.objects.filter(pk=membership.pk).update(role=MemberRole.MEMBER)
            CommunityMembership.objects.filter(pk=heir.pk).update(role=MemberRole.OWNER)
            Community.objects.filter(pk=community_id).update(owner_id=heir.user_id)
            changed.append(
                {"community_id": community_id, "user_id": heir.user_id, "role": MemberRole.OWNER}
            )
        # With nobody to hand over to, the community stays owned by the anonymised account
        # (the owner foreign key protects the row).
    if membership is not None:
        CommunityMembership.objects.filter(pk=membership.pk).delete()
        if membership.status == MembershipStatus.ACTIVE:
            Community.objects.filter(pk=community_id).update(member_count=F("member_count") - 1)
            left.append({"community_id": community_id, "user_id": user_id})
    return left, changed


def user_delete(*, actor: User, password: str) -> None:
    """Delete the account after a password check: anonymise, drop the graph, keep the ledgers."""
    if not actor.has_usable_password() or not actor.check_password(password):
        raise InvalidCredentialsError("The password is wrong.")
    old_avatar = actor.avatar.name
    storage = actor.avatar.storage
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=actor.pk)
        community_ids = set(
            CommunityMembership.objects.filter(user=user).values_list("community_id", flat=True)
        ) | set(Community.objects.filter(owner=user).values_list("pk", flat=True))
        left: list[dict] = []
        changed: list[dict] = []
        for community_id in sorted(community_ids):  # pk order: no deadlock with other deleters
            gone, roles = _hand_over_or_leave(community_id, user.pk)
            left += gone
            changed += roles
        Follow.objects.filter(follower=user).delete()
        Follow.objects.filter(followee=user).delete()
        Block.objects.filter(blocker=user).delete()
        Block.objects.filter(blocked=user).delete()
        Token.objects.filter(user=user).delete()
        user.interest_tags.clear()
        user.username = f"deleted-{user.pk}"
        user.display_name = ""
        user.bio = ""
        user.region = ""
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.avatar = ""
        user.set_unusable_password()
        user.is_active = False
        user.deleted_at = timezone.now()
        user.save(
            update_fields=[
                "username",
                "display_name",
                "bio",
                "region",
                "email",
                "first_name",
                "last_name",
                "avatar",
                "password",
                "is_active",
                "deleted_at",
            ]
        )
        for kwargs in changed:
            send_on_commit(community_member_role_changed, Community, **kwargs)
        for kwargs in left:
            send_on_commit(community_member_left, Community, **kwargs)
        send_on_commit(user_deleted, User, user_id=user.pk)
        if old_avatar:
            transaction.on_commit(partial(storage.delete, old_avatar))
