"""Realtime event names and payloads of the community app (payloads reuse the API serializers)."""

from rest_framework.serializers import Serializer

from community.api.notifications.serializers import NotificationSerializer
from community.selectors.moderation import moderation_item_state
from realtime.publish import broadcast_state_on_commit

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


# --- moderation --------------------------------------------------------------------------------

MODERATION_QUEUE_TOPIC = "moderation.queue"
MODERATION_ITEM_CHANGED = "moderation.item.changed"


def moderation_item_changed_on_commit(item_id: int) -> None:
    """Tell open moderator consoles that an item arrived, was claimed or was decided (its state
    is read once committed, so the console never shows a rolled-back claim)."""
    broadcast_state_on_commit(
        MODERATION_QUEUE_TOPIC, MODERATION_ITEM_CHANGED, lambda: moderation_item_state(item_id)
    )


# --- insights ----------------------------------------------------------------------------------

INSIGHTS_LIVE_TOPIC = "insights.live"
INSIGHTS_LIVE_UPDATED = "insights.live.updated"
