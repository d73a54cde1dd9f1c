"""``GET /healthz``: is every dependency this process needs reachable?"""

from typing import Any, cast

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection
from kombu.exceptions import OperationalError as KombuOperationalError
from redis import Redis
from redis.exceptions import RedisError


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _channel_layer() -> str:
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return "in_memory"
    config = cast(dict[str, Any], settings.CHANNEL_LAYERS["default"]["CONFIG"])
    address = config["hosts"][0]["address"]
    try:
        Redis.from_url(address, socket_timeout=2, socket_connect_timeout=2).ping()
    except (RedisError, OSError) as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return "embedded"
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except (OSError, KombuOperationalError) as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    parts = {"database": _database(), "channel_layer": _channel_layer(), "broker": _broker()}
    healthy = all(not value.startswith("error") for value in parts.values())
    body = {"status": "ok" if healthy else "error", **parts}
    return JsonResponse(body, status=200 if healthy else 503)
