from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api import serializers as s
from community.api.social_serializers import AccountDeleteSerializer
from community.api.social_views import account_delete
from community.models import User
from community.selectors import user_get_public
from community.services import (
    user_login,
    user_logout,
    user_register,
    user_session_open,
    user_update_profile,
)


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=s.RegisterInputSerializer, responses={201: s.AuthResultSerializer})
    def post(self, request: Request) -> Response:
        data = s.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = user_register(**data.validated_data)
        user_session_open(request=request._request, user=user)
        body = {"user": s.MeSerializer(user, context={"request": request}).data, "token": token}
        return Response(body, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=s.LoginInputSerializer, responses={200: s.AuthResultSerializer})
    def post(self, request: Request) -> Response:
        data = s.LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = user_login(request=request._request, **data.validated_data)
        body = {"user": s.MeSerializer(user, context={"request": request}).data, "token": token}
        return Response(body)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        user_logout(request=request._request, user=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(request=AccountDeleteSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Delete my account (the same operation as ``/api/v1/me/account/``)."""
        return account_delete(request)

    @extend_schema(request=s.MeUpdateSerializer, responses=s.MeSerializer)
    def patch(self, request: Request) -> Response:
        data = s.MeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = user_update_profile(user=cast(User, request.user), **data.validated_data)
        return Response(s.MeSerializer(user, context={"request": request}).data)


class UserDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.UserPublicSerializer)
    def get(self, request: Request, username: str) -> Response:
        user = user_get_public(username=username)
        return Response(s.UserPublicSerializer(user, context={"request": request}).data)
