"""After payment: shipping and tracking (staff), and the buyer's confirmation of receipt."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.api.orders import OrderSerializer, TrackingEventSerializer, order_response
from groupbuy.models import TrackingStatus
from groupbuy.services.fulfilment import order_confirm_receipt, order_ship, shipment_track


def _me(request: Request) -> User:
    return cast(User, request.user)


class OrderConfirmReceiptView(APIView):
    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order_confirm_receipt(actor=_me(request), order_id=order_id)
        return order_response(request, order_id)


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
        return order_response(request, order_id, staff_view=True)


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
