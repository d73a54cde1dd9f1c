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
from groupbuy.selectors.catalog import can_review, is_staff


def product_storefronts(*, product_id: int) -> QuerySet[Storefront]:
    """Published storefronts that list the product in one of their collections (listings still
    waiting for a moderator and storefronts hidden by moderation left out)."""
    return (
        Storefront.objects.filter(
            is_published=True,
            hidden_at__isnull=True,
            collections__items__product_id=product_id,
            collections__items__pending_review=False,
        )
        .select_related("owner")
        .distinct()
        .order_by("id")
    )


def can_manage_view(storefront: Storefront, viewer) -> bool:
    """The owner, staff and moderators see all of a storefront: hidden, unpublished or pending."""
    return viewer is not None and (storefront.owner_id == viewer.pk or can_review(viewer))


def can_see_storefront(storefront: Storefront, viewer) -> bool:
    """Published and not hidden by moderation, or the viewer is its owner, staff (who also see
    unpublished ones) or a moderator (who see hidden ones)."""
    if storefront.hidden_at is None and storefront.is_published:
        return True
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if storefront.owner_id == viewer.pk or is_staff(viewer):
        return True
    return storefront.is_published and can_review(viewer)


def storefront_get(*, slug: str, viewer) -> Storefront:
    """A storefront with its collections, items and products, or 404 when the viewer may not see
    it. Visitors see only products on sale and listings a moderator let through; the owner, staff
    and moderators see every item."""
    storefront = get_object_or_404(Storefront.objects.select_related("owner"), slug__iexact=slug)
    if not can_see_storefront(storefront, viewer):
        raise Http404("No such storefront.")
    items = CollectionItem.objects.select_related("product").prefetch_related(
        Prefetch("product__images", queryset=ProductImage.objects.order_by("sort", "id"))
    )
    if not can_manage_view(storefront, viewer):
        items = items.filter(
            product__status=ProductStatus.ACTIVE,
            product__hidden_at__isnull=True,
            pending_review=False,
        )
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
    """Products on sale in the owner's storefront collections (what a host may pin or launch);
    listings still waiting for a moderator and products hidden by moderation are not."""
    return (
        Product.objects.filter(
            status=ProductStatus.ACTIVE,
            hidden_at__isnull=True,
            collection_items__collection__storefront__owner=owner,
            collection_items__pending_review=False,
        )
        .distinct()
        .order_by("title", "id")
    )
