"""Security headers the pages need (finding 7 of issue #17): Content-Security-Policy with a
per-request nonce, and Permissions-Policy."""

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse


def _live_media_origin(request: HttpRequest) -> str:
    """Where players fetch live HLS (chat.selectors.live_video.media_base_url): its own port,
    so another origin than the page's."""
    configured = getattr(settings, "LIVE_MEDIA_URL", "")
    if configured:
        parts = urlsplit(configured)
        return f"{parts.scheme}://{parts.netloc}"
    port = getattr(settings, "LIVE_MEDIA_PORT", None)
    if port is None:
        return ""
    try:
        host = request.get_host().rsplit(":", 1)[0]
    except DisallowedHost:
        return ""
    return f"http://{host}:{port}"


def _content_security_policy(nonce: str, media_origin: str = "") -> str:
    directives = {
        "default-src": "'self'",
        # 'unsafe-eval': the vendored Alpine.js evaluates its x-* attribute expressions with
        # new Function() (its CSP build would mean rewriting every template's expressions).
        # Inline <script> runs only with this response's nonce.
        "script-src": f"'self' 'nonce-{nonce}' 'unsafe-eval'",
        # Style attributes are used across the templates, and htmx injects its indicator style.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        # A livestream may play from an outside https URL (LiveStream.stream_url) or from our
        # media server's origin, through Media Source Extensions (blob:) and playlist fetches.
        "media-src": f"'self' blob: https: {media_origin}".strip(),
        "connect-src": f"'self' https: {media_origin}".strip(),
        # hls.js runs its transmuxer in a worker made from a blob.
        "worker-src": "'self' blob:",
        "font-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Powerful features no page uses are off for the page and every frame; clipboard-write stays (the
# share and invite "copy link" buttons), autoplay is the site's own (the livestream player).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(self), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy (nonce in ``request.csp_nonce``) and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY_ENABLED:
            response.headers.setdefault(
                "Content-Security-Policy",
                _content_security_policy(nonce, _live_media_origin(request)),
            )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def csp_nonce(request: HttpRequest) -> dict[str, str]:
    """Template context: ``csp_nonce`` for the few inline <script> blocks of the pages."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
