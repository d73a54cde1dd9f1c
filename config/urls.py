from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from chat.api.live_video import ingest_callback
from chat.selectors.live_video import ingest_available
from config.exceptions import api_not_found
from config.health import healthz
from feeds.api.urls import root_urlpatterns as feeds_root_urlpatterns
from realtime.views import relay as realtime_relay

api_v1 = [
    path("", include("community.api.urls")),
    path("", include("groupbuy.api.urls")),
    path("", include("chat.api.urls")),
    path("", include("feeds.api.urls")),
]


def internal_urlpatterns() -> list:
    """Internal endpoints, mounted only in the mode that needs them (DESIGN.md)."""
    patterns = []
    if settings.REALTIME_RELAY_ENABLED:
        patterns.append(path("internal/realtime/relay", realtime_relay, name="realtime-relay"))
    if ingest_available():
        # nginx-rtmp's callbacks, only where nginx with the RTMP module can call them.
        patterns.append(path("internal/live/<str:event>", ingest_callback, name="live-ingest"))
    return patterns


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    *internal_urlpatterns(),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a script file, not inline (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    re_path(r"^api/", api_not_found),
    path("", include(feeds_root_urlpatterns)),
    path("", include("frontend.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded mode serves uploads itself; production puts them behind the proxy or a bucket.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
