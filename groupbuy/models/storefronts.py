"""Creator storefronts, their collections, visits and creator codes.

Invariants live in the database: a creator has one storefront, a product sits once in a
collection, and a visitor is counted at most once per storefront per hour.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from groupbuy.models.catalog import Product


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
    # Set while moderation hides the storefront (reported, a watched word, or a trust-level-0
    # creator's new storefront waiting for approval): 404 for everybody but its owner, staff and
    # moderators. Separate from ``is_published``, the owner's own choice, which a restore keeps.
    hidden_at = models.DateTimeField(null=True, blank=True)
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
    # A listing by a trust-level-0 creator (or whose note asks for approval) waits here until a
    # moderator approves its storefront's queue item; only the owner and moderators see it.
    pending_review = models.BooleanField(default=False)
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
