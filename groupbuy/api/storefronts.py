"""Storefront, collection and creator-code endpoints: input serializer -> service -> output, and
the shapes they read and write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from groupbuy.api.catalog import ProductSummarySerializer, ReadOpenView, viewer_of
from groupbuy.exceptions import ShopPermissionDeniedError
from groupbuy.models import Collection, CollectionItem, CreatorCode, Storefront
from groupbuy.selectors.catalog import is_creator
from groupbuy.selectors.storefronts import (
    creator_codes_list,
    storefront_collections,
    storefront_get,
)
from groupbuy.services.storefronts import (
    collection_create,
    collection_delete,
    collection_item_add,
    collection_item_remove,
    collection_item_update,
    collection_update,
    creator_code_create,
    storefront_banner_set,
    storefront_create,
    storefront_update,
    storefront_visit_record,
    visitor_key,
)

# --- shapes -----------------------------------------------------------------------------------


class BannerUploadSerializer(serializers.Serializer):
    banner = serializers.FileField()


class CollectionItemSerializer(serializers.ModelSerializer):
    product = ProductSummarySerializer(read_only=True)

    class Meta:
        model = CollectionItem
        fields = ["id", "product", "note", "sort", "pending_review", "created_at"]
        read_only_fields = fields
        extra_kwargs = {
            "pending_review": {"help_text": "waiting for a moderator: only the owner sees it"}
        }


class CollectionSerializer(serializers.ModelSerializer):
    items = CollectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Collection
        fields = ["id", "title", "note", "sort", "items"]
        read_only_fields = fields


class StorefrontOwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")


class StorefrontSerializer(serializers.ModelSerializer):
    owner = StorefrontOwnerSerializer(read_only=True)
    banner_url = serializers.SerializerMethodField()
    collections = serializers.SerializerMethodField()
    hidden = serializers.SerializerMethodField(
        help_text="hidden by moderation (or waiting for approval): only the owner, staff and "
        "moderators see it"
    )

    class Meta:
        model = Storefront
        fields = [
            "slug",
            "title",
            "bio",
            "banner_url",
            "is_published",
            "hidden",
            "owner",
            "collections",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_banner_url(self, storefront: Storefront) -> str | None:
        return storefront.banner.url if storefront.banner else None

    def get_hidden(self, storefront: Storefront) -> bool:
        return storefront.hidden_at is not None

    @extend_schema_field(CollectionSerializer(many=True))
    def get_collections(self, storefront: Storefront) -> list:
        rows = storefront_collections(storefront)
        return list(CollectionSerializer(rows, many=True, context=self.context).data)


class StorefrontCreateSerializer(serializers.Serializer):
    slug = serializers.RegexField(
        r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{1,48})[a-zA-Z0-9]$",
        help_text="3-50 letters, digits and dashes; the address /store/<slug>/",
    )
    title = serializers.CharField(max_length=80)
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True)


class StorefrontUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=80, required=False)
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)


class CollectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=80)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    sort = serializers.IntegerField(required=False, min_value=-1000, max_value=1000)


class CollectionItemWriteSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, help_text="product id (must be on sale)")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    sort = serializers.IntegerField(required=False, min_value=-1000, max_value=1000)


class CollectionItemUpdateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    sort = serializers.IntegerField(required=False, min_value=-1000, max_value=1000)


# --- creator codes ----------------------------------------------------------------------------


class CreatorCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreatorCode
        fields = ["id", "code", "discount_percent", "is_active", "created_at"]
        read_only_fields = fields


class CreatorCodeCreateSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^[A-Za-z0-9]{3,32}$", help_text="3-32 letters and digits, unique in any case"
    )
    discount_percent = serializers.IntegerField(min_value=1, max_value=30)


# --- views ------------------------------------------------------------------------------------


def _storefront_body(request: Request, slug: str) -> dict:
    storefront = storefront_get(slug=slug, viewer=viewer_of(request))
    return dict(StorefrontSerializer(storefront, context={"request": request}).data)


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
    @extend_schema(request=StorefrontCreateSerializer, responses={201: StorefrontSerializer})
    def post(self, request: Request) -> Response:
        if not is_creator(request.user):
            raise ShopPermissionDeniedError("Only creators can open a storefront.")
        data = StorefrontCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        storefront = storefront_create(actor=request.user, **data.validated_data)
        return Response(_storefront_body(request, storefront.slug), status=status.HTTP_201_CREATED)


class StorefrontDetailView(ReadOpenView):
    @extend_schema(responses=StorefrontSerializer)
    def get(self, request: Request, slug: str) -> Response:
        storefront = storefront_get(slug=slug, viewer=viewer_of(request))
        storefront_visit_record(
            storefront=storefront,
            visitor=viewer_of(request),
            visitor_key=visitor_key(
                user=viewer_of(request),
                session_key=request.session.session_key,
                ip=request.META.get("REMOTE_ADDR"),
            ),
        )
        return Response(StorefrontSerializer(storefront, context={"request": request}).data)

    @extend_schema(request=StorefrontUpdateSerializer, responses=StorefrontSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        storefront = get_object_or_404(Storefront, slug__iexact=slug)
        data = StorefrontUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        storefront_update(actor=request.user, storefront=storefront, **data.validated_data)
        return Response(_storefront_body(request, storefront.slug))


class StorefrontBannerView(APIView):
    @extend_schema(
        request={"multipart/form-data": BannerUploadSerializer},
        responses={200: StorefrontSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        storefront = _own_storefront(request, slug)
        data = BannerUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        storefront_banner_set(
            actor=request.user, storefront=storefront, upload=data.validated_data["banner"]
        )
        return Response(_storefront_body(request, storefront.slug))


class CollectionCreateView(APIView):
    @extend_schema(request=CollectionWriteSerializer, responses={201: CollectionSerializer})
    def post(self, request: Request, slug: str) -> Response:
        storefront = _own_storefront(request, slug)
        data = CollectionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        collection = collection_create(
            actor=request.user, storefront=storefront, **data.validated_data
        )
        return Response(
            CollectionSerializer(collection, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CollectionDetailView(APIView):
    @extend_schema(request=CollectionWriteSerializer, responses=CollectionSerializer)
    def patch(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        data = CollectionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        collection_update(actor=request.user, collection=collection, **data.validated_data)
        return Response(CollectionSerializer(collection, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        collection_delete(actor=request.user, collection=collection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionItemsView(APIView):
    @extend_schema(request=CollectionItemWriteSerializer, responses={201: CollectionItemSerializer})
    def post(self, request: Request, slug: str, collection_id: int) -> Response:
        collection = _own_collection(request, slug, collection_id)
        data = CollectionItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = collection_item_add(
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
            CollectionItemSerializer(item, context={"request": request}).data,
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

    @extend_schema(request=CollectionItemUpdateSerializer, responses=CollectionItemSerializer)
    def patch(self, request: Request, slug: str, collection_id: int, item_id: int) -> Response:
        item = self._item(request, slug, collection_id, item_id)
        data = CollectionItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        collection_item_update(actor=request.user, item=item, **data.validated_data)
        return Response(CollectionItemSerializer(item, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, slug: str, collection_id: int, item_id: int) -> Response:
        item = self._item(request, slug, collection_id, item_id)
        collection_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CreatorCodeListView(GenericAPIView):
    serializer_class = CreatorCodeSerializer

    def get_queryset(self):
        return creator_codes_list(user=self.request.user)

    @extend_schema(responses=CreatorCodeSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=CreatorCodeCreateSerializer, responses={201: CreatorCodeSerializer})
    def post(self, request: Request) -> Response:
        if not is_creator(request.user):
            raise ShopPermissionDeniedError("Only creators may own a creator code.")
        data = CreatorCodeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = creator_code_create(actor=request.user, **data.validated_data)
        return Response(CreatorCodeSerializer(code).data, status=status.HTTP_201_CREATED)
