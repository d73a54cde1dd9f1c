"""Reads of the catalog and storefronts, aware of who is looking (staff see drafts, owners see
their unpublished storefront)."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import Role
from community.selectors import user_roles
from groupbuy.attribution import storefront_visit_window
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import (
    Category,
    Collection,
    CollectionItem,
    Coupon,
    CouponUserCount,
    CreatorCode,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    ProductImage,
    ProductStatus,
    Storefront,
    StorefrontVisit,
    UserCoupon,
)
from groupbuy.pricing import CouponTerms, Line, best_coupon


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


def storefront_products_of(*, owner) -> QuerySet[Product]:
    """Products on sale in the owner's storefront collections (what a host may pin or launch)."""
    return (
        Product.objects.filter(
            status=ProductStatus.ACTIVE, collection_items__collection__storefront__owner=owner
        )
        .distinct()
        .order_by("title", "id")
    )


def storefront_visits_for_buyer(*, buyer_id: int, now: datetime) -> list[tuple[int, datetime]]:
    """``(creator_id, visited_at)`` of the buyer's storefront visits within
    ``ATTRIBUTION_STOREFRONT_HOURS``, oldest first: the input ``attribute_order`` expects."""
    window = storefront_visit_window()
    rows = (
        StorefrontVisit.objects.filter(
            visitor_id=buyer_id, created_at__gte=now - window, created_at__lte=now
        )
        .order_by("created_at", "id")
        .values_list("storefront__owner_id", "created_at")
    )
    return [(owner_id, visited_at) for owner_id, visited_at in rows]


# --- coupons -----------------------------------------------------------------------------------


