"""How moderation reads groupbuy's content (target types ``storefront`` and ``product``): loading
many at once (hidden ones included), who may see one, and what a moderator reads in the queue.

A storefront's queue item covers the storefront and its listings that wait for approval (a
trust-level-0 creator's, or one whose note asked for approval): the item's context lists them.
"""

from collections.abc import Iterable

from django.db.models import Count, Q

from groupbuy.models import CollectionItem, Product, Storefront

PREVIEW_CHARS = 200
CONTEXT_ROWS = 20


def storefronts_load_many(ids: Iterable[int]) -> dict[int, Storefront]:
    rows = (
        Storefront.objects.select_related("owner")
        .filter(pk__in=list(ids))
        .annotate(
            pending_listings=Count(
                "collections__items", filter=Q(collections__items__pending_review=True)
            )
        )
    )
    return {storefront.pk: storefront for storefront in rows}


def products_load_many(ids: Iterable[int]) -> dict[int, Product]:
    rows = Product.objects.select_related("created_by").filter(pk__in=list(ids))
    return {product.pk: product for product in rows}


def _clip(text: str) -> str:
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def storefront_preview(storefront: Storefront) -> dict:
    return {
        "text": _clip(" · ".join(part for part in (storefront.title, storefront.bio) if part)),
        "author": storefront.owner.username,
        "url": f"/store/{storefront.slug}/",
        "title": storefront.title,
        "published": storefront.is_published,
        "pending_listings": getattr(storefront, "pending_listings", 0),
    }


def storefront_context(storefront: Storefront) -> list[dict]:
    """The listings waiting for approval first, then the collections' titles and notes."""
    pending = (
        CollectionItem.objects.filter(collection__storefront=storefront, pending_review=True)
        .select_related("product", "collection")
        .order_by("id")[:CONTEXT_ROWS]
    )
    rows: list[dict] = [
        {
            "kind": "listing",
            "pending": True,
            "item_id": item.pk,
            "collection": item.collection.title,
            "product_id": item.product_id,
            "text": item.product.title,
            "note": item.note,
            "url": f"/products/{item.product_id}/",
        }
        for item in pending
    ]
    for collection in storefront.collections.order_by("sort", "id")[:CONTEXT_ROWS]:
        rows.append(
            {
                "kind": "collection",
                "collection_id": collection.pk,
                "text": collection.title,
                "note": collection.note,
            }
        )
    return rows


def product_preview(product: Product) -> dict:
    author = product.created_by.username if product.created_by else ""
    return {
        "text": _clip(" · ".join(part for part in (product.title, product.description) if part)),
        "author": author,
        "url": f"/products/{product.pk}/",
        "title": product.title,
        "price": str(product.price),
        "status": product.status,
    }


def product_context(product: Product) -> list[dict]:
    """The storefronts that list the product, with their creators' notes about it."""
    items = (
        CollectionItem.objects.filter(product=product)
        .select_related("collection__storefront")
        .order_by("-id")[:CONTEXT_ROWS]
    )
    return [
        {
            "kind": "listing",
            "storefront": item.collection.storefront.slug,
            "text": item.note,
            "pending": item.pending_review,
            "url": f"/store/{item.collection.storefront.slug}/",
        }
        for item in items
    ]
