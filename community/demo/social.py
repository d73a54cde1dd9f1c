"""Demo social graph: interest tags, communities with members and leaders, follows (idempotent).

Runs the real services, so chat rooms and other listeners of the community signals see the demo
communities too. Call it outside a transaction (the services own theirs).
"""

from community.models import Community, CommunityMembership, MemberRole, User
from community.services.communities import (
    community_create,
    community_join,
    community_member_role_set,
    community_request_approve,
)
from community.services.social import follow_create, user_interests_set

INTERESTS = {
    "admin": ["tea", "photography"],
    "mod": ["reading", "tea"],
    "support": ["baking", "parenting"],
    "creator": ["cooking", "baking", "spices", "tea"],
    "leader": ["running", "hiking", "photography"],
    "alice": ["coffee", "photography", "hiking", "running"],
    "bob": ["parenting", "cooking", "running"],
    "carol": ["skincare", "coffee", "reading"],
}

# name, owner, description, join policy, tags, members, leaders, pending requests
COMMUNITIES = [
    (
        "杭州周日跑团 Sunday Runners",
        "leader",
        "Sunday 7:00 at West Lake, every pace welcome. Shoes and gels at group prices.",
        "public",
        ["running", "hiking"],
        ["alice", "bob", "mod"],
        ["alice"],
        [],
    ),
    (
        "川味厨房 Sichuan Kitchen",
        "creator",
        "Home cooking with real spices: recipes, pantry group buys and honest reviews.",
        "public",
        ["cooking", "spices", "baking"],
        ["bob", "support", "carol"],
        [],
        [],
    ),
    (
        "胶片同好 Film Photography",
        "alice",
        "Film stocks, cameras and darkroom tips. Leaders approve new members.",
        "approval",
        ["photography"],
        ["leader"],
        ["leader"],
        ["carol"],
    ),
    (
        "护肤研究所 Skincare Lab",
        "carol",
        "Ingredients, patch tests and reviews without the marketing.",
        "public",
        ["skincare"],
        ["alice"],
        [],
        [],
    ),
]

FOLLOWS = [
    ("alice", "bob"),
    ("alice", "creator"),
    ("alice", "leader"),
    ("bob", "alice"),
    ("bob", "creator"),
    ("carol", "alice"),
    ("carol", "creator"),
    ("leader", "alice"),
    ("creator", "carol"),
    ("mod", "leader"),
]


def _ensure_member(community: Community, user: User) -> None:
    membership = CommunityMembership.objects.filter(community=community, user=user).first()
    if membership is None:
        membership = community_join(actor=user, community=community)
    if membership.status != "active":
        community_request_approve(actor=community.owner, community=community, user_id=user.pk)


def seed_social(stdout) -> None:
    """Create (or top up) the demo social graph; safe to run again and again."""
    users = {u.username: u for u in User.objects.filter(username__in=INTERESTS)}
    for username, tags in INTERESTS.items():
        if username in users:
            user_interests_set(actor=users[username], names=tags)
    communities = 0
    for name, owner, description, policy, tags, members, leaders, pending in COMMUNITIES:
        if owner not in users:
            continue
        community = Community.objects.filter(name__iexact=name).first()
        if community is None:
            community = community_create(
                actor=users[owner],
                name=name,
                description=description,
                join_policy=policy,
                tags=tags,
            )
        communities += 1
        for username in members:
            if username in users:
                _ensure_member(community, users[username])
        for username in leaders:
            if username in users:
                community_member_role_set(
                    actor=users[owner],
                    community=community,
                    user_id=users[username].pk,
                    role=MemberRole.LEADER,
                )
        for username in pending:
            if (
                username in users
                and not CommunityMembership.objects.filter(
                    community=community, user=users[username]
                ).exists()
            ):
                community_join(actor=users[username], community=community)
    follows = 0
    for follower, followee in FOLLOWS:
        if follower in users and followee in users:
            follow_create(actor=users[follower], followee=users[followee])
            follows += 1
    stdout.write(f"Social graph ready: {communities} communities, {follows} follows.")
