"""Campaigns: acting on a segment with a notification and/or a reward, against a random holdout.

Sending is two steps. ``campaign_send`` (the staff action) moves a draft to ``sending`` and queues
``community.tasks.send_campaign`` on commit; the task calls ``campaign_deliver``, which snapshots
the segment into recipients (a hash of the campaign and the member puts ``holdout_percent`` of
them in the holdout, who get nothing), then touches each treated member in their own transaction.
Every step is idempotent: the recipient rows are unique per member, a member is touched only while
their row is still ``pending`` (locked), and the notification carries a dedupe key, so a task run
twice (or redelivered) sends once.

Frequency cap: no member gets more than ``MARKETING_NOTIFICATIONS_PER_WEEK`` campaign
notifications in 7 days; the member's row is locked while counting, so two campaigns sending at
once cannot both squeeze past it. Capped members are recorded as ``skipped_cap`` and stay in the
treated group for the uplift (intention to treat).

Rewards come from higher apps through ``register_campaign_reward`` (groupbuy registers "coupon"
in its ``ready()``), so community never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from community.exceptions import (
    CampaignAlreadySentError,
    CampaignInvalidError,
    CampaignNotFoundError,
)
from community.models import (
    Campaign,
    CampaignRecipient,
    CampaignSegment,
    CampaignStatus,
    RecipientGroup,
    RecipientStatus,
    User,
)
from community.selectors.insights.experiments import bucket, event_name_known
from community.selectors.insights.segments import segment_member_ids
from community.services.notifications import notification_send
from config.exceptions import DomainError
from realtime.publish import enqueue_on_commit

log = structlog.get_logger(__name__)

NOTIFICATION_TYPE = "marketing"
CAP_DAYS = 7
MAX_WINDOW_HOURS = 30 * 24


@dataclass(frozen=True)
class CampaignReward:
    """How a higher app grants one kind of reward: ``grant(user_id, ref, issue_key)`` must be
    idempotent per ``issue_key``; ``choices()`` lists what staff may pick as ``(ref, label)``."""

    label: str
    grant: Callable[[int, int, str], None]
    exists: Callable[[int], bool]
    choices: Callable[[], list[tuple[int, str]]]


_rewards: dict[str, CampaignReward] = {}


def register_campaign_reward(kind: str, reward: CampaignReward) -> None:
    """Called from a higher app's ``AppConfig.ready()``."""
    _rewards[kind] = reward


def campaign_rewards() -> dict[str, CampaignReward]:
    return dict(_rewards)


def marketing_cap() -> int:
    return int(getattr(settings, "MARKETING_NOTIFICATIONS_PER_WEEK", 3))


def campaign_create(
    *,
    actor,
    name: str,
    segment: str,
    goal_event: str,
    title: str = "",
    body: str = "",
    reward_kind: str = "",
    reward_ref: int | None = None,
    holdout_percent: int = 10,
    window_hours: int = 168,
) -> Campaign:
    """A draft campaign to a segment: a notification and/or a reward, and its holdout."""
    name, title, body = name.strip(), title.strip(), body.strip()
    if not name:
        raise CampaignInvalidError("Give the campaign a name.", field="name")
    if segment not in CampaignSegment.values:
        raise CampaignInvalidError("Unknown segment.", field="segment")
    if not title and not reward_kind:
        raise CampaignInvalidError("Send a notification, a reward, or both.", field="title")
    if body and not title:
        raise CampaignInvalidError("A notification needs a title.", field="title")
    if reward_kind:
        reward = _rewards.get(reward_kind)
        if reward is None:
            raise CampaignInvalidError("Unknown reward kind.", field="reward_kind")
        if reward_ref is None or not reward.exists(reward_ref):
            raise CampaignInvalidError("No such reward to grant.", field="reward_ref")
    elif reward_ref is not None:
        raise CampaignInvalidError("Pick the reward kind too.", field="reward_kind")
    if not 1 <= holdout_percent <= 50:
        raise CampaignInvalidError("Hold out between 1 and 50 percent.", field="holdout_percent")
    if not 1 <= window_hours <= MAX_WINDOW_HOURS:
        raise CampaignInvalidError("The window is 1 hour to 30 days.", field="window_hours")
    if not event_name_known(goal_event):
        raise CampaignInvalidError("The goal is not an event the app records.", field="goal_event")
    return Campaign.objects.create(
        name=name,
        segment=segment,
        title=title,
        body=body,
        reward_kind=reward_kind,
        reward_ref=reward_ref if reward_kind else None,
        holdout_percent=holdout_percent,
        goal_event=goal_event,
        window_hours=window_hours,
        created_by=actor,
    )


