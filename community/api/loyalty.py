"""Points, check-ins, tiers, tasks, leaderboards and invites."""

import uuid
from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import PointsEntry, User
from community.selectors.accounts import user_roles
from community.selectors.loyalty import (
    checkin_status,
    leaderboard,
    points_ledger,
    points_summary,
    tasks_for_today,
    tier_benefits,
)
from community.services.accounts import user_ensure_invite_code
from community.services.loyalty import checkin_perform, points_adjust
from config.pagination import one_page, one_page_schema

# --- serializers -------------------------------------------------------------------------------


class CheckInResultSerializer(serializers.Serializer):
    points_awarded = serializers.IntegerField()
    streak = serializers.IntegerField()
    day = serializers.DateField()
    balance = serializers.IntegerField()


class CheckInDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    checked_in = serializers.BooleanField()


class CheckInStatusSerializer(serializers.Serializer):
    checked_in_today = serializers.BooleanField()
    streak = serializers.IntegerField()
    next_reward = serializers.IntegerField()
    week = CheckInDaySerializer(many=True)


class PointsEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    delta = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField(source="get_reason_display", help_text="for people")
    source_type = serializers.CharField()
    source_id = serializers.CharField()
    balance_after = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class NextExpirySerializer(serializers.Serializer):
    points = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class PointsSummarySerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    expiring_within_days = serializers.IntegerField()
    expiring_soon = serializers.IntegerField()
    next_expiry = NextExpirySerializer(allow_null=True)
    yuan_per_100_points = serializers.CharField()


class LeaderboardUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    tier = serializers.CharField()


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    user = LeaderboardUserSerializer()
    points = serializers.IntegerField()


class LeaderboardQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["week", "month", "all"], default="week")
    community = serializers.IntegerField(required=False, min_value=1)


class LeaderboardSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="always null: one ranked page")
    previous = serializers.CharField(allow_null=True, help_text="always null")
    period = serializers.CharField()
    community = serializers.IntegerField(allow_null=True)
    results = LeaderboardRowSerializer(many=True)


class TaskSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    action = serializers.CharField()
    target_count = serializers.IntegerField()
    points = serializers.IntegerField()
    count = serializers.IntegerField()
    completed = serializers.BooleanField()
    ends_at = serializers.DateTimeField(allow_null=True)


class TierBenefitSerializer(serializers.Serializer):
    tier = serializers.CharField()
    rank = serializers.IntegerField()
    threshold = serializers.IntegerField()
    points_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2)
    monthly_coupon_pack = serializers.CharField()
    early_access_minutes = serializers.IntegerField()
    support_priority = serializers.IntegerField()


class PointsAdjustmentInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    delta = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    note = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=64, required=False)

    def validate_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError("delta must not be zero.")
        return value


class InviteSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField()
    invitees = serializers.IntegerField()


# --- views -------------------------------------------------------------------------------------


def _me(request: Request) -> User:
    return cast(User, request.user)


class CheckInView(APIView):
    @extend_schema(responses=CheckInStatusSerializer)
    def get(self, request: Request) -> Response:
        return Response(CheckInStatusSerializer(checkin_status(user=_me(request))).data)

    @extend_schema(request=None, responses={201: CheckInResultSerializer})
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
        return Response(CheckInResultSerializer(body).data, status=status.HTTP_201_CREATED)


class PointsSummaryView(APIView):
    @extend_schema(responses=PointsSummarySerializer)
    def get(self, request: Request) -> Response:
        return Response(PointsSummarySerializer(points_summary(user=_me(request))).data)


class PointsLedgerView(ListAPIView):
    serializer_class = PointsEntrySerializer
    queryset = PointsEntry.objects.none()  # for the schema; the real one is per member

    def get_queryset(self):
        return points_ledger(user=_me(self.request))


class LeaderboardView(APIView):
    @extend_schema(parameters=[LeaderboardQuerySerializer], responses=LeaderboardSerializer)
    def get(self, request: Request) -> Response:
        query = LeaderboardQuerySerializer(data=request.query_params)
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
        return Response(LeaderboardSerializer(body).data)


class TasksView(APIView):
    @extend_schema(responses=one_page_schema("TaskPage", TaskSerializer(many=True)))
    def get(self, request: Request) -> Response:
        tasks = tasks_for_today(user=_me(request))
        return Response(one_page(TaskSerializer(tasks, many=True).data))


class TiersView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=one_page_schema("TierPage", TierBenefitSerializer(many=True)))
    def get(self, request: Request) -> Response:
        return Response(one_page(TierBenefitSerializer(tier_benefits(), many=True).data))


class IsStaffRole(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and "staff" in user_roles(request.user)
        )


class PointsAdjustmentView(APIView):
    permission_classes = [IsStaffRole]

    @extend_schema(request=PointsAdjustmentInputSerializer, responses={201: PointsEntrySerializer})
    def post(self, request: Request) -> Response:
        data = PointsAdjustmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = get_object_or_404(User, username__iexact=data.validated_data["username"])
        entry = points_adjust(
            actor=_me(request),
            user_id=target.pk,
            delta=data.validated_data["delta"],
            note=data.validated_data["note"],
            idempotency_key="admin:" + data.validated_data.get("idempotency_key", uuid.uuid4().hex),
        )
        return Response(PointsEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class InviteView(APIView):
    @extend_schema(responses=InviteSerializer)
    def get(self, request: Request) -> Response:
        me = _me(request)
        code = user_ensure_invite_code(user=me)
        body = {
            "code": code,
            "url": request.build_absolute_uri(f"/register/?invite={code}"),
            "invitees": me.invitees.count(),
        }
        return Response(InviteSerializer(body).data)
