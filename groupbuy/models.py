"""Catalog (categories, products, images), creator storefronts, their visits and creator codes.

Invariants live in the database: stock never goes negative, prices are positive, commission rates
stay within 0-30 %, a creator has one storefront, a product sits once in a collection, and a
visitor is counted at most once per storefront per hour.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from groupbuy.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

MAX_COMMISSION_RATE = Decimal("0.30")
MAX_PRODUCT_IMAGES = 9


class Category(models.Model):
    name = models.CharField(max_length=64)
    slug = models.SlugField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    sort = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Product(models.Model):
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    price = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    stock = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    # A fraction of the paid amount (0.05 = 5 %) earned by the creator an order is attributed to.
    commission_rate = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="product_stock_gte_0"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_gt_0"),
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0)
                & models.Q(commission_rate__lte=MAX_COMMISSION_RATE),
                name="product_commission_rate_0_30",
            ),
        ]
        indexes = [models.Index(fields=["status", "-id"], name="product_status_newest")]

    def __str__(self) -> str:
        return self.title


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.image.name}"


class Storefront(models.Model):
    # One storefront per creator: the one-to-one is the unique constraint that enforces it.
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="storefront"
    )
    slug = models.SlugField(max_length=50)
    title = models.CharField(max_length=80)
    bio = models.CharField(max_length=500, blank=True)
    banner = models.ImageField(upload_to="storefronts/%Y/%m/", blank=True)
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("slug"), name="storefront_slug_ci_unique")]

    def __str__(self) -> str:
        return self.slug


class Collection(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(max_length=80)
    note = models.CharField(max_length=500, blank=True)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collection_items")
    # The creator's own words about the product, shown next to it on the storefront.
    note = models.CharField(max_length=500, blank=True)
    sort = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "product"], name="collection_item_unique_product"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.product_id}"


class StorefrontVisit(models.Model):
    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="storefront_visits",
    )
    # "u:<id>" for members, "s:<session key>" or "ip:<hash>" for anonymous visitors.
    visitor_key = models.CharField(max_length=80)
    # The visit's time truncated to the hour: the unique constraint counts one visit per hour.
    hour_bucket = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "visitor_key", "hour_bucket"],
                name="storefront_visit_once_per_hour",
            )
        ]
        indexes = [
            models.Index(fields=["visitor", "created_at"], name="visit_visitor_time"),
            models.Index(fields=["storefront", "created_at"], name="visit_storefront_time"),
        ]

    def __str__(self) -> str:
        return f"{self.storefront_id}:{self.visitor_key}@{self.hour_bucket:%Y-%m-%d %H}"


class CreatorCode(models.Model):
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_codes"
    )
    code = models.CharField(max_length=32)
    discount_percent = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("code"), name="creator_code_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=1) & models.Q(discount_percent__lte=30),
                name="creator_code_discount_1_30",
            ),
        ]

    def __str__(self) -> str:
        return self.code
