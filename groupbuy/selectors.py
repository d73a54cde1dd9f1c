"""Reads of the catalog and storefronts, aware of who is looking (staff see drafts, owners see
their unpublished storefront)."""

from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from community.models import Role
from community.selectors import user_roles
from groupbuy.attribution import STOREFRONT_VISIT_WINDOW
from groupbuy.models import (
    Category,
    Collection,
    CollectionItem,
    CreatorCode,
    Product,
    ProductImage,
    ProductStatus,
    Storefront,
    StorefrontVisit,
)


def has_role(user, role: str) -> bool:
    """Whether a signed-in ``user`` holds ``role`` (superusers hold staff)."""
    if user is None or not user.is_authenticated:
        return False
    roles = getattr(user, "_groupbuy_roles", None)
    if roles is None:
        # Cached on the instance: one request asks several times and should query once.
        roles = user_roles(user)
        user._groupbuy_roles = roles
    return role in roles


def is_staff(user) -> bool:
    return has_role(user, Role.STAFF)


def is_creator(user) -> bool:
    return has_role(user, Role.CREATOR)


def _images() -> Prefetch:
    return Prefetch("images", queryset=ProductImage.objects.order_by("sort", "id"))


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def product_list(
    *, viewer, category_slug: str | None = None, query: str | None = None
) -> QuerySet[Product]:
    """Products on sale (staff: every product), by category (and its subcategories) or title."""
    products = Product.objects.select_related("category").prefetch_related(_images())
    if not is_staff(viewer):
        products = products.filter(status=ProductStatus.ACTIVE)
    if category_slug:
        products = products.filter(
            Q(category__slug=category_slug) | Q(category__parent__slug=category_slug)
        )
    if query:
        products = products.filter(title__icontains=query.strip())
    return products


def product_get(*, product_id: int, viewer) -> Product:
    """One product; drafts and archived products are 404 for everybody but staff."""
    return get_object_or_404(product_list(viewer=viewer), pk=product_id)


def product_storefronts(*, product_id: int) -> QuerySet[Storefront]:
    """Published storefronts that feature the product in one of their collections."""
    return (
        Storefront.objects.filter(is_published=True, collections__items__product_id=product_id)
        .select_related("owner")
        .distinct()
        .order_by("id")
    )


def first_image_url(product: Product) -> str | None:
    """The cover image of a product whose images were prefetched."""
    images = list(product.images.all())
    return images[0].image.url if images else None


def can_see_storefront(storefront: Storefront, viewer) -> bool:
    if storefront.is_published:
        return True
    return viewer is not None and (storefront.owner_id == viewer.pk or is_staff(viewer))


def storefront_get(*, slug: str, viewer) -> Storefront:
    """A storefront with its collections, items and products, or 404 when the viewer may not see
    it. Visitors see only products on sale; the owner and staff see every item."""
    storefront = get_object_or_404(Storefront.objects.select_related("owner"), slug__iexact=slug)
    if not can_see_storefront(storefront, viewer):
        raise Http404("No such storefront.")
    items = CollectionItem.objects.select_related("product").prefetch_related(
        Prefetch("product__images", queryset=ProductImage.objects.order_by("sort", "id"))
    )
    manager = viewer is not None and (storefront.owner_id == viewer.pk or is_staff(viewer))
    if not manager:
        items = items.filter(product__status=ProductStatus.ACTIVE)
    collections = Collection.objects.filter(storefront=storefront).prefetch_related(
        Prefetch("items", queryset=items.order_by("sort", "id"))
    )
    storefront.collection_rows = list(collections)  # type: ignore[attr-defined]
    return storefront


def storefront_collections(storefront: Storefront) -> list[Collection]:
    """The collections (with items) that ``storefront_get`` loaded, in display order."""
    return getattr(storefront, "collection_rows", [])


def storefront_of(*, user) -> Storefront | None:
    if user is None or not user.is_authenticated:
        return None
    return Storefront.objects.filter(owner_id=user.pk).first()


def creator_codes_list(*, user) -> QuerySet[CreatorCode]:
    return CreatorCode.objects.filter(creator_id=user.pk).order_by("-id")


def creator_code_get_active(*, code: str) -> CreatorCode | None:
    """The active creator code spelled ``code`` in any case (for checkout), or None."""
    return CreatorCode.objects.filter(code__iexact=code.strip(), is_active=True).first()


def storefront_visits_for_buyer(
    *, buyer_id: int, now: datetime, window: timedelta = STOREFRONT_VISIT_WINDOW
) -> list[tuple[int, datetime]]:
    """``(creator_id, visited_at)`` of the buyer's storefront visits in the window, oldest first:
    the input ``attribution.attribute_order`` expects."""
    rows = (
        StorefrontVisit.objects.filter(
            visitor_id=buyer_id, created_at__gte=now - window, created_at__lte=now
        )
        .order_by("created_at", "id")
        .values_list("storefront__owner_id", "created_at")
    )
    return [(owner_id, visited_at) for owner_id, visited_at in rows]
