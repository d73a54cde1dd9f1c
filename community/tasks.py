from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from community.models import Notification
from community.selectors.loyalty import business_today
from community.services.insights.campaigns import campaign_deliver
from community.services.insights.rollups import rollup_pending
from community.services.loyalty import (
    points_expire_due,
    points_remind_expiring,
    tier_monthly_packs_announce,
    tiers_evaluate_all,
)
from community.services.moderation.trust import trust_recompute_all
from community.services.notifications import channel, external_channels_for


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


@shared_task(name="community.tasks.expire_points")
def expire_points() -> int:
    """Expire lots past their date; hourly, so a missed night is caught up (each lot once)."""
    return points_expire_due().lots_expired


@shared_task(name="community.tasks.remind_expiring_points")
def remind_expiring_points() -> int:
    """Remind members of points expiring within the reminder window (each lot once)."""
    return points_remind_expiring()


@shared_task(name="community.tasks.evaluate_tiers")
def evaluate_tiers() -> int:
    """Nightly tier evaluation (upgrades, maintenance, one-step downgrades)."""
    return tiers_evaluate_all()


@shared_task(name="community.tasks.announce_monthly_tier_packs")
def announce_monthly_tier_packs() -> int:
    """On the first of the month: each member's tier coupon pack is due (receivers are idempotent)."""
    return tier_monthly_packs_announce(month=business_today().strftime("%Y-%m"))


@shared_task(name="community.tasks.recompute_trust_levels")
def recompute_trust_levels() -> int:
    return trust_recompute_all()


@shared_task(name="community.tasks.send_campaign")
def send_campaign(campaign_id: int) -> int:
    """Deliver a campaign to its segment; a rerun touches nobody twice."""
    return campaign_deliver(campaign_id=campaign_id)


@shared_task(name="community.tasks.insights_rollup")
def insights_rollup() -> int:
    """Roll up closed days not rolled yet and re-roll days with late events; return how many."""
    return len(rollup_pending())
