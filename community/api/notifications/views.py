"""The notification inbox: pages after a seq, unread count, marking read, muted types."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from community.api.notifications import serializers as s
from community.models import User
from community.selectors.notifications import (
    notification_preferences,
    notifications_after,
    notifications_unread_count,
)
from community.services.notifications import notification_preferences_set, notifications_mark_read


def _me(request: Request) -> User:
    return cast(User, request.user)


class NotificationListView(APIView):
    @extend_schema(
        parameters=[s.NotificationQuerySerializer], responses=s.NotificationPageSerializer
    )
    def get(self, request: Request) -> Response:
        query = s.NotificationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        rows = list(
            notifications_after(user=_me(request), after_seq=query.validated_data["after_seq"])[
                : limit + 1
            ]
        )
        page = rows[:limit]
        last_seq = page[-1].seq if page else query.validated_data["after_seq"]
        has_more = len(rows) > limit
        body = {
            # The list convention's cursors: forward only, a seq is the cursor.
            "next": (
                replace_query_param(request.build_absolute_uri(), "after_seq", last_seq)
                if has_more
                else None
            ),
            "previous": None,
            "results": page,
            "last_seq": last_seq,
            "has_more": has_more,
            "unread_count": notifications_unread_count(user=_me(request)),
        }
        return Response(s.NotificationPageSerializer(body).data)


class NotificationUnreadView(APIView):
    @extend_schema(responses=s.UnreadCountSerializer)
    def get(self, request: Request) -> Response:
        return Response({"unread_count": notifications_unread_count(user=_me(request))})


class NotificationReadView(APIView):
    @extend_schema(request=s.NotificationReadInputSerializer, responses=s.UnreadCountSerializer)
    def post(self, request: Request) -> Response:
        data = s.NotificationReadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notifications_mark_read(user=_me(request), **data.validated_data)
        return Response({"unread_count": notifications_unread_count(user=_me(request))})


class NotificationPreferencesView(APIView):
    @extend_schema(responses=s.NotificationPreferencesInputSerializer)
    def get(self, request: Request) -> Response:
        return Response({"muted": notification_preferences(user=_me(request))})

    @extend_schema(
        request=s.NotificationPreferencesInputSerializer,
        responses=s.NotificationPreferencesInputSerializer,
    )
    def put(self, request: Request) -> Response:
        data = s.NotificationPreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notification_preferences_set(user=_me(request), muted=data.validated_data["muted"])
        return Response({"muted": notification_preferences(user=_me(request))})
