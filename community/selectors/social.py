"""Reads of the social graph: blocks (which every feature enforces), follows, profiles, suggestions,
and the registry of share targets (what a share link may point at).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from community.models import (
    Block,
    CommunityMembership,
    Follow,
    MembershipStatus,
    Notification,
    PointsEntry,
    User,
)

UserTag = User.interest_tags.through
SUGGESTION_LIMIT = 20


def users_blocked_between(a_id: int, b_id: int) -> bool:
    """True when either user has blocked the other."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def blocked_user_ids(user) -> set[int]:
    """Ids of everyone ``user`` blocked or was blocked by (empty for visitors)."""
    if user is None or not user.is_authenticated:
        return set()
    pairs = Block.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in pairs for other in pair if other != user.pk}


def _blocked_either_way(user_id: int) -> Q:
    """A filter on User rows: blocked by, or blocking, ``user_id`` (a subquery, no round trip)."""
    return Q(pk__in=Block.objects.filter(blocker_id=user_id).values("blocked_id")) | Q(
        pk__in=Block.objects.filter(blocked_id=user_id).values("blocker_id")
    )


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, deleted_at__isnull=True)


def user_get_active(*, username: str) -> User:
    """An active, not deleted member by username (any case), or 404."""
    return get_object_or_404(active_users(), username__iexact=username)


def profile_stats(*, user: User, viewer) -> dict:
    """Follower/following counts and the viewer's relation to ``user``."""
    # Two counts, not one aggregate over both joins, which would multiply the rows.
    followers = Follow.objects.filter(followee_id=user.pk, follower__is_active=True).count()
    following = Follow.objects.filter(follower_id=user.pk, followee__is_active=True).count()
    stats = {
        "followers_count": followers,
        "following_count": following,
        "is_following": False,
        "follows_me": False,
        "blocked_by_me": False,
    }
    if viewer is not None and viewer.is_authenticated and viewer.pk != user.pk:
        edges = set(
            Follow.objects.filter(
                Q(follower_id=viewer.pk, followee_id=user.pk)
                | Q(follower_id=user.pk, followee_id=viewer.pk)
            ).values_list("follower_id", flat=True)
        )
        stats["is_following"] = viewer.pk in edges
        stats["follows_me"] = user.pk in edges
        stats["blocked_by_me"] = Block.objects.filter(
            blocker_id=viewer.pk, blocked_id=user.pk
        ).exists()
    return stats


def followers_list(*, user: User, viewer) -> QuerySet[Follow]:
    """Edges pointing at ``user``, hiding deleted accounts and people the viewer has a block with."""
    edges = Follow.objects.filter(followee=user, follower__is_active=True).select_related(
        "follower"
    )
    if viewer is not None and viewer.is_authenticated:
        blocked = _blocked_either_way(viewer.pk)
        edges = edges.exclude(follower__in=User.objects.filter(blocked))
    return edges


def following_list(*, user: User, viewer) -> QuerySet[Follow]:
    """Edges from ``user`` to the people they follow, with the same hiding rules as followers."""
    edges = Follow.objects.filter(follower=user, followee__is_active=True).select_related(
        "followee"
    )
    if viewer is not None and viewer.is_authenticated:
        blocked = _blocked_either_way(viewer.pk)
        edges = edges.exclude(followee__in=User.objects.filter(blocked))
    return edges


