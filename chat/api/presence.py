"""Presence API: which of my contacts is online."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.api.messages.serializers import ChatUserSerializer
from chat.selectors.presence import presence_of_contacts
from community.models import User


class PresenceSerializer(serializers.Serializer):
    user = ChatUserSerializer()
    online = serializers.BooleanField()
    last_seen = serializers.DateTimeField(allow_null=True)


class PresenceListSerializer(serializers.Serializer):
    results = PresenceSerializer(many=True)


def _me(request: Request) -> User:
    return cast(User, request.user)


class PresenceView(APIView):
    @extend_schema(responses=PresenceListSerializer)
    def get(self, request: Request) -> Response:
        """Who of my contacts (mutual follows, direct-room peers) is online right now."""
        rows = presence_of_contacts(viewer=_me(request))
        return Response({"results": PresenceSerializer(rows, many=True).data})
