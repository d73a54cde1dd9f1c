"""The member's notifications (the latest ones; the socket keeps the page live)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.selectors.notifications import notifications_latest


@login_required
@ensure_csrf_cookie
def notifications_page(request):
    latest = notifications_latest(user=request.user, limit=50)
    return render(request, "frontend/notifications.html", {"notifications": latest})
