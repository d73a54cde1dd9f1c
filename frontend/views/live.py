"""Livestream pages: the list, the live page (video, comments, likes, pinned product) and the
host's console. Reads through chat's selectors; every write goes through the REST API."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from chat.selectors import live as live_selectors
from chat.selectors.live import can_moderate, is_creator, live_batch_interval_ms
from chat.selectors.live_video import playback_url
from community.selectors.accounts import can_moderate_content
from groupbuy.selectors.storefronts import storefront_products_of


@ensure_csrf_cookie
def live_list_page(request):
    streams = list(live_selectors.livestream_list()[:50])
    viewer = request.user if request.user.is_authenticated else None
    context = {"streams": streams, "can_host": is_creator(viewer)}
    return render(request, "frontend/live/list.html", context)


@login_required
@ensure_csrf_cookie
def live_page(request, stream_id: int):
    stream = live_selectors.livestream_get(stream_id=stream_id)
    context = {
        "stream": stream,
        "is_host": stream.host_id == request.user.pk,
        "can_moderate": can_moderate(request.user, stream),
        # Moderators (and staff) act on a comment from this page through moderation itself.
        "is_moderator": can_moderate_content(request.user),
        "batch_ms": live_batch_interval_ms(),
        "subscribed": live_selectors.is_subscribed(stream=stream, user=request.user),
        # The live HLS playlist, the replay, an outside URL, or "" (the poster shows instead).
        "playback_url": playback_url(stream, request.get_host()),
    }
    return render(request, "frontend/live/live.html", context)


@login_required
@ensure_csrf_cookie
def live_console_page(request, stream_id: int):
    stream = live_selectors.livestream_get(stream_id=stream_id)
    if stream.host_id != request.user.pk:
        raise PermissionDenied("Only the host runs the console.")
    context = {
        "stream": stream,
        "deal_floor_percent": round(settings.LIVE_DEAL_MIN_PRICE_RATIO * 100),
        "my_products": list(storefront_products_of(owner=request.user)[:200]),
    }
    return render(request, "frontend/live/console.html", context)


@login_required
@ensure_csrf_cookie
def live_new_page(request):
    if not is_creator(request.user):
        raise PermissionDenied("Only creators host livestreams.")
    return render(request, "frontend/live/new.html", {})
