"""``GET /s/<code>``: record the click, remember it for a registration, land on the target."""

import secrets

from django.http import Http404, HttpRequest, HttpResponseRedirect

from feeds.services.shares import Visitor, share_click_record

DEVICE_COOKIE = "tj_device"
SESSION_CLICKS = "feeds_share_clicks"
DEVICE_COOKIE_AGE = 400 * 24 * 3600


def visitor_of(request: HttpRequest, user, device_id: str) -> Visitor:
    return Visitor(
        user=user,
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        device_id=device_id,
    )


def share_redirect(request: HttpRequest, code: str) -> HttpResponseRedirect:
    device_id = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    user = request.user if request.user.is_authenticated else None
    click = share_click_record(code=code, visitor=visitor_of(request, user, device_id))
    if click is None:
        raise Http404("No such share link.")
    if user is None:
        # A registration or sign-in from this browser later claims the click (window checked then).
        request.session[SESSION_CLICKS] = [*request.session.get(SESSION_CLICKS, [])[-9:], click.pk]
    response = HttpResponseRedirect(click.link.target_url)
    response.set_cookie(
        DEVICE_COOKIE, device_id, max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax"
    )
    return response
