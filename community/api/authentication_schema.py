"""OpenAPI descriptions of our authentication classes (drf-spectacular matches the session scheme
by exact class); imported from ``CommunityConfig.ready()``."""

from drf_spectacular.authentication import SessionScheme, TokenScheme


class SuspensionAwareSessionScheme(SessionScheme):
    target_class = "community.api.authentication.SessionAuthentication"


class SuspensionAwareTokenScheme(TokenScheme):
    target_class = "community.api.authentication.TokenAuthentication"
