from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from community.models import Notification
from community.notify_channels import channel, external_channels_for


@shared_task(name="community.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry; safe to run any number of times."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="community.tasks.deliver_notification_externally")
def deliver_notification_externally(notification_id: int) -> None:
    """Send a notification through its external channels (email / SMS / push adapters)."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    for name in external_channels_for(notification.type):
        channel(name).send(user=notification.user, title=notification.title, body=notification.body)
