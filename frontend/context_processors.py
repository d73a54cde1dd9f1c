from django.conf import settings

from community.selectors.notifications import notifications_last_seq, notifications_unread_count


def realtime(request):
    context = {"realtime_ws_path": "/ws/", "debug": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notifications_unread_count(user=user)
        # The page shows the inbox as of this seq; the socket asks for everything after it, so a
        # notification sent between rendering and connecting is replayed, not lost.
        context["notification_last_seq"] = notifications_last_seq(user=user)
    return context
