"""ASGI entry point: HTTP and the one WebSocket endpoint /ws/ (daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from config.limits import limit_body_size  # noqa: E402
from realtime.auth import RealtimeAuthStack  # noqa: E402
from realtime.consumers import RealtimeConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Oversized bodies are refused before Django spools them (config/limits.py).
        "http": limit_body_size(django_asgi_app),
        "websocket": RealtimeAuthStack(URLRouter([path("ws/", RealtimeConsumer.as_asgi())])),
    }
)
