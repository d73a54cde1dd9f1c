"""Realtime event names and payloads of the community app (payloads reuse the API serializers)."""

from rest_framework.serializers import Serializer

from community.api.notifications.serializers import NotificationSerializer

NOTIFICATION_CREATED = "community.notification.created"
NOTIFICATION_READ = "community.notification.read"
POINTS_CHANGED = "community.points.changed"


def notification_payload(notification) -> dict:
    serializer: Serializer = NotificationSerializer(notification)
    return dict(serializer.data)


def notification_envelope(notification) -> dict:
    return {
        "type": NOTIFICATION_CREATED,
        "topic": f"user:{notification.user_id}",
        "seq": notification.seq,
        "data": notification_payload(notification),
    }
