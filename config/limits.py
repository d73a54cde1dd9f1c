"""Request-body caps, enforced before anything reads the body (finding 6 of issue #17).

Two doors: ``limit_body_size`` wraps the ASGI app (daphne), where Django would otherwise spool
the whole body before any middleware runs; ``BodySizeLimitMiddleware`` covers WSGI (gunicorn),
where the body is read lazily, so a middleware is early enough.
"""

import json
from collections.abc import Awaitable, Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

ASGIApp = Callable[..., Awaitable[None]]


def body_cap(content_type: str) -> int:
    """The largest body accepted for a request of this content type."""
    if content_type.lower().startswith("multipart/form-data"):
        return settings.UPLOAD_MAX_BODY_BYTES
    return settings.REQUEST_MAX_BODY_BYTES


def _too_large_body(cap: int) -> dict[str, str]:
    return {"code": "too_large", "detail": f"The request body is larger than {cap} bytes."}


class BodySizeLimitMiddleware:
    """Refuse a body whose Content-Length passes the cap with 413 ``too_large``, unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cap = body_cap(request.META.get("CONTENT_TYPE", ""))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"code": "bad_request", "detail": "Content-Length is not a number."}, status=400
            )
        if length > cap:
            return JsonResponse(_too_large_body(cap), status=413)
        return self.get_response(request)


async def _send_too_large(send, cap: int) -> None:
    body = json.dumps(_too_large_body(cap)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def limit_body_size(app: ASGIApp) -> ASGIApp:
    """Wrap an ASGI HTTP app so that an oversized body is refused before the app reads it."""

    async def limited(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        cap = body_cap(headers.get(b"content-type", b"").decode("latin-1"))
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > cap
            except ValueError:
                too_large = False  # left to Django's own 400
            if too_large:
                return await _send_too_large(send, cap)
            return await app(scope, receive, send)
        # No Content-Length (chunked): count what arrives, keeping at most the cap.
        buffered: list[dict] = []
        size = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > cap:
                return await _send_too_large(send, cap)
            if not message.get("more_body", False):
                break

        async def replay() -> dict:
            return buffered.pop(0) if buffered else await receive()

        return await app(scope, replay, send)

    return limited
