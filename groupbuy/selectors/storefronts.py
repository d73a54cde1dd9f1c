"""Reads of creator storefronts and creator codes (owners see their unpublished storefront)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from groupbuy.models import (
    Collection,
    CollectionItem,
    CreatorCode,
    Product,
    ProductImage,
    ProductStatus,
    Storefront,
)
from groupbuy.selectors.catalog import is_staff


def product_storefronts(*, product_id: int) -> QuerySet[Storefront]:
    """Published storefronts that feature the product in one of their collections."""
    return (
        Storefront.objects.filter(is_published=True, collections__items__product_id=product_id)
        .select_related("owner")
        .distinct()
        .order_by("id")
    )


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


def storefront_products_of(*, owner) -> QuerySet[Product]:
    """Products on sale in the owner's storefront collections (what a host may pin or launch)."""
    return (
        Product.objects.filter(
            status=ProductStatus.ACTIVE, collection_items__collection__storefront__owner=owner
        )
        .distinct()
        .order_by("title", "id")
    )
