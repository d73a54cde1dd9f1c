"""Campaign reads: the list and each campaign's uplift over its holdout.

Conversion is a recipient with the goal event within ``window_hours`` after the campaign was sent,
the same window for both groups. The treated group is everyone assigned to it, including members
skipped by the frequency cap (intention to treat), so the cap cannot flatter the uplift. The
statistics are the experiments' (``compare_arms``): holdout as control, a two-proportion z-test,
Newcomb's interval for the difference, an SRM check against the holdout share; no verdict until
the window has closed.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from community.models import Campaign, CampaignRecipient, CampaignStatus, Event, RecipientGroup
from community.selectors.insights.experiments import compare_arms


def campaign_list():
    return Campaign.objects.order_by("-created_at", "-id")


def campaign_get(*, campaign_id: int) -> Campaign | None:
    return Campaign.objects.filter(pk=campaign_id).first()


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def campaign_results(campaign: Campaign, *, now: datetime | None = None) -> dict[str, Any]:
    """Treated vs holdout: members, conversions, rates, uplift with p-value and 95 % interval."""
    now = now or timezone.now()
    groups: dict[str, dict[str, int]] = {
        RecipientGroup.TREATED: {"members": 0, "converted": 0, "notified": 0, "skipped_cap": 0},
        RecipientGroup.HOLDOUT: {"members": 0, "converted": 0, "notified": 0, "skipped_cap": 0},
    }
    window_closed = False
    if campaign.sent_at is not None:
        end = campaign.sent_at + timedelta(hours=campaign.window_hours)
        window_closed = now >= end
        goal = Event.objects.filter(
            actor=Concat(Value("u:"), OuterRef("user_id"), output_field=CharField()),
            name=campaign.goal_event,
            at__gte=campaign.sent_at,
            at__lte=end,
        )
        rows = (
            CampaignRecipient.objects.filter(campaign=campaign)
            .annotate(converted=Exists(goal))
            .values("group")
            .annotate(
                members=Count("id"),
                converted_count=Count("id", filter=Q(converted=True)),
                notified=Count("id", filter=Q(status="notified")),
                skipped_cap=Count("id", filter=Q(status="skipped_cap")),
            )
        )
        for row in rows:
            groups[row["group"]] = {
                "members": row["members"],
                "converted": row["converted_count"],
                "notified": row["notified"],
                "skipped_cap": row["skipped_cap"],
            }
    treated, holdout = groups[RecipientGroup.TREATED], groups[RecipientGroup.HOLDOUT]
    stats = compare_arms(
        [(holdout["members"], holdout["converted"]), (treated["members"], treated["converted"])],
        weights=[campaign.holdout_percent, 100 - campaign.holdout_percent],
        # Fixed horizon for a campaign: its window. Before it closes, no verdict.
        planned_per_variant=1,
    )
    comparison = stats["comparisons"][0]
    verdict = stats["verdict"]
    if campaign.status != CampaignStatus.SENT or not window_closed:
        verdict = "srm" if verdict == "srm" else "collecting"

    def rate(group: dict[str, int]) -> float | None:
        return group["converted"] / group["members"] if group["members"] else None

    treated_rate, holdout_rate = rate(treated), rate(holdout)
    relative = (
        (treated_rate - holdout_rate) / holdout_rate
        if treated_rate is not None and holdout_rate
        else None
    )
    return {
        "id": campaign.pk,
        "status": campaign.status,
        "sent_at": campaign.sent_at,
        "window_hours": campaign.window_hours,
        "goal_event": campaign.goal_event,
        "treated": {**treated, "rate": _round(treated_rate)},
        "holdout": {**holdout, "rate": _round(holdout_rate)},
        "uplift": _round(comparison["difference"]),
        "relative_uplift": _round(relative),
        "ci": [_round(x) for x in comparison["ci"]] if comparison["ci"] else None,
        "p_value": _round(stats["p_value"]),
        "srm_p_value": _round(stats["srm_p_value"]),
        "verdict": verdict,
    }
