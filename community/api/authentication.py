"""The API's authentication classes: DRF's token and session schemes, refusing writes from a
suspended member (403 ``sanctioned``) before any view runs.

A module of its own, importing no views: DRF loads it while ``rest_framework.views`` is still
being imported.
"""

from rest_framework import authentication, permissions

from community.services.moderation.sanctions import ensure_not_suspended

# A suspended member may still read, sign out and appeal; every other write is refused.
_WRITES_A_SUSPENDED_MEMBER_MAY_MAKE = ("/api/v1/auth/logout/", "/api/v1/appeals/")


class _RefusesWritesWhileSuspended:
    def authenticate(self, request):
        result = super().authenticate(request)  # type: ignore[misc]
        if (
            result is not None
            and request.method not in permissions.SAFE_METHODS
            and request.path not in _WRITES_A_SUSPENDED_MEMBER_MAY_MAKE
        ):
            ensure_not_suspended(result[0])
        return result


class TokenAuthentication(_RefusesWritesWhileSuspended, authentication.TokenAuthentication):
    """``Authorization: Token <key>``; a suspended member's writes answer 403 ``sanctioned``."""


class SessionAuthentication(_RefusesWritesWhileSuspended, authentication.SessionAuthentication):
    """The browser session (with CSRF); a suspended member's writes answer 403 ``sanctioned``."""
