"""Request ids and user ids in structlog's contextvars, echoed back as X-Request-ID."""

import ipaddress
import re
import uuid
from functools import lru_cache

import structlog
from django.conf import settings
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


@lru_cache(maxsize=8)
def _networks(
    trusted: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _trusted(address: str, trusted: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(trusted))


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address: the peer itself, unless the peer is a trusted proxy; then the
    nearest X-Forwarded-For hop that is not one (hops further left are the client's to write)."""
    if not trusted or not _trusted(remote_addr, trusted):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote_addr  # garbage from the proxy chain: keep the peer
    return hops[0] if hops else remote_addr


class ClientAddressMiddleware:
    """REMOTE_ADDR becomes the client's real address (TRUSTED_PROXIES, none by default), and
    X-Forwarded-For is dropped, so that throttles, share-click fraud checks and logs key on an
    address the client cannot write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded_for = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        request.META["REMOTE_ADDR"] = client_address(
            request.META.get("REMOTE_ADDR", ""), forwarded_for, tuple(settings.TRUSTED_PROXIES)
        )
        return self.get_response(request)
