"""The buyer asks for a paid order's money back."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.api.orders import OrderSerializer, order_response
from groupbuy.services.refunds import order_refund_request


def _me(request: Request) -> User:
    return cast(User, request.user)


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
        return order_response(request, order_id)
