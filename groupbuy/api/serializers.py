"""Input and output shapes of the catalog and storefront endpoints (money as decimal strings)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from groupbuy.models import (
    MAX_COMMISSION_RATE,
    Category,
    Collection,
    CollectionItem,
    CreatorCode,
    Product,
    ProductImage,
    ProductStatus,
    Storefront,
)
from groupbuy.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from groupbuy.selectors import first_image_url, storefront_collections

# --- catalog ----------------------------------------------------------------------------------


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
            "commission_rate",
            "images",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_in_stock(self, product: Product) -> bool:
        return product.stock > 0


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


class BannerUploadSerializer(serializers.Serializer):
    banner = serializers.FileField()


# --- storefronts ------------------------------------------------------------------------------


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


class CollectionItemSerializer(serializers.ModelSerializer):
    product = ProductSummarySerializer(read_only=True)

    class Meta:
        model = CollectionItem
        fields = ["id", "product", "note", "sort", "created_at"]
        read_only_fields = fields


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

    class Meta:
        model = Storefront
        fields = [
            "slug",
            "title",
            "bio",
            "banner_url",
            "is_published",
            "owner",
            "collections",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_banner_url(self, storefront: Storefront) -> str | None:
        return storefront.banner.url if storefront.banner else None

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
