from django.conf import settings

from community.selectors.notifications import notifications_unread_count


def realtime(request):
    context = {"realtime_ws_path": "/ws/", "debug": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notifications_unread_count(user=user)
    return context
