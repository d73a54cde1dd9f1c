"""Flash sales: staff create, anyone reads, members buy and ask for reminders."""

from typing import cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy.api.catalog import ProductSummarySerializer
from groupbuy.api.orders import OrderSerializer
from groupbuy.exceptions import ShopPermissionDeniedError
from groupbuy.models import FlashSale, Product, ProductStatus
from groupbuy.selectors.catalog import is_staff
from groupbuy.selectors.flash_sales import (
    flash_sale_get,
    flash_sale_list,
    sale_status,
    viewer_state,
)
from groupbuy.services.flash_sales import (
    flash_sale_create,
    flash_sale_order_place,
    flash_sale_remind,
    flash_sale_remind_cancel,
)

MAX_STOCK = 1_000_000
MAX_PER_USER = 99


class FlashSaleViewerSerializer(serializers.Serializer):
    opens_at = serializers.DateTimeField(help_text="when this member may buy (early access)")
    held = serializers.IntegerField(help_text="units this member holds in the sale")
    reminder = serializers.BooleanField()


class FlashSaleSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id", read_only=True)
    product_summary = ProductSummarySerializer(source="product", read_only=True)
    status = serializers.SerializerMethodField(help_text="scheduled, live, sold_out or ended")
    server_time = serializers.SerializerMethodField()
    viewer = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = FlashSale
        fields = [
            "id",
            "title",
            "product",
            "product_summary",
            "price",
            "stock_total",
            "stock_remaining",
            "starts_at",
            "ends_at",
            "per_user_limit",
            "tier_early_access",
            "status",
            "server_time",
            "viewer",
            "url",
        ]
        read_only_fields = fields

    def _now(self):
        # One clock per response, so status and server_time agree.
        return self.context.setdefault("now", timezone.now())

    def get_status(self, sale: FlashSale) -> str:
        return sale_status(sale, self._now())

    def get_server_time(self, sale: FlashSale) -> str:
        return serializers.DateTimeField().to_representation(self._now())

    @extend_schema_field(FlashSaleViewerSerializer(allow_null=True))
    def get_viewer(self, sale: FlashSale) -> dict | None:
        if not self.context.get("with_viewer"):
            return None
        state = viewer_state(sale, self.context.get("user"))
        return FlashSaleViewerSerializer(state).data if state else None

    def get_url(self, sale: FlashSale) -> str:
        return f"/flash-sales/{sale.pk}/"


class FlashSaleCreateSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.filter(status=ProductStatus.ACTIVE, hidden_at__isnull=True)
    )
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    stock = serializers.IntegerField(min_value=1, max_value=MAX_STOCK)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    per_user_limit = serializers.IntegerField(min_value=1, max_value=MAX_PER_USER, default=1)
    tier_early_access = serializers.BooleanField(default=True)

    def validate(self, attrs: dict) -> dict:
        product: Product = attrs["product"]
        if attrs["price"] <= 0:
            raise serializers.ValidationError({"price": ["The sale price must be above zero."]})
        if attrs["price"] >= product.price:
            raise serializers.ValidationError(
                {"price": [f"The sale price must be below the list price ({product.price})."]}
            )
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["The end must come after the start."]})
        if attrs["ends_at"] <= timezone.now():
            raise serializers.ValidationError({"ends_at": ["The end must be in the future."]})
        if attrs["per_user_limit"] > attrs["stock"]:
            raise serializers.ValidationError(
                {"per_user_limit": ["The per-member limit cannot exceed the stock."]}
            )
        return attrs


class FlashSaleOrderInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_PER_USER, default=1)


class FlashSaleListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["current", "upcoming", "live", "ended"], default="current"
    )


class FlashSalePagination(CursorPagination):
    ordering = ("starts_at", "id")
    page_size = 20
    max_page_size = 50
    page_size_query_param = "page_size"


def _me(request: Request) -> User:
    return cast(User, request.user)


def _context(request: Request) -> dict:
    return {"request": request, "user": request.user, "with_viewer": True}


class FlashSaleListCreateView(GenericAPIView):
    serializer_class = FlashSaleSerializer
    pagination_class = FlashSalePagination

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        query = FlashSaleListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return flash_sale_list(state=query.validated_data["status"], viewer=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=["current", "upcoming", "live", "ended"], default="current"
            )
        ],
        responses=FlashSaleSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = FlashSaleSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(request=FlashSaleCreateSerializer, responses={201: FlashSaleSerializer})
    def post(self, request: Request) -> Response:
        if not is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff create flash sales.")
        data = FlashSaleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        sale = flash_sale_create(actor=_me(request), product_id=values.pop("product").pk, **values)
        sale = flash_sale_get(sale_id=sale.pk, viewer=request.user)
        return Response(
            FlashSaleSerializer(sale, context=_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class FlashSaleDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=FlashSaleSerializer)
    def get(self, request: Request, sale_id: int) -> Response:
        sale = flash_sale_get(sale_id=sale_id, viewer=request.user)
        return Response(FlashSaleSerializer(sale, context=_context(request)).data)


class FlashSaleOrderView(APIView):
    @extend_schema(
        request=FlashSaleOrderInputSerializer,
        responses={201: OrderSerializer},
        description="409 sold_out, limit_reached, not_started or ended.",
    )
    def post(self, request: Request, sale_id: int) -> Response:
        data = FlashSaleOrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = flash_sale_order_place(
            actor=_me(request), sale_id=sale_id, quantity=data.validated_data["quantity"]
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class FlashSaleReminderSerializer(serializers.Serializer):
    flash_sale = serializers.IntegerField(source="sale_id")
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)


class FlashSaleReminderView(APIView):
    @extend_schema(
        request=None,
        responses={201: FlashSaleReminderSerializer, 200: FlashSaleReminderSerializer},
        description="201 when set now, 200 when it already was; 409 ended.",
    )
    def post(self, request: Request, sale_id: int) -> Response:
        reminder, created = flash_sale_remind(actor=_me(request), sale_id=sale_id)
        return Response(
            FlashSaleReminderSerializer(reminder).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, sale_id: int) -> Response:
        flash_sale_remind_cancel(actor=_me(request), sale_id=sale_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
