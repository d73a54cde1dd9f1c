"""The project's URLs with the relay mounted, as config.urls mounts it with the in-memory layer
(the test process may run on Redis, where config.urls leaves it out)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from realtime.views import relay

urlpatterns = [path("internal/realtime/relay", relay, name="realtime-relay"), *project_urlpatterns]
