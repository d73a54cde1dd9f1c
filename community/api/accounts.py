"""Accounts: registration, login and logout, the member's own account, public user pages."""

from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.exceptions import ForeignOriginError
from community.models import User
from community.selectors.accounts import (
    can_moderate_content,
    tier_progress,
    user_get_public,
    user_roles,
)
from community.services.accounts import (
    user_login,
    user_logout,
    user_register,
    user_session_open,
    user_update_profile,
)
from community.services.social import user_delete
from config.parsers import JSONParser

# --- serializers -------------------------------------------------------------------------------


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        min_length=3,
        error_messages={"invalid": "Use letters, digits and @/./+/-/_ only."},
    )
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    invite_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class NextTierSerializer(serializers.Serializer):
    tier = serializers.CharField()
    threshold = serializers.IntegerField()
    growth_needed = serializers.IntegerField()


def _avatar_url(user: User, request) -> str | None:
    if not user.avatar:
        return None
    url = user.avatar.url
    return request.build_absolute_uri(url) if request is not None else url


def _sees_hidden_profile(serializer, user: User) -> bool:
    request = serializer.context.get("request")
    viewer = getattr(request, "user", None)
    return bool(viewer and (viewer.pk == user.pk or can_moderate_content(viewer)))


class UserPublicSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "avatar_url",
            "bio",
            "region",
            "tier",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, user: User) -> str | None:
        return _avatar_url(user, self.context.get("request"))

    def to_representation(self, user: User) -> dict:
        data = super().to_representation(user)
        if user.profile_hidden_at is not None and not _sees_hidden_profile(self, user):
            # Hidden by moderation: the member is still there, their own words and face are not.
            data.update(display_name="", bio="", avatar_url=None, region="")
        return data


class MeSerializer(UserPublicSerializer):
    next_tier = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta(UserPublicSerializer.Meta):
        fields = [
            "id",
            "username",
            "display_name",
            "avatar_url",
            "bio",
            "region",
            "tier",
            "growth_value",
            "next_tier",
            "points_balance",
            "roles",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(NextTierSerializer(allow_null=True))
    def get_next_tier(self, user: User) -> dict | None:
        return tier_progress(user)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: User) -> list[str]:
        return user_roles(user)


class MeUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=280, required=False, allow_blank=True)
    region = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AuthResultSerializer(serializers.Serializer):
    user = MeSerializer()
    token = serializers.CharField()


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


# --- views -------------------------------------------------------------------------------------


class SameOriginSignIn(permissions.BasePermission):
    """Sign-in and sign-up open a browser session: a browser may ask only from this site's pages.

    DRF checks CSRF only for requests already in a session, so without this a foreign page could
    sign a visitor's browser into the attacker's account (login CSRF). Apps and scripts send no
    Origin; browsers always send one with a cross-site POST.
    """

    def has_permission(self, request, view) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        # The host, not the scheme: behind a TLS proxy the request may look like plain http.
        if urlsplit(origin).netloc == request.get_host() or origin in settings.CSRF_TRUSTED_ORIGINS:
            return True
        raise ForeignOriginError()


class RegisterView(APIView):
    permission_classes = [SameOriginSignIn]
    # JSON only: a form post is the one body a foreign page can send without a CORS preflight.
    parser_classes = [JSONParser]
    throttle_scope = "auth"

    @extend_schema(request=RegisterInputSerializer, responses={201: AuthResultSerializer})
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = user_register(**data.validated_data)
        user_session_open(request=request._request, user=user)
        body = {"user": MeSerializer(user, context={"request": request}).data, "token": token}
        return Response(body, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [SameOriginSignIn]
    # JSON only: a form post is the one body a foreign page can send without a CORS preflight.
    parser_classes = [JSONParser]
    throttle_scope = "auth"

    @extend_schema(request=LoginInputSerializer, responses={200: AuthResultSerializer})
    def post(self, request: Request) -> Response:
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = user_login(request=request._request, **data.validated_data)
        body = {"user": MeSerializer(user, context={"request": request}).data, "token": token}
        return Response(body)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        user_logout(request=request._request, user=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=AccountDeleteSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Delete my account (the same operation as ``/api/v1/me/account/``)."""
        return account_delete(request)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request: Request) -> Response:
        data = MeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = user_update_profile(user=cast(User, request.user), **data.validated_data)
        return Response(MeSerializer(user, context={"request": request}).data)


class UserDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=UserPublicSerializer)
    def get(self, request: Request, username: str) -> Response:
        user = user_get_public(username=username)
        return Response(UserPublicSerializer(user, context={"request": request}).data)


class AccountDeleteView(APIView):
    @extend_schema(request=AccountDeleteSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        return account_delete(request)

    @extend_schema(request=AccountDeleteSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        return account_delete(request)


def account_delete(request: Request) -> Response:
    """Check the password, delete the account and end this session (also for ``DELETE /me/``)."""
    data = AccountDeleteSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user_delete(actor=cast(User, request.user), password=data.validated_data["password"])
    logout(request._request)
    return Response(status=status.HTTP_204_NO_CONTENT)
