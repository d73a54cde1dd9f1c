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
    data = serializers.JSONField()  # type: ignore[assignment]  # the API field, not .data
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class CheckInResultSerializer(serializers.Serializer):
    points_awarded = serializers.IntegerField()
    streak = serializers.IntegerField()
    day = serializers.DateField()
    balance = serializers.IntegerField()


class CheckInDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    checked_in = serializers.BooleanField()


class CheckInStatusSerializer(serializers.Serializer):
    checked_in_today = serializers.BooleanField()
    streak = serializers.IntegerField()
    next_reward = serializers.IntegerField()
    week = CheckInDaySerializer(many=True)


class PointsEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    delta = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField(source="get_reason_display", help_text="for people")
    source_type = serializers.CharField()
    source_id = serializers.CharField()
    balance_after = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class NextExpirySerializer(serializers.Serializer):
    points = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class PointsSummarySerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    expiring_within_days = serializers.IntegerField()
    expiring_soon = serializers.IntegerField()
    next_expiry = NextExpirySerializer(allow_null=True)
    yuan_per_100_points = serializers.CharField()


class LeaderboardUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    tier = serializers.CharField()


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    user = LeaderboardUserSerializer()
    points = serializers.IntegerField()


class LeaderboardQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["week", "month", "all"], default="week")
    community = serializers.IntegerField(required=False, min_value=1)


class LeaderboardSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="always null: one ranked page")
    previous = serializers.CharField(allow_null=True, help_text="always null")
    period = serializers.CharField()
    community = serializers.IntegerField(allow_null=True)
    results = LeaderboardRowSerializer(many=True)


class TaskSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    action = serializers.CharField()
    target_count = serializers.IntegerField()
    points = serializers.IntegerField()
    count = serializers.IntegerField()
    completed = serializers.BooleanField()
    ends_at = serializers.DateTimeField(allow_null=True)


class TierBenefitSerializer(serializers.Serializer):
    tier = serializers.CharField()
    rank = serializers.IntegerField()
    threshold = serializers.IntegerField()
    points_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2)
    monthly_coupon_pack = serializers.CharField()
    early_access_minutes = serializers.IntegerField()
    support_priority = serializers.IntegerField()


class PointsAdjustmentInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    delta = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    note = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=64, required=False)

    def validate_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("delta must not be zero.")
        return value


class NotificationQuerySerializer(serializers.Serializer):
    after_seq = serializers.IntegerField(min_value=0, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class NotificationPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="the next page's URL (after_seq)")
    previous = serializers.CharField(allow_null=True, help_text="always null: pages go forward")
    results = NotificationSerializer(many=True)
    last_seq = serializers.IntegerField()
    has_more = serializers.BooleanField()
    unread_count = serializers.IntegerField()


class NotificationReadInputSerializer(serializers.Serializer):
    up_to_seq = serializers.IntegerField(min_value=0, required=False)
    seqs = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=500, required=False
    )

    def validate(self, attrs):
        if "up_to_seq" not in attrs and "seqs" not in attrs:
            raise serializers.ValidationError("Give up_to_seq or seqs.")
        return attrs


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField()


class InviteSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField()
    invitees = serializers.IntegerField()
