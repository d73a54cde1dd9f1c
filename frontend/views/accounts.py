"""Home, sign-in, registration and the member's own page: read through community's selectors;
every write goes through the REST API."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import ensure_csrf_cookie

from community.selectors import tier_progress, user_roles
from community.selectors.loyalty import tier_benefits


def _safe_next(request) -> str:
    target = request.GET.get("next", "/")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if allowed else "/"


@ensure_csrf_cookie
def home(request):
    context = {}
    if request.user.is_authenticated:
        context = {"next_tier": tier_progress(request.user), "roles": user_roles(request.user)}
    return render(request, "frontend/home.html", context)


@ensure_csrf_cookie
def login_page(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    return render(request, "frontend/login.html", {"next": _safe_next(request)})


@ensure_csrf_cookie
def register_page(request):
    if request.user.is_authenticated:
        return redirect("/")
    return render(request, "frontend/register.html", {"next": _safe_next(request)})


@login_required
@ensure_csrf_cookie
def me_page(request):
    context = {
        "next_tier": tier_progress(request.user),
        "roles": user_roles(request.user),
        "benefits": tier_benefits().filter(tier=request.user.tier).first(),
        "invite_points": settings.INVITE_REGISTRATION_POINTS,
    }
    return render(request, "frontend/me.html", context)
