"""Staff insights pages: the metrics dashboard. The page renders its frame and the date range;
insights.js reads every number from the staff REST endpoints (the same ones that answer CSV) and
the live panel from the ``insights.live`` socket topic."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from community.selectors.insights.metrics import default_range
from community.selectors.moderation import is_staff_member


@login_required
def dashboard_page(request):
    if not is_staff_member(request.user):
        raise PermissionDenied("Only staff see the insights dashboard.")
    start, end = default_range()
    return render(
        request,
        "frontend/insights/dashboard.html",
        {"default_from": start.isoformat(), "default_to": end.isoformat()},
    )
