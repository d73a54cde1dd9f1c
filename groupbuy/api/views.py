"""Catalog, storefront and creator-code endpoints: input serializer -> service -> output."""

from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from groupbuy import selectors, services
from groupbuy.api import serializers as s
from groupbuy.exceptions import ShopPermissionDeniedError
from groupbuy.models import Collection, CollectionItem, ProductImage, Storefront


def _viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


class _ReadOpen(APIView):
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


# --- catalog ----------------------------------------------------------------------------------


class ProductListView(_ReadOpen, GenericAPIView):
    serializer_class = s.ProductSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.product_list(
            viewer=_viewer(self.request),
            category_slug=params.get("category") or None,
            query=params.get("q") or None,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="category slug (includes subcategories)"),
            OpenApiParameter("q", str, description="text in the title"),
        ],
        responses=s.ProductSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.ProductWriteSerializer, responses={201: s.ProductSerializer})
    def post(self, request: Request) -> Response:
        if not selectors.is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        data = s.ProductWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.product_create(actor=request.user, **data.validated_data)
        product = selectors.product_get(product_id=created.pk, viewer=request.user)
        return Response(
            s.ProductSerializer(product, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(_ReadOpen):
    @extend_schema(responses=s.ProductSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        product = selectors.product_get(product_id=product_id, viewer=_viewer(request))
        return Response(s.ProductSerializer(product, context={"request": request}).data)

    @extend_schema(request=s.ProductWriteSerializer, responses=s.ProductSerializer)
    def patch(self, request: Request, product_id: int) -> Response:
        if not selectors.is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        product = selectors.product_get(product_id=product_id, viewer=request.user)
        data = s.ProductWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.product_update(actor=request.user, product=product, **data.validated_data)
        product = selectors.product_get(product_id=product_id, viewer=request.user)
        return Response(s.ProductSerializer(product, context={"request": request}).data)


class ProductImagesView(APIView):
    @extend_schema(
        request={"multipart/form-data": s.ImageUploadSerializer},
        responses={201: s.ProductImageSerializer},
    )
    def post(self, request: Request, product_id: int) -> Response:
        if not selectors.is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        product = selectors.product_get(product_id=product_id, viewer=request.user)
        data = s.ImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        image = services.product_image_add(
            actor=request.user,
            product=product,
            upload=data.validated_data["image"],
            sort=data.validated_data.get("sort"),
        )
        return Response(
            s.ProductImageSerializer(image, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProductImageDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, product_id: int, image_id: int) -> Response:
        if not selectors.is_staff(request.user):
            raise ShopPermissionDeniedError("Only staff manage the catalog.")
        image = get_object_or_404(ProductImage, pk=image_id, product_id=product_id)
        services.product_image_remove(actor=request.user, image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryListView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.CategorySerializer
    pagination_class = CategoryPagination

    def get_queryset(self):
        return selectors.category_list()

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- storefronts ------------------------------------------------------------------------------


def _storefront_body(request: Request, slug: str) -> dict:
    storefront = selectors.storefront_get(slug=slug, viewer=_viewer(request))
    return dict(s.StorefrontSerializer(storefront, context={"request": request}).data)


def _own_storefront(request: Request, slug: str) -> Storefront:
    """The storefront behind ``slug`` for a write: 404 if unknown, 403 unless the owner."""
    storefront = get_object_or_404(Storefront.objects.select_related("owner"), slug__iexact=slug)
    if storefront.owner_id != request.user.pk:
        raise ShopPermissionDeniedError("Only the storefront's owner may change it.")
    return storefront


def _own_collection(request: Request, slug: str, collection_id: int) -> Collection:
    storefront = _own_storefront(request, slug)
    collection = get_object_or_404(Collection, pk=collection_id, storefront=storefront)
    collection.storefront = storefront
    return collection


class StorefrontCreateView(APIView):
    @extend_schema(request=s.StorefrontCreateSerializer, responses={201: s.StorefrontSerializer})
    def post(self, request: Request) -> Response:
        if not selectors.is_creator(request.user):
            raise ShopPermissionDeniedError("Only creators can open a storefront.")
        data = s.StorefrontCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        storefront = services.storefront_create(actor=request.user, **data.validated_data)
        return Response(_storefront_body(request, storefront.slug), status=status.HTTP_201_CREATED)


class StorefrontDetailView(_ReadOpen):
    @extend_schema(responses=s.StorefrontSerializer)
    def get(self, request: Request, slug: str) -> Response:
        storefront = selectors.storefront_get(slug=slug, viewer=_viewer(request))
        services.storefront_visit_record(
            storefront=storefront,
            visitor=_viewer(request),
            visitor_key=services.visitor_key(
                user=_viewer(request),
                session_key=request.session.session_key,
                ip=request.META.get("REMOTE_ADDR"),
            ),
        )
        return Response(s.StorefrontSerializer(storefront, context={"request": request}).data)

    @extend_schema(request=s.StorefrontUpdateSerializer, responses=s.StorefrontSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        storefront = get_object_or_404(Storefront, slug__iexact=slug)
        data = s.StorefrontUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.storefront_update(actor=request.user, storefront=storefront, **data.validated_data)
        return Response(_storefront_body(request, storefront.slug))


class StorefrontBannerView(APIView):
    @extend_schema(
        request={"multipart/form-data": s.BannerUploadSerializer},
        responses={200: s.StorefrontSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        storefront = _own_storefront(request, slug)
        data = s.BannerUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.storefront_banner_set(
            actor=request.user, storefront=storefront, upload=data.validated_data["banner"]
        )
        return Response(_storefront_body(request, storefront.slug))


class CollectionCreateView(APIView):
    @extend_schema(request=s.CollectionWriteSerializer, responses={201: s.CollectionSerializer})
    def post(self, request: Request, slug: str) -> Response:
        storefront = _own_storefront(request, slug)
        data = s.CollectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        collection = services.collection_create(
            actor=request.user, storefront=storefront, **data.validated_data
        )
        return Response(
            s.CollectionSerializer(collection, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CollectionDetailView(APIView):
    @extend_schema(request=s.CollectionWriteSerializer, responses=s.CollectionSerializer)
    def patch(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        data = s.CollectionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.collection_update(actor=request.user, collection=collection, **data.validated_data)
        return Response(s.CollectionSerializer(collection, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        services.collection_delete(actor=request.user, collection=collection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionItemsView(APIView):
    @extend_schema(
        request=s.CollectionItemWriteSerializer, responses={201: s.CollectionItemSerializer}
    )
    def post(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        data = s.CollectionItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = services.collection_item_add(
            actor=request.user,
            collection=collection,
            product_id=values.pop("product"),
            **values,
        )
        item = (
            CollectionItem.objects.select_related("product")
            .prefetch_related("product__images")
            .get(pk=item.pk)
        )
        return Response(
            s.CollectionItemSerializer(item, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CollectionItemDetailView(APIView):
    def _item(self, request: Request, slug: str, collection_id: int, item_id: int):
        collection = _own_collection(request, slug, collection_id)
        item = get_object_or_404(
            CollectionItem.objects.select_related("product").prefetch_related("product__images"),
            pk=item_id,
            collection=collection,
        )
        item.collection = collection
        return item

    @extend_schema(request=s.CollectionItemUpdateSerializer, responses=s.CollectionItemSerializer)
    def patch(self, request: Request, slug: str, collection_id: int, item_id: int) -> Response:
        item = self._item(request, slug, collection_id, item_id)
        data = s.CollectionItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.collection_item_update(actor=request.user, item=item, **data.validated_data)
        return Response(s.CollectionItemSerializer(item, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, collection_id: int, item_id: int) -> Response:
        item = self._item(request, slug, collection_id, item_id)
        services.collection_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- creator codes ----------------------------------------------------------------------------


class CreatorCodeListView(GenericAPIView):
    serializer_class = s.CreatorCodeSerializer

    def get_queryset(self):
        return selectors.creator_codes_list(user=self.request.user)

    @extend_schema(responses=s.CreatorCodeSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CreatorCodeCreateSerializer, responses={201: s.CreatorCodeSerializer})
    def post(self, request: Request) -> Response:
        if not selectors.is_creator(request.user):
            raise ShopPermissionDeniedError("Only creators may own a creator code.")
        data = s.CreatorCodeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = services.creator_code_create(actor=request.user, **data.validated_data)
        return Response(s.CreatorCodeSerializer(code).data, status=status.HTTP_201_CREATED)
