from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="community.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry; safe to run any number of times."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
