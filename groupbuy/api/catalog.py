"""Catalog endpoints (products, their images, categories): input serializer -> service ->
output, and the shapes they read and write (money as decimal strings)."""

from decimal import Decimal
from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from community.services.insights.events import track_app_request
from groupbuy.exceptions import ShopPermissionDeniedError
from groupbuy.models import Category, Product, ProductImage, ProductStatus
from groupbuy.models.catalog import MAX_COMMISSION_RATE, MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from groupbuy.selectors.catalog import (
    category_list,
    first_image_url,
    is_staff,
    product_get,
    product_list,
)
from groupbuy.services.catalog import (
    product_create,
    product_image_add,
    product_image_remove,
    product_update,
)

# --- shapes -----------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "sort"]
        read_only_fields = fields


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "width", "height", "sort"]
        read_only_fields = fields

    def get_url(self, image: ProductImage) -> str:
        return image.image.url


class ProductSerializer(serializers.ModelSerializer):
    category = CategoryBriefSerializer(read_only=True, allow_null=True)
    images = ProductImageSerializer(many=True, read_only=True)
    in_stock = serializers.SerializerMethodField()
    # A plain string: another choice set named "status" would collide in the OpenAPI enum names.
    status = serializers.CharField(read_only=True, help_text="draft, active or archived")
    hidden = serializers.SerializerMethodField(
        help_text="hidden by moderation: only staff and moderators see it, nobody can buy it"
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "description",
            "category",
            "price",
            "stock",
            "in_stock",
            "status",
            "hidden",
            "commission_rate",
            "images",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_in_stock(self, product: Product) -> bool:
        return product.stock > 0

    def get_hidden(self, product: Product) -> bool:
        return product.hidden_at is not None


def _price_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        min_value=Decimal("0.01"),
        help_text='CNY, more than 0, e.g. "19.90"',
        **kwargs,
    )


def _commission_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0"),
        max_value=MAX_COMMISSION_RATE,
        help_text="fraction of the paid amount, 0 to 0.30",
        **kwargs,
    )


class ProductWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    price = _price_field()
    stock = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    commission_rate = _commission_field(required=False)
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text="category slug",
    )
    status = serializers.CharField(required=False, help_text="draft, active or archived")

    def validate_status(self, value: str) -> str:
        if value not in ProductStatus.values:
            raise serializers.ValidationError(
                "Choose draft, active or archived.", code="invalid_choice"
            )
        return value


class ImageUploadSerializer(serializers.Serializer):
    # A plain file field: the image pipeline, not DRF's ImageField, decides what is an image.
    image = serializers.FileField()
    sort = serializers.IntegerField(required=False, min_value=0, max_value=1000)


class ProductSummarySerializer(serializers.ModelSerializer):
    image_url = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "title", "price", "image_url", "in_stock", "status"]
        read_only_fields = fields

    status = serializers.CharField(read_only=True, help_text="draft, active or archived")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_image_url(self, product: Product) -> str | None:
        return first_image_url(product)

    def get_in_stock(self, product: Product) -> bool:
        return product.stock > 0


# --- views ------------------------------------------------------------------------------------


def viewer_of(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


class ReadOpenView(APIView):
    """GET for everybody (drafts stay hidden by the selectors), writes need a signed-in user."""

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]


class CategoryPagination(CursorPagination):
    ordering = ("sort", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 100


class ProductListView(ReadOpenView, GenericAPIView):
    serializer_class = ProductSerializer

    def get_queryset(self):
        params = self.request.query_params
        return product_list(
            viewer=viewer_of(self.request),
            category_slug=params.get("category") or None,
            query=params.get("q") or None,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="category slug (includes subcategories)"),
            OpenApiParameter("q", str, description="text in the title"),
        ],
        responses=ProductSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ProductWriteSerializer, responses={201: ProductSerializer})
    def post(self, request: Request) -> Response:
        if not is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        data = ProductWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = product_create(actor=request.user, **data.validated_data)
        product = product_get(product_id=created.pk, viewer=request.user)
        return Response(
            ProductSerializer(product, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(ReadOpenView):
    @extend_schema(responses=ProductSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = product_get(product_id=product_id, viewer=viewer_of(request))
        track_app_request("product_view", request, {"product_id": product.pk, "via": "api"})
        return Response(ProductSerializer(product, context={"request": request}).data)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def patch(self, request: Request, product_id: int) -> Response:
        if not is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        product = product_get(product_id=product_id, viewer=request.user)
        data = ProductWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product_update(actor=request.user, product=product, **data.validated_data)
        product = product_get(product_id=product_id, viewer=request.user)
        return Response(ProductSerializer(product, context={"request": request}).data)


class ProductImagesView(APIView):
    @extend_schema(
        request={"multipart/form-data": ImageUploadSerializer},
        responses={201: ProductImageSerializer},
    )
    def post(self, request: Request, product_id: int) -> Response:
        if not is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        product = product_get(product_id=product_id, viewer=request.user)
        data = ImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = product_image_add(
            actor=request.user,
            product=product,
            upload=data.validated_data["image"],
            sort=data.validated_data.get("sort"),
        )
        return Response(
            ProductImageSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductImageDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, product_id: int, image_id: int) -> Response:
        if not is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        image = get_object_or_404(ProductImage, pk=image_id, product_id=product_id)
        product_image_remove(actor=request.user, image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = CategorySerializer
    pagination_class = CategoryPagination

    def get_queryset(self):
        return category_list()

    # A list (a GenericAPIView's get is taken for one object otherwise): issue #17, finding 8.
    @extend_schema(responses=CategorySerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
