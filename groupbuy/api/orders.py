"""Orders: the checkout quote, place, list my own, read, cancel; and the order's shape, with its
items, timeline, shipment, refunds and after-sales requests."""

from typing import cast

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.api.coupons import CartItemSerializer
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import (
    AfterSalesPhoto,
    AfterSalesRequest,
    Order,
    OrderEvent,
    OrderItem,
    Refund,
    Shipment,
    TrackingEvent,
)
from groupbuy.selectors.orders import orders_of_buyer, orders_with_details
from groupbuy.services.orders import order_cancel, order_create, order_quote


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        # id: a review names the order item it reviews (POST /reviews/ {order_item}).
        fields = ["id", "product", "title", "unit_price", "quantity", "amount"]
        read_only_fields = fields


class OrderEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "note", "created_at"]
        read_only_fields = fields


class TrackingEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = ["status", "description", "location", "occurred_at"]
        read_only_fields = fields


class ShipmentSerializer(serializers.ModelSerializer):
    events = TrackingEventSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["carrier", "tracking_number", "created_at", "events"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "amount", "status", "reason", "created_at", "completed_at"]
        read_only_fields = fields


class AfterSalesPhotoSerializer(serializers.ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)

    class Meta:
        model = AfterSalesPhoto
        fields = ["url", "width", "height"]
        read_only_fields = fields


class AfterSalesSerializer(serializers.ModelSerializer):
    photos = AfterSalesPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = AfterSalesRequest
        fields = [
            "id",
            "order",
            "kind",
            "reason",
            "description",
            "status",
            "staff_note",
            "photos",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    events = OrderEventSerializer(many=True, read_only=True)
    shipment = serializers.SerializerMethodField()
    refunds = RefundSerializer(many=True, read_only=True)
    after_sales = AfterSalesSerializer(many=True, read_only=True)
    discount = serializers.SerializerMethodField()
    coupon = serializers.IntegerField(source="user_coupon_id", allow_null=True, read_only=True)
    shipping = serializers.SerializerMethodField(
        help_text="the address copied at checkout; null when none was given"
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "kind",
            "status",
            "items",
            "subtotal",
            "coupon",
            "coupon_discount",
            "creator_discount",
            "points_used",
            "points_discount",
            "discount",
            "total",
            "attribution_source",
            "shipping",
            "expires_at",
            "created_at",
            "paid_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "refunded_at",
            "cancelled_at",
            "cancel_reason",
            "events",
            "shipment",
            "refunds",
            "after_sales",
        ]
        read_only_fields = fields

    @extend_schema_field(ShipmentSerializer(allow_null=True))
    def get_shipment(self, order: Order) -> dict | None:
        shipment = getattr(order, "shipment", None)
        return ShipmentSerializer(shipment).data if shipment else None

    def get_discount(self, order: Order) -> str:
        return str(order.coupon_discount + order.creator_discount + order.points_discount)

    @extend_schema_field(
        inline_serializer(
            "OrderShipping",
            {
                "name": serializers.CharField(),
                "phone": serializers.CharField(),
                "region": serializers.CharField(),
                "detail": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_shipping(self, order: Order) -> dict | None:
        if not order.ship_name:
            return None
        return {
            "name": order.ship_name,
            "phone": order.ship_phone,
            "region": order.ship_region,
            "detail": order.ship_detail,
        }


class OrderCreateSerializer(serializers.Serializer):
    items = serializers.ListField(child=CartItemSerializer(), allow_empty=False, max_length=50)
    coupon = serializers.IntegerField(
        min_value=1, required=False, help_text="a wallet coupon id (coupons/mine/)"
    )
    points = serializers.IntegerField(min_value=0, default=0)
    creator_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    share_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.IntegerField(
        min_value=1, required=False, help_text="one of the buyer's addresses (me/addresses/)"
    )


def _me(request: Request) -> User:
    return cast(User, request.user)


def _my_orders(user: User):
    return orders_of_buyer(buyer=user)


def order_response(request: Request, order_id: int, *, staff_view: bool = False) -> Response:
    """The order as it stands after a change: the buyer's own, or (``staff_view``) anyone's."""
    orders = orders_with_details() if staff_view else _my_orders(_me(request))
    return Response(OrderSerializer(orders.get(pk=order_id)).data)


class OrderListCreateView(ListAPIView):
    serializer_class = OrderSerializer
    queryset = Order.objects.none()  # for the schema; the real one is per buyer

    def get_queryset(self):
        return _my_orders(_me(self.request))

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer})
    def post(self, request: Request) -> Response:
        data = OrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_create(
            buyer=_me(request),
            items=[(item["product"], item["quantity"]) for item in data.validated_data["items"]],
            user_coupon_id=data.validated_data.get("coupon"),
            points=data.validated_data["points"],
            creator_code=data.validated_data.get("creator_code", ""),
            share_code=data.validated_data.get("share_code", ""),
            address_id=data.validated_data.get("address"),
        )
        return Response(
            OrderSerializer(_my_orders(_me(request)).get(pk=order.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class OrderDetailView(APIView):
    @extend_schema(responses=OrderSerializer)
    def get(self, request: Request, order_id: int) -> Response:
        order = _my_orders(_me(request)).filter(pk=order_id).first()
        if order is None:
            raise ShopNotFoundError()
        return Response(OrderSerializer(order).data)


class OrderCancelView(APIView):
    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order_cancel(order_id=order_id, reason="buyer_cancelled", actor=_me(request))
        return Response(OrderSerializer(_my_orders(_me(request)).get(pk=order_id)).data)


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
