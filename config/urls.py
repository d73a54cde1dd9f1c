from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("internal/realtime/relay", realtime_relay, name="realtime-relay"),
    *(
        [path("internal/live/<str:event>", ingest_callback, name="live-ingest")]
        if ingest_available()
        else []
    ),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
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