def coupons_available(*, user, now=None) -> list[dict]:
    """Coupons the member can see in the coupon centre, with what is left and what they hold."""
    now = now or timezone.now()
    coupons = list(
        Coupon.objects.filter(is_active=True, claimable=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .order_by("-created_at", "-id")
    )
    held: dict[int, int] = {}
    if user is not None and user.is_authenticated:
        held = dict(
            CouponUserCount.objects.filter(user=user, coupon__in=coupons).values_list(
                "coupon_id", "count"
            )
        )
    return [
        {
            "coupon": coupon,
            "remaining": None
            if coupon.total_quantity is None
            else coupon.total_quantity - coupon.claimed_count,
            "held": held.get(coupon.pk, 0),
            "can_claim": held.get(coupon.pk, 0) < coupon.per_user_limit
            and (coupon.total_quantity is None or coupon.claimed_count < coupon.total_quantity),
        }
        for coupon in coupons
    ]


def user_coupons(*, user, state: str = "usable", now=None) -> QuerySet[UserCoupon]:
    now = now or timezone.now()
    wallet = (
        UserCoupon.objects.filter(user=user).select_related("coupon").order_by("expires_at", "id")
    )
    if state == "used":
        return wallet.filter(used_at__isnull=False)
    if state == "expired":
        return wallet.filter(used_at__isnull=True, expires_at__lte=now)
    return wallet.filter(used_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def coupon_terms(coupon: Coupon) -> CouponTerms:
    return CouponTerms(
        kind=coupon.kind,
        value=coupon.value,
        threshold=coupon.threshold,
        cap=coupon.cap,
        product_ids=frozenset(p.pk for p in coupon.products.all()),
        category_ids=frozenset(c.pk for c in coupon.categories.all()),
    )


def cart_lines(items: list[tuple[int, int]]) -> list[Line]:
    """Pricing lines for (product id, quantity) pairs of products on sale; unknown ones raise."""
    products = Product.objects.filter(
        pk__in=[pid for pid, _ in items], status=ProductStatus.ACTIVE
    ).in_bulk()
    missing = [pid for pid, _ in items if pid not in products]
    if missing:
        raise ShopNotFoundError(f"Products not on sale: {', '.join(map(str, missing))}.")
    return [
        Line(
            product_id=pid,
            unit_price=products[pid].price,
            quantity=qty,
            category_id=products[pid].category_id,
        )
        for pid, qty in items
    ]


def user_coupons_checkout_accepts(*, user, now=None) -> QuerySet[UserCoupon]:
    """The member's wallet coupons checkout accepts now: unused, unexpired, and first-order ones
    only while the member has never paid for an order.

    The one eligibility rule of checkout and of the best-coupon pick, so the pick never
    recommends a coupon checkout then refuses."""
    paid_before = Order.objects.filter(buyer_id=OuterRef("user_id"), paid_at__isnull=False)
    return user_coupons(user=user, now=now).filter(
        Q(coupon__first_order_only=False) | ~Exists(paid_before)
    )


def coupon_best_for_cart(
    *, user, items: list[tuple[int, int]]
) -> tuple[UserCoupon | None, Decimal]:
    """The member's coupon, of those checkout accepts, that takes the most off this cart."""
    wallet = {
        entry.pk: entry
        for entry in user_coupons_checkout_accepts(user=user).prefetch_related(
            "coupon__products", "coupon__categories"
        )
    }
    best_id, discount = best_coupon(
        cart_lines(items), {pk: coupon_terms(e.coupon) for pk, e in wallet.items()}
    )
    return (wallet[best_id] if best_id is not None else None), discount


# --- orders, as other apps see them ----------------------------------------------------------------


def order_item_get_completed(*, buyer_id: int, order_item_id: int) -> OrderItem | None:
    """The buyer's item of a completed order (what a review may be written about), else None."""
    return (
        OrderItem.objects.select_related("order", "product")
        .filter(pk=order_item_id, order__buyer_id=buyer_id, order__status=OrderStatus.COMPLETED)
        .first()
    )


def order_items_completed(*, buyer_id: int) -> QuerySet[OrderItem]:
    """The buyer's items of completed orders, newest first (what they may review)."""
    return (
        OrderItem.objects.filter(order__buyer_id=buyer_id, order__status=OrderStatus.COMPLETED)
        .select_related("product")
        .order_by("-order_id", "-pk")
    )


def purchases_since(*, since: datetime) -> list[tuple[int, int]]:
    """``(buyer_id, product_id)`` of every item paid since ``since`` and not refunded or cancelled."""
    return list(
        OrderItem.objects.filter(order__paid_at__gte=since)
        .exclude(order__status__in=[OrderStatus.REFUNDING, OrderStatus.REFUNDED])
        .values_list("order__buyer_id", "product_id")
    )


def order_summaries(*, order_ids: list[int]) -> QuerySet[Order]:
    """Orders with their items, for cards and rewards (no permission check: callers check)."""
    return Order.objects.prefetch_related("items").filter(pk__in=order_ids)


def order_get_summary(*, order_id: int) -> Order | None:
    return order_summaries(order_ids=[order_id]).first()


def orders_with_details() -> QuerySet[Order]:
    """Orders with everything their detail shows (items, timeline, tracking, refunds, after-sales)."""
    return Order.objects.select_related("shipment").prefetch_related(
        "items",
        "events",
        "shipment__events",
        "refunds",
        "after_sales__photos",
    )


def order_as_placed(order: Order, *, items: list, events: list) -> Order:
    """A just-placed order, ready for the order serializer without another read: its items and
    timeline are the rows just written, and nothing else (shipment, refunds, after-sales) can
    exist yet."""
    order._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "items": items,
        "events": events,
        "refunds": [],
        "after_sales": [],
    }
    order._state.fields_cache["shipment"] = None
    return order


def orders_of_buyer(*, buyer) -> QuerySet[Order]:
    return orders_with_details().filter(buyer=buyer)


def order_get_for_buyer(*, buyer, order_id: int) -> Order:
    """The buyer's own order; anyone else's is not found (never forbidden: it does not exist
    for them)."""
    order = orders_of_buyer(buyer=buyer).filter(pk=order_id).first()
    if order is None:
        raise ShopNotFoundError()
    return order
