from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.models import User
from community.selectors import tier_progress, user_roles


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        min_length=3,
        error_messages={"invalid": "Use letters, digits and @/./+/-/_ only."},
    )
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    invite_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class NextTierSerializer(serializers.Serializer):
    tier = serializers.CharField()
    threshold = serializers.IntegerField()
    growth_needed = serializers.IntegerField()


def _avatar_url(user: User, request) -> str | None:
    if not user.avatar:
        return None
    url = user.avatar.url
    return request.build_absolute_uri(url) if request is not None else url


class UserPublicSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "avatar_url",
            "bio",
            "region",
            "tier",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, user: User) -> str | None:
        return _avatar_url(user, self.context.get("request"))


class MeSerializer(UserPublicSerializer):
    next_tier = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta(UserPublicSerializer.Meta):
        fields = [
            "id",
            "username",
            "display_name",
            "avatar_url",
            "bio",
            "region",
            "tier",
            "growth_value",
            "next_tier",
            "points_balance",
            "roles",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(NextTierSerializer(allow_null=True))
    def get_next_tier(self, user: User) -> dict | None:
        return tier_progress(user)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: User) -> list[str]:
        return user_roles(user)


class MeUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=280, required=False, allow_blank=True)
    region = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AuthResultSerializer(serializers.Serializer):
    user = MeSerializer()
    token = serializers.CharField()


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    data = serializers.JSONField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
