"""Who is on the other end of a socket: origin check, then session cookie or DRF token.

Browsers always send ``Origin``; a foreign one is refused. A client that sends no ``Origin`` is not
a browser, so a cookie it carries cannot have been smuggled in by another site, but it still must
prove itself: without an Origin header only token authentication counts.
"""

from urllib.parse import urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.http import is_same_domain
from rest_framework.authtoken.models import Token

TOKEN_SUBPROTOCOL_PREFIX = "token."


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def offered_subprotocols(scope) -> list[str]:
    return list(scope.get("subprotocols") or [])


def token_from_scope(scope) -> str | None:
    authorization = _header(scope, b"authorization")
    if authorization:
        kind, _, key = authorization.partition(" ")
        if kind.lower() == "token" and key.strip():
            return key.strip()
    for protocol in offered_subprotocols(scope):
        if protocol.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return protocol[len(TOKEN_SUBPROTOCOL_PREFIX) :]
    return None


def origin_allowed(origin: str) -> bool:
    host = urlparse(origin).hostname
    if not host:
        return False
    return any(is_same_domain(host, pattern) for pattern in settings.ALLOWED_HOSTS)


@database_sync_to_async
def _user_for_token(key: str):
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenOrSessionAuth:
    """A token, when offered, decides alone (the session is not looked up at all); otherwise a
    browser (it sent Origin) is known by its session cookie; anything else is anonymous."""

    def __init__(self, inner):
        self.inner = inner
        self.session_auth = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        key = token_from_scope(scope)
        if key:
            scope["user"] = await _user_for_token(key)
            scope["auth_method"] = "token"
            return await self.inner(scope, receive, send)
        if _header(scope, b"origin") is None:
            scope["user"] = AnonymousUser()
            scope["auth_method"] = "none"
            return await self.inner(scope, receive, send)
        scope["auth_method"] = "session"
        return await self.session_auth(scope, receive, send)


class OriginValidator:
    """Refuses a handshake whose Origin is not one of ALLOWED_HOSTS."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        origin = _header(scope, b"origin")
        if origin is not None and not origin_allowed(origin):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.inner(scope, receive, send)


CLOSE_UNAUTHENTICATED = 4401


class RequireAuthentication:
    """Turns anonymous handshakes away before a consumer exists, so they never open a
    channel-layer reader (cheap to refuse, and nothing is left running to cancel)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is not None and user.is_authenticated:
            return await self.inner(scope, receive, send)
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED})
        return None


def RealtimeAuthStack(inner):
    return OriginValidator(TokenOrSessionAuth(RequireAuthentication(inner)))
