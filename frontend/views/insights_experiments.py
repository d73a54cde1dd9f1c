"""Staff pages for experiments and campaigns (PRODUCT.md §17): reads through community's insights
selectors; creating, sending and the results panels go through the REST API from experiments.js."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.models import CampaignSegment
from community.selectors.insights.campaigns import campaign_list
from community.selectors.insights.experiments import (
    KNOWN_EVENT_NAMES,
    can_view_insights,
    experiment_list,
)

LIST_SIZE = 50


def marketing_cap() -> int:
    return int(getattr(settings, "MARKETING_NOTIFICATIONS_PER_WEEK", 3))


def _staff_only(request) -> None:
    if not can_view_insights(request.user):
        raise PermissionDenied("Only staff see insights.")


@login_required
@ensure_csrf_cookie
def experiments_page(request):
    _staff_only(request)
    experiments = list(experiment_list()[:LIST_SIZE])
    context = {
        "experiments": experiments,
        "variants": {e.key: e.variants for e in experiments},
        "events": sorted(KNOWN_EVENT_NAMES),
    }
    return render(request, "frontend/insights/experiments.html", context)


@login_required
@ensure_csrf_cookie
def campaigns_page(request):
    _staff_only(request)
    context = {
        "campaigns": list(campaign_list()[:LIST_SIZE]),
        "segments": CampaignSegment.choices,
        "cap": marketing_cap(),
        "events": sorted(KNOWN_EVENT_NAMES),
    }
    return render(request, "frontend/insights/campaigns.html", context)
