"""Group-buy pages: campaigns, a team's live page and my group buys. Reads through groupbuy's
selectors; joining and opening go through the REST API from the page's script."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from chat.selectors.rooms import team_room_id_for_member
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.selectors.teams import (
    campaign_snapshot,
    campaign_snapshots,
    campaigns_live,
    team_snapshot,
    teams_of_member,
)
from realtime.envelopes import server_time


@ensure_csrf_cookie
def campaigns_page(request):
    campaigns = campaign_snapshots(campaigns_live(viewer=request.user)[:30])
    return render(request, "frontend/teams/campaigns.html", {"campaigns": campaigns})


@ensure_csrf_cookie
def campaign_page(request, campaign_id: int):
    try:
        snapshot = campaign_snapshot(campaign_id, viewer=request.user)
    except ShopNotFoundError as missing:
        raise Http404 from missing
    context = {"campaign": snapshot, "server_time": server_time()}
    return render(request, "frontend/teams/campaign.html", context)


@ensure_csrf_cookie
def team_page(request, team_id: int):
    try:
        snapshot = team_snapshot(team_id)
    except ShopNotFoundError as missing:
        raise Http404 from missing
    viewer_id = request.user.pk if request.user.is_authenticated else None
    room_id = team_room_id_for_member(team_id=team_id, user_id=viewer_id) if viewer_id else None
    context = {
        "room_id": room_id,
        "team": snapshot,
        "server_time": server_time(),
        "empty_seats": range(snapshot["seats_left"]),
        "is_member": any(m["user_id"] == viewer_id for m in snapshot["members"]),
        "share_url": request.build_absolute_uri(snapshot["share_url"]),
    }
    return render(request, "frontend/teams/team.html", context)


@login_required
def my_group_buys_page(request):
    seats = teams_of_member(user=request.user)[:100]
    return render(request, "frontend/teams/mine.html", {"seats": seats})
