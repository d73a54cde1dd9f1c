"""Embedded mode: a Celery worker's pushes reach daphne's in-memory channel layer over loopback.

The in-memory layer exists only inside the daphne process. ``python -m config.serve`` points the
worker at daphne with REALTIME_RELAY_URL; the body is signed with SECRET_KEY so nothing else on the
machine can inject events.
"""

import hashlib
import hmac
import json
import urllib.request

from django.conf import settings

SIGNATURE_HEADER = "X-Tuanju-Relay-Signature"
RELAY_PATH = "/internal/realtime/relay"
# The consumer handlers publish.py addresses (realtime.consumers.RealtimeConsumer); nothing else
# crosses the relay, above all no websocket.* frame.
RELAYED_MESSAGE_TYPES = frozenset({"realtime.event", "realtime.revoke", "realtime.disconnect"})


def sign(body: bytes) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(body), signature or "")


def relay_message(group: str, message: dict) -> None:
    body = json.dumps({"group": group, "message": message}, default=str).encode()
    request = urllib.request.Request(
        settings.REALTIME_RELAY_URL.rstrip("/") + RELAY_PATH,
        data=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        response.read()
