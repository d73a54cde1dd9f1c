"""After payment: refund, shipping and tracking (staff), receipt, after-sales, checkout quote,
and the creator's commission ledger and dashboard."""

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.pagination import one_page, one_page_schema
from groupbuy.api.coupon_views import CartItemSerializer
from groupbuy.api.order_views import (
    AfterSalesSerializer,
    OrderSerializer,
    TrackingEventSerializer,
    _my_orders,
)
from groupbuy.dashboard import creator_commissions, creator_dashboard
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import (
    AfterSalesKind,
    AfterSalesReason,
    AfterSalesRequest,
    AfterSalesStatus,
    CommissionEntry,
    TrackingStatus,
)
from groupbuy.selectors import is_creator, is_staff, orders_with_details
from groupbuy.services import (
    after_sales_decide,
    after_sales_open,
    after_sales_withdraw,
    order_confirm_receipt,
    order_refund_request,
    order_ship,
    shipment_track,
)
from groupbuy.services.orders import order_quote


class OldestFirstCursorPagination(CursorPagination):
    ordering = "id"  # a queue: who waited longest comes first
    page_size_query_param = "page_size"
    max_page_size = 100


def _me(request: Request) -> User:
    return cast(User, request.user)


def _order_response(request: Request, order_id: int, *, staff_view: bool = False) -> Response:
    orders = orders_with_details() if staff_view else _my_orders(_me(request))
    return Response(OrderSerializer(orders.get(pk=order_id)).data)


class RefundInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OrderRefundView(APIView):
    @extend_schema(request=RefundInputSerializer, responses=OrderSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        data = RefundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_refund_request(
            actor=_me(request), order_id=order_id, reason=data.validated_data.get("reason", "")
        )
        return _order_response(request, order_id)


class OrderConfirmReceiptView(APIView):
    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order_confirm_receipt(actor=_me(request), order_id=order_id)
        return _order_response(request, order_id)


class ShipInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=40)
    tracking_number = serializers.CharField(max_length=40)


class OrderShipView(APIView):
    """Staff: hand a paid order to a carrier."""

    @extend_schema(request=ShipInputSerializer, responses=OrderSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        data = ShipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_ship(actor=_me(request), order_id=order_id, **data.validated_data)
        return _order_response(request, order_id, staff_view=True)


class TrackingInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TrackingStatus.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=80, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False)


class OrderTrackingView(APIView):
    """Staff (or a carrier integration with a staff token): add a tracking step."""

    @extend_schema(request=TrackingInputSerializer, responses={201: TrackingEventSerializer})
    def post(self, request: Request, order_id: int) -> Response:
        data = TrackingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = shipment_track(actor=_me(request), order_id=order_id, **data.validated_data)
        return Response(TrackingEventSerializer(event).data, status=status.HTTP_201_CREATED)


class AfterSalesInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AfterSalesKind.choices)
    reason = serializers.ChoiceField(choices=AfterSalesReason.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart: photos[] or photos"
    )


class OrderAfterSalesView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=one_page_schema("AfterSalesPage", AfterSalesSerializer(many=True)))
    def get(self, request: Request, order_id: int) -> Response:
        if not _my_orders(_me(request)).filter(pk=order_id).exists():
            raise ShopNotFoundError()
        requests = AfterSalesRequest.objects.filter(order_id=order_id).prefetch_related("photos")
        # One order's requests fit one page (one active at a time), so no cursors.
        return Response(one_page(AfterSalesSerializer(requests.order_by("-id"), many=True).data))

    @extend_schema(
        request={"multipart/form-data": AfterSalesInputSerializer},
        responses={201: AfterSalesSerializer},
    )
    def post(self, request: Request, order_id: int) -> Response:
        payload = {
            name: request.data[name]
            for name in ("kind", "reason", "description")
            if name in request.data
        }
        payload["photos"] = request.FILES.getlist("photos") + request.FILES.getlist("photos[]")
        data = AfterSalesInputSerializer(data=payload)
        data.is_valid(raise_exception=True)
        created = after_sales_open(actor=_me(request), order_id=order_id, **data.validated_data)
        return Response(AfterSalesSerializer(created).data, status=status.HTTP_201_CREATED)


class AfterSalesWithdrawView(APIView):
    @extend_schema(request=None, responses=AfterSalesSerializer)
    def post(self, request: Request, request_id: int) -> Response:
        return Response(
            AfterSalesSerializer(
                after_sales_withdraw(actor=_me(request), request_id=request_id)
            ).data
        )


class AfterSalesQueueView(ListAPIView):
    """Staff: after-sales requests, oldest first, by status (default: open)."""

    serializer_class = AfterSalesSerializer
    queryset = AfterSalesRequest.objects.none()
    pagination_class = OldestFirstCursorPagination

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=AfterSalesStatus.values, required=False)]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not is_staff(self.request.user):
            raise ShopNotFoundError()
        wanted = self.request.query_params.get("status", AfterSalesStatus.OPEN)
        return AfterSalesRequest.objects.filter(status=wanted).prefetch_related("photos")


class AfterSalesDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "complete"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AfterSalesDecideView(APIView):
    @extend_schema(request=AfterSalesDecisionSerializer, responses=AfterSalesSerializer)
    def post(self, request: Request, request_id: int) -> Response:
        data = AfterSalesDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = after_sales_decide(
            actor=_me(request),
            request_id=request_id,
            action=data.validated_data["action"],
            note=data.validated_data.get("note", ""),
        )
        return Response(AfterSalesSerializer(decided).data)


class QuoteInputSerializer(serializers.Serializer):
    items = serializers.ListField(child=CartItemSerializer(), allow_empty=False, max_length=50)
    coupon = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    points = serializers.IntegerField(min_value=0, default=0)
    creator_code = serializers.CharField(max_length=32, required=False, allow_blank=True)


class QuoteSerializer(serializers.Serializer):
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    coupon_discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    creator_discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    points_used = serializers.IntegerField()
    points_discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    max_points = serializers.IntegerField()


class OrderQuoteView(APIView):
    """The checkout's price breakdown before placing the order (nothing is reserved)."""

    @extend_schema(request=QuoteInputSerializer, responses=QuoteSerializer)
    def post(self, request: Request) -> Response:
        data = QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        breakdown, max_points = order_quote(
            buyer=_me(request),
            items=[(i["product"], i["quantity"]) for i in data.validated_data["items"]],
            user_coupon_id=data.validated_data.get("coupon"),
            points=data.validated_data["points"],
            creator_code=data.validated_data.get("creator_code", ""),
        )
        return Response(
            QuoteSerializer(
                {
                    "subtotal": breakdown.subtotal,
                    "coupon_discount": breakdown.coupon_discount,
                    "creator_discount": breakdown.creator_discount,
                    "points_used": breakdown.points_used,
                    "points_discount": breakdown.points_discount,
                    "total": breakdown.total,
                    "max_points": max_points,
                }
            ).data
        )


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