def blocks_list(*, user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked")


def interest_names(user: User) -> list[str]:
    """The member's interest tag names, alphabetical regardless of case (and of DB collation)."""
    return sorted(user.interest_tags.values_list("name", flat=True), key=str.casefold)


def friend_suggestions(*, user: User, limit: int = SUGGESTION_LIMIT) -> list[User]:
    """People sharing interest tags or active communities with ``user``, most overlap first.

    Excludes ``user``, people they already follow, anyone blocked either way and inactive or
    deleted accounts. Ties go to shared communities, a more concrete tie than a tag. One query; each result carries ``shared_tags``, ``shared_communities`` and
    ``score``.
    """
    my_tags = UserTag.objects.filter(user_id=user.pk).values("interesttag_id")
    my_communities = CommunityMembership.objects.filter(
        user_id=user.pk, status=MembershipStatus.ACTIVE
    ).values("community_id")
    tag_overlap = (
        UserTag.objects.filter(user_id=OuterRef("pk"), interesttag_id__in=my_tags)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]
    )
    community_overlap = (
        CommunityMembership.objects.filter(
            user_id=OuterRef("pk"),
            status=MembershipStatus.ACTIVE,
            community_id__in=my_communities,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]
    )
    zero = Value(0, output_field=IntegerField())
    ranked = (
        active_users()
        .filter(
            Q(pk__in=UserTag.objects.filter(interesttag_id__in=my_tags).values("user_id"))
            | Q(
                pk__in=CommunityMembership.objects.filter(
                    community_id__in=my_communities, status=MembershipStatus.ACTIVE
                ).values("user_id")
            )
        )
        .exclude(pk=user.pk)
        .exclude(pk__in=Follow.objects.filter(follower_id=user.pk).values("followee_id"))
        .exclude(_blocked_either_way(user.pk))
        .annotate(
            shared_tags=Coalesce(Subquery(tag_overlap, output_field=IntegerField()), zero),
            shared_communities=Coalesce(
                Subquery(community_overlap, output_field=IntegerField()), zero
            ),
        )
        .annotate(score=F("shared_tags") + F("shared_communities"))
        .order_by("-score", "-shared_communities", "pk")
    )
    return list(ranked[:limit])


def user_export(*, user: User) -> dict:
    """Everything we hold about ``user`` that they may take with them (PRODUCT §1 privacy)."""
    memberships = CommunityMembership.objects.filter(user=user).select_related("community")
    return {
        "profile": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "bio": user.bio,
            "region": user.region,
            "avatar": user.avatar.name or None,
            "tier": user.tier,
            "growth_value": user.growth_value,
            "points_balance": user.points_balance,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "interests": interest_names(user),
        "following": [
            {"username": username, "since": created_at.isoformat()}
            for username, created_at in Follow.objects.filter(follower=user)
            .order_by("id")
            .values_list("followee__username", "created_at")
        ],
        "followers": [
            {"username": username, "since": created_at.isoformat()}
            for username, created_at in Follow.objects.filter(followee=user)
            .order_by("id")
            .values_list("follower__username", "created_at")
        ],
        "blocks": [
            {"username": username, "since": created_at.isoformat()}
            for username, created_at in Block.objects.filter(blocker=user)
            .order_by("id")
            .values_list("blocked__username", "created_at")
        ],
        "communities": [
            {
                "id": m.community_id,
                "name": m.community.name,
                "role": m.role,
                "status": m.status,
                "since": m.created_at.isoformat(),
            }
            for m in memberships.order_by("id")
        ],
        "points_ledger": [
            {
                "id": entry.pk,
                "delta": entry.delta,
                "reason": entry.reason,
                "source_type": entry.source_type,
                "source_id": entry.source_id,
                "balance_after": entry.balance_after,
                "note": entry.note,
                "created_at": entry.created_at.isoformat(),
            }
            for entry in PointsEntry.objects.filter(user=user).order_by("id")
        ],
        "notifications": [
            {
                "seq": n.seq,
                "type": n.type,
                "title": n.title,
                "body": n.body,
                "data": n.data,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("seq")
        ],
    }


# --- share targets -----------------------------------------------------------------------------
# What a share link may point at, registered by the apps that own the targets.
#
# feeds makes share links but must not import chat (a sibling layer), so every owner registers its
# kinds here in ``AppConfig.ready()``: groupbuy products, storefronts, teams and flash sales, chat
# livestreams, feeds posts. A resolver answers for one id, or ``None`` when the target does not
# exist or is not public.


@dataclass(frozen=True)
class ShareTarget:
    url: str  # where /s/<code> lands, a site path such as "/products/12/"
    title: str
    owner_id: int | None  # whose content it is (a sharer earns nothing on their own target)


Resolver = Callable[[int], ShareTarget | None]

_resolvers: dict[str, Resolver] = {}


def register_share_target(kind: str, resolve: Resolver) -> None:
    _resolvers[kind] = resolve


def share_target_kinds() -> list[str]:
    return sorted(_resolvers)


def share_target_resolve(kind: str, target_id: int) -> ShareTarget | None:
    resolve = _resolvers.get(kind)
    return resolve(target_id) if resolve else None