@transaction.atomic
def campaign_send(*, actor, campaign_id: int) -> Campaign:
    """Start sending a draft (a campaign still sending is resumed; a sent one is refused)."""
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise CampaignNotFoundError()
    if campaign.status == CampaignStatus.SENT:
        raise CampaignAlreadySentError()
    if campaign.status == CampaignStatus.DRAFT:
        campaign.status = CampaignStatus.SENDING
        campaign.save(update_fields=["status"])
        log.info("campaign.send", campaign_id=campaign.pk, actor_id=getattr(actor, "pk", None))
    enqueue_on_commit("community.tasks.send_campaign", campaign.pk)
    return campaign


def in_holdout(campaign: Campaign, user_id: int) -> bool:
    """Random but reproducible: the same hash as experiments, seeded by the campaign."""
    return bucket(f"campaign:{campaign.pk}", f"u:{user_id}") < campaign.holdout_percent / 100


def _snapshot(campaign_id: int, now: datetime) -> Campaign | None:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != CampaignStatus.SENDING:
            return None
        if campaign.sent_at is None:  # the first run chooses the members; a rerun keeps them
            members = segment_member_ids(campaign.segment)
            rows = []
            for user_id in members:
                held = in_holdout(campaign, user_id)
                rows.append(
                    CampaignRecipient(
                        campaign=campaign,
                        user_id=user_id,
                        group=RecipientGroup.HOLDOUT if held else RecipientGroup.TREATED,
                        status=RecipientStatus.HELD_OUT if held else RecipientStatus.PENDING,
                    )
                )
            CampaignRecipient.objects.bulk_create(rows, ignore_conflicts=True)
            campaign.sent_at = now
            campaign.save(update_fields=["sent_at"])
        return campaign


def _touch(campaign: Campaign, recipient_id: int, now: datetime) -> None:
    with transaction.atomic():
        recipient = (
            CampaignRecipient.objects.select_for_update()
            .filter(pk=recipient_id, status=RecipientStatus.PENDING)
            .first()
        )
        if recipient is None:
            return  # touched by an earlier run
        status = RecipientStatus.NOTIFIED
        if campaign.title:
            # The member's row serialises every campaign's cap check for this member.
            User.objects.select_for_update().filter(pk=recipient.user_id).first()
            recent = CampaignRecipient.objects.filter(
                user_id=recipient.user_id, notified_at__gt=now - timedelta(days=CAP_DAYS)
            ).count()
            if recent >= marketing_cap():
                recipient.status = RecipientStatus.SKIPPED_CAP
                recipient.save(update_fields=["status"])
                return
            notification_send(
                user_id=recipient.user_id,
                type=NOTIFICATION_TYPE,
                title=campaign.title,
                body=campaign.body,
                data={"campaign": campaign.pk},
                dedupe_key=f"campaign:{campaign.pk}",
            )
            recipient.notified_at = now
        if campaign.reward_kind and campaign.reward_ref is not None:
            reward = _rewards.get(campaign.reward_kind)
            try:
                with transaction.atomic():
                    if reward is None:
                        raise CampaignInvalidError("The reward kind is no longer registered.")
                    reward.grant(
                        recipient.user_id,
                        campaign.reward_ref,
                        f"campaign:{campaign.pk}:{recipient.user_id}",
                    )
                recipient.reward_granted = True
            except (DomainError, ObjectDoesNotExist) as error:  # sold out, gone: message goes
                code = getattr(error, "code", "not_found")
                log.info("campaign.reward_refused", campaign_id=campaign.pk, code=code)
        recipient.status = status
        recipient.save(update_fields=["status", "notified_at", "reward_granted"])


def campaign_deliver(*, campaign_id: int, now: datetime | None = None) -> int:
    """The task's work: snapshot the segment once, touch every pending treated member, mark the
    campaign sent; returns how many members were touched by this run."""
    now = now or timezone.now()
    campaign = _snapshot(campaign_id, now)
    if campaign is None:
        return 0
    pending = list(
        CampaignRecipient.objects.filter(
            campaign=campaign, status=RecipientStatus.PENDING
        ).values_list("pk", flat=True)
    )
    for recipient_id in pending:
        _touch(campaign, recipient_id, now)
    Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
        status=CampaignStatus.SENT
    )
    return len(pending)
