"""The notification inbox's serializers (the realtime events reuse ``NotificationSerializer``)."""

from rest_framework import serializers

from community.selectors.notifications import NOTIFICATION_TYPES


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    data = serializers.JSONField()  # type: ignore[assignment]  # the API field, not .data
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


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


class NotificationPreferencesInputSerializer(serializers.Serializer):
    muted = serializers.DictField(child=serializers.BooleanField())

    def validate_muted(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(NOTIFICATION_TYPES))
        if unknown:
            raise serializers.ValidationError(f"Unknown notification types: {', '.join(unknown)}.")
        return value
