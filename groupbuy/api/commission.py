"""The creator's commission ledger and dashboard."""

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import CommissionEntry
from groupbuy.selectors.catalog import is_creator
from groupbuy.selectors.commission import creator_commissions, creator_dashboard


def _me(request: Request) -> User:
    return cast(User, request.user)


def _require_creator(user) -> None:
    if not is_creator(user):
        raise ShopNotFoundError("Only creators have a dashboard.")


class CommissionSerializer(serializers.ModelSerializer):
    order_status = serializers.CharField(source="order.status", read_only=True)
    paid_at = serializers.DateTimeField(source="order.paid_at", read_only=True)

    class Meta:
        model = CommissionEntry
        fields = [
            "id",
            "order",
            "order_status",
            "paid_at",
            "base_amount",
            "amount",
            "status",
            "attribution_source",
            "confirm_after",
            "confirmed_at",
            "reversed_at",
        ]
        read_only_fields = fields


class CommissionListView(ListAPIView):
    """The creator's commission ledger, newest first."""

    serializer_class = CommissionSerializer
    queryset = CommissionEntry.objects.none()

    def get_queryset(self):
        _require_creator(self.request.user)
        return creator_commissions(creator_id=_me(self.request).pk)


class DayRowSerializer(serializers.Serializer):
    day = serializers.DateField()
    views = serializers.IntegerField()
    clicks = serializers.IntegerField()
    orders = serializers.IntegerField()
    gmv = serializers.DecimalField(max_digits=14, decimal_places=2)
    commission = serializers.DecimalField(max_digits=14, decimal_places=2)


class TopProductSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    orders = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class DashboardSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    views = serializers.IntegerField()
    clicks = serializers.IntegerField()
    orders = serializers.IntegerField()
    gmv = serializers.DecimalField(max_digits=14, decimal_places=2)
    commission = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2)
    )
    top_products = TopProductSerializer(many=True)
    days = DayRowSerializer(many=True)


class CreatorDashboardView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("days", int, required=False, description="7 to 90")],
        responses=DashboardSerializer,
    )
    def get(self, request: Request) -> Response:
        _require_creator(request.user)
        try:
            days = int(request.query_params.get("days", 30))
        except ValueError:
            days = 0
        if not 7 <= days <= 90:
            raise serializers.ValidationError({"days": ["Choose between 7 and 90 days."]})
        return Response(
            DashboardSerializer(creator_dashboard(creator_id=_me(request).pk, days=days)).data
        )
