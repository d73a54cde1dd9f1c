from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class JoinPolicy(models.TextChoices):
    PUBLIC = "public", "Anyone can join"
    APPROVAL = "approval", "Leaders approve"


class MemberRole(models.TextChoices):
    OWNER = "owner", "Owner"
    LEADER = "leader", "Leader"
    MEMBER = "member", "Member"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Waiting for approval"


class Community(models.Model):
    name = models.CharField(max_length=64)
    description = models.TextField(max_length=2000, blank=True)
    cover = models.ImageField(upload_to="communities/%Y/%m/", blank=True)
    tags = models.ManyToManyField("community.InterestTag", blank=True, related_name="communities")
    join_policy = models.CharField(
        max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.PUBLIC
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_communities"
    )
    # Active members, kept in step by the membership services with F() updates.
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="community_name_ci_unique")]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class CommunityMembership(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="community_membership_unique"
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(role="owner"),
                name="community_single_owner",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]
