"""Request ids and user ids in structlog's contextvars, echoed back as X-Request-ID."""

import re
import uuid

import structlog
from django.http import HttpRequest, HttpResponse, JsonResponse

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = structlog.get_logger(__name__)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class BindUserMiddleware:
    """Runs after authentication so every log line of the request names its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            structlog.contextvars.bind_contextvars(user_id=user.pk)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is refused with 400 before any view runs:
    PostgreSQL text cannot hold one, so it would otherwise surface as a 500 from the first lookup
    that used it (share codes, search terms, topic names)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return JsonResponse(
                {"code": "bad_request", "detail": "The address contains a NUL character."},
                status=400,
            )
        return self.get_response(request)
