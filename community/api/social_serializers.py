from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.api.serializers import UserPublicSerializer
from community.models import Community, CommunityMembership, JoinPolicy, MemberRole
from community.selectors.communities import viewer_membership
from community.services.communities import MAX_COMMUNITY_TAGS
from community.services.social import INTEREST_MAX_LENGTH, MAX_INTERESTS

# --- social graph and profile ---------------------------------------------------------------


class ProfileSerializer(UserPublicSerializer):
    """The public profile plus follow counts and the viewer's relation to the member."""

    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    is_following = serializers.BooleanField(read_only=True)
    follows_me = serializers.BooleanField(read_only=True)
    blocked_by_me = serializers.BooleanField(read_only=True)
    interests = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(UserPublicSerializer.Meta):
        fields = [
            *UserPublicSerializer.Meta.fields,
            "followers_count",
            "following_count",
            "is_following",
            "follows_me",
            "blocked_by_me",
            "interests",
        ]
        read_only_fields = fields


class FollowerEdgeSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="follower")
    created_at = serializers.DateTimeField()


class FollowingEdgeSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="followee")
    created_at = serializers.DateTimeField()


class BlockSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="blocked")
    created_at = serializers.DateTimeField()


class AvatarInputSerializer(serializers.Serializer):
    # A plain file field: the image pipeline, not DRF's ImageField, decides what is an image.
    avatar = serializers.FileField()


class InterestsSerializer(serializers.Serializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=INTEREST_MAX_LENGTH, allow_blank=True),
        max_length=MAX_INTERESTS * 3,
    )


class SuggestionSerializer(UserPublicSerializer):
    shared_tags = serializers.IntegerField(read_only=True)
    shared_communities = serializers.IntegerField(read_only=True)
    score = serializers.IntegerField(read_only=True)

    class Meta(UserPublicSerializer.Meta):
        fields = [*UserPublicSerializer.Meta.fields, "shared_tags", "shared_communities", "score"]
        read_only_fields = fields


class SuggestionListSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


# --- communities -----------------------------------------------------------------------------


class MyMembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    status = serializers.CharField()


class CommunitySerializer(serializers.ModelSerializer):
    owner = UserPublicSerializer(read_only=True)
    tags = serializers.SerializerMethodField()
    my_membership = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = [
            "id",
            "name",
            "description",
            "join_policy",
            "tags",
            "owner",
            "member_count",
            "my_membership",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, community: Community) -> list[str]:
        return sorted((tag.name for tag in community.tags.all()), key=str.casefold)

    @extend_schema_field(MyMembershipSerializer(allow_null=True))
    def get_my_membership(self, community: Community) -> dict | None:
        membership = viewer_membership(community)
        if membership is None:
            return None
        return {"role": membership.role, "status": membership.status}


class CommunityCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, min_length=2)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices, default=JoinPolicy.PUBLIC)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=INTEREST_MAX_LENGTH),
        max_length=MAX_COMMUNITY_TAGS,
        required=False,
    )


class MembershipSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = CommunityMembership
        fields = ["user", "role", "status", "created_at"]
        read_only_fields = fields


class JoinResultSerializer(serializers.Serializer):
    community = CommunitySerializer()
    membership = MyMembershipSerializer()


class RoleInputSerializer(serializers.Serializer):
    # A plain string (validated below): a second choice set named "role" would collide in the
    # OpenAPI enum names with the membership's own role choices.
    role = serializers.CharField(help_text="leader or member")

    def validate_role(self, value: str) -> str:
        if value not in (MemberRole.LEADER, MemberRole.MEMBER):
            raise serializers.ValidationError("Choose leader or member.", code="invalid_choice")
        return value
