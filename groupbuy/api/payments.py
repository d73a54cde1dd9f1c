"""Paying an order: start a payment, the sandbox provider's webhook, and the sandbox's "pay"
button for the demo and tests."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.services.payments import (
    payment_create,
    payment_webhook_handle,
    sandbox_payment_complete,
)


def _me(request: Request) -> User:
    return cast(User, request.user)


class PaymentSerializer(serializers.Serializer):
    payment_id = serializers.IntegerField(source="pk")
    provider = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    order_status = serializers.CharField(source="order.status")


class OrderPayView(APIView):
    @extend_schema(request=None, responses={201: PaymentSerializer})
    def post(self, request: Request, order_id: int) -> Response:
        payment = payment_create(actor=_me(request), order_id=order_id)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class SandboxWebhookView(APIView):
    """The sandbox provider's confirmations; trusted only through the HMAC signature."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(request=None, responses={200: PaymentSerializer})
    def post(self, request: Request) -> Response:
        payment = payment_webhook_handle(
            provider_name="sandbox", body=request.body, headers=request.headers
        )
        payment.refresh_from_db()
        return Response(PaymentSerializer(payment).data)


class SandboxCompleteView(APIView):
    @extend_schema(request=None, responses={200: PaymentSerializer})
    def post(self, request: Request, payment_id: int) -> Response:
        payment = sandbox_payment_complete(actor=_me(request), payment_id=payment_id)
        payment.refresh_from_db()
        return Response(PaymentSerializer(payment).data)
