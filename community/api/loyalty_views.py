"""Points, check-ins, tiers, tasks, leaderboards, invites and the notification inbox."""

import uuid
from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from community.api import serializers as s
from community.models import PointsEntry, User
from community.selectors import user_roles
from community.selectors.loyalty import (
    checkin_status,
    leaderboard,
    points_ledger,
    points_summary,
    tasks_for_today,
    tier_benefits,
)
from community.selectors.notifications import (
    NOTIFICATION_TYPES,
    notification_preferences,
    notifications_after,
    notifications_unread_count,
)
from community.services import (
    checkin_perform,
    notification_preferences_set,
    notifications_mark_read,
    points_adjust,
)
from community.services.accounts import user_ensure_invite_code
from config.pagination import one_page, one_page_schema


def _me(request: Request) -> User:
    return cast(User, request.user)


class CheckInView(APIView):
    @extend_schema(responses=s.CheckInStatusSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.CheckInStatusSerializer(checkin_status(user=_me(request))).data)

    @extend_schema(request=None, responses={201: s.CheckInResultSerializer})
    def post(self, request: Request) -> Response:
        me = _me(request)
        checkin = checkin_perform(user_id=me.pk)
        me.refresh_from_db(fields=["points_balance"])
        body = {
            "points_awarded": checkin.points_awarded,
            "streak": checkin.streak,
            "day": checkin.day,
            "balance": me.points_balance,
        }
        return Response(s.CheckInResultSerializer(body).data, status=status.HTTP_201_CREATED)


class PointsSummaryView(APIView):
    @extend_schema(responses=s.PointsSummarySerializer)
    def get(self, request: Request) -> Response:
        return Response(s.PointsSummarySerializer(points_summary(user=_me(request))).data)


class PointsLedgerView(ListAPIView):
    serializer_class = s.PointsEntrySerializer
    queryset = PointsEntry.objects.none()  # for the schema; the real one is per member

    def get_queryset(self):
        return points_ledger(user=_me(self.request))


class LeaderboardView(APIView):
    @extend_schema(parameters=[s.LeaderboardQuerySerializer], responses=s.LeaderboardSerializer)
    def get(self, request: Request) -> Response:
        query = s.LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        community = query.validated_data.get("community")
        body = {
            "next": None,
            "previous": None,
            "period": period,
            "community": community,
            "results": leaderboard(period=period, community_id=community),
        }
        return Response(s.LeaderboardSerializer(body).data)


class TasksView(APIView):
    @extend_schema(responses=one_page_schema("TaskPage", s.TaskSerializer(many=True)))
    def get(self, request: Request) -> Response:
        tasks = tasks_for_today(user=_me(request))
        return Response(one_page(s.TaskSerializer(tasks, many=True).data))


class TiersView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=one_page_schema("TierPage", s.TierBenefitSerializer(many=True)))
    def get(self, request: Request) -> Response:
        return Response(one_page(s.TierBenefitSerializer(tier_benefits(), many=True).data))


class IsStaffRole(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and "staff" in user_roles(request.user)
        )


class PointsAdjustmentView(APIView):
    permission_classes = [IsStaffRole]

    @extend_schema(
        request=s.PointsAdjustmentInputSerializer, responses={201: s.PointsEntrySerializer}
    )
    def post(self, request: Request) -> Response:
        data = s.PointsAdjustmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = get_object_or_404(User, username__iexact=data.validated_data["username"])
        entry = points_adjust(
            actor=_me(request),
            user_id=target.pk,
            delta=data.validated_data["delta"],
            note=data.validated_data["note"],
            idempotency_key="admin:" + data.validated_data.get("idempotency_key", uuid.uuid4().hex),
        )
        return Response(s.PointsEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class InviteView(APIView):
    @extend_schema(responses=s.InviteSerializer)
    def get(self, request: Request) -> Response:
        me = _me(request)
        code = user_ensure_invite_code(user=me)
        body = {
            "code": code,
            "url": request.build_absolute_uri(f"/register/?invite={code}"),
            "invitees": me.invitees.count(),
        }
        return Response(s.InviteSerializer(body).data)


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


class NotificationPreferencesInputSerializer(serializers.Serializer):
    muted = serializers.DictField(child=serializers.BooleanField())

    def validate_muted(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(NOTIFICATION_TYPES))
        if unknown:
            raise serializers.ValidationError(f"Unknown notification types: {', '.join(unknown)}.")
        return value


class NotificationPreferencesView(APIView):
    @extend_schema(responses=NotificationPreferencesInputSerializer)
    def get(self, request: Request) -> Response:
        return Response({"muted": notification_preferences(user=_me(request))})

    @extend_schema(
        request=NotificationPreferencesInputSerializer,
        responses=NotificationPreferencesInputSerializer,
    )
    def put(self, request: Request) -> Response:
        data = NotificationPreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notification_preferences_set(user=_me(request), muted=data.validated_data["muted"])
        return Response({"muted": notification_preferences(user=_me(request))})
