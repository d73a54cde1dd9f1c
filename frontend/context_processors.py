from django.conf import settings


def realtime(request):
    return {"realtime_ws_path": "/ws/", "debug": settings.DEBUG}
