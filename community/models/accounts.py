from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class Tier(models.TextChoices):
    REGULAR = "regular", "Regular"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


class Role(models.TextChoices):
    CREATOR = "creator", "Creator"
    COMMUNITY_LEADER = "community_leader", "Community leader"
    SUPPORT_AGENT = "support_agent", "Support agent"
    MODERATOR = "moderator", "Moderator"
    STAFF = "staff", "Staff"


class User(AbstractUser):
    display_name = models.CharField(max_length=64, blank=True)
    bio = models.CharField(max_length=280, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    region = models.CharField(max_length=64, blank=True)
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.REGULAR)
    growth_value = models.PositiveIntegerField(default=0)
    # Kept in step with the points ledger inside the ledger's own transaction.
    points_balance = models.IntegerField(default=0)
    # The day the member's trailing growth first fell below their tier's threshold (maintenance).
    tier_below_since = models.DateField(null=True, blank=True)
    interest_tags = models.ManyToManyField(
        "community.InterestTag", blank=True, related_name="users"
    )
    invite_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitees"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set while moderation hides the member's profile (name, bio, avatar) from others.
    profile_hidden_at = models.DateTimeField(null=True, blank=True)
    # True while the member may have a sanction in force: members who never had one (nearly all)
    # pass the sanction check on every write without a query.
    has_sanctions = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points_balance__gte=0), name="user_points_balance_non_negative"
            ),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    @property
    def public_name(self) -> str:
        if self.profile_hidden_at is not None:
            return self.username
        return self.display_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"
