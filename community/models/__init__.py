from community.models.accounts import Role, RoleGrant, Tier, User
from community.models.communities import (
    Community,
    CommunityMembership,
    JoinPolicy,
    MemberRole,
    MembershipStatus,
)
from community.models.loyalty import (
    CheckIn,
    GrowthEntry,
    GrowthSource,
    PointsAllocation,
    PointsEntry,
    PointsLot,
    PointsReason,
    TaskDefinition,
    TaskKind,
    TaskProgress,
    TierBenefit,
    TierChange,
)
from community.models.notifications import Notification, NotificationPreference, NotificationStream
from community.models.social import Block, Follow, InterestTag

__all__ = [
    "Block",
    "CheckIn",
    "Community",
    "CommunityMembership",
    "Follow",
    "GrowthEntry",
    "GrowthSource",
    "InterestTag",
    "JoinPolicy",
    "MemberRole",
    "MembershipStatus",
    "Notification",
    "NotificationPreference",
    "NotificationStream",
    "PointsAllocation",
    "PointsEntry",
    "PointsLot",
    "PointsReason",
    "Role",
    "RoleGrant",
    "TaskDefinition",
    "TaskKind",
    "TaskProgress",
    "Tier",
    "TierBenefit",
    "TierChange",
    "User",
]
