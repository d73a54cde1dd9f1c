"""Money, order pricing, and reads of orders as the buyer and other apps see them.

Money is ``Decimal`` in CNY with two places; every amount passes through ``quantize``.

Pricing is items - platform coupon - creator code - points offset, in one place: pure functions
on plain values, so every rule is testable with property tests and the order service stores
exactly what the customer was shown. All amounts are rounded by ``quantize`` (half up) at each
step; nothing in the pricing reads the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from groupbuy.exceptions import PricingError, ShopNotFoundError
from groupbuy.models import Order, OrderItem, OrderStatus, Product, ProductStatus

CURRENCY = "CNY"
CENT = Decimal("0.01")


def quantize(value: Decimal | int | str) -> Decimal:
    """Round to the cent, halves away from zero (¥0.005 -> ¥0.01), as Chinese invoices do."""
    # str() first: Decimal(0.1) would carry the binary float's error into the amount.
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# --- pricing --------------------------------------------------------------------------------------

ZERO = Decimal("0.00")
POINTS_PER_YUAN = 100
# At most this share of what is left after discounts may be paid with points (PRODUCT.md §4).
POINTS_MAX_SHARE = Decimal("0.50")


@dataclass(frozen=True)
class Line:
    product_id: int
    unit_price: Decimal
    quantity: int
    category_id: int | None = None

    @property
    def amount(self) -> Decimal:
        return quantize(self.unit_price * self.quantity)


@dataclass(frozen=True)
class CouponTerms:
    """What a coupon takes off: a fixed amount, or a percentage with an optional cap, over the
    items it covers (all items, or only some products / categories), above a threshold."""

    kind: str  # "amount" | "percent"
    value: Decimal  # yuan for "amount", percent (e.g. 10 for 10 %) for "percent"
    threshold: Decimal = ZERO
    cap: Decimal | None = None
    product_ids: frozenset[int] = field(default_factory=frozenset)
    category_ids: frozenset[int] = field(default_factory=frozenset)

    def covers(self, line: Line) -> bool:
        if not self.product_ids and not self.category_ids:
            return True
        return line.product_id in self.product_ids or (
            line.category_id is not None and line.category_id in self.category_ids
        )


@dataclass(frozen=True)
class Breakdown:
    subtotal: Decimal
    eligible_subtotal: Decimal
    coupon_discount: Decimal
    creator_discount: Decimal
    points_used: int
    points_discount: Decimal
    total: Decimal

    @property
    def discount(self) -> Decimal:
        return self.coupon_discount + self.creator_discount + self.points_discount


def subtotal_of(lines: Iterable[Line]) -> Decimal:
    return quantize(sum((line.amount for line in lines), ZERO))


def coupon_discount(terms: CouponTerms, lines: list[Line]) -> tuple[Decimal, Decimal]:
    """(eligible subtotal, discount); refuses a cart below the threshold."""
    eligible = subtotal_of(line for line in lines if terms.covers(line))
    if eligible == ZERO:
        raise PricingError("coupon_invalid", "This coupon does not cover any item in the cart.")
    if eligible < terms.threshold:
        raise PricingError(
            "coupon_invalid",
            f"This coupon needs ¥{terms.threshold} of eligible items; the cart has ¥{eligible}.",
            threshold=str(terms.threshold),
        )
    if terms.kind == "amount":
        discount = quantize(terms.value)
    else:
        discount = quantize(eligible * terms.value / 100)
        if terms.cap is not None:
            discount = min(discount, quantize(terms.cap))
    # A coupon never takes more than the items it covers.
    return eligible, min(discount, eligible)


def points_limit(amount: Decimal, balance: int) -> int:
    """The most points usable on ``amount``: half of it, at 100 points per yuan, within balance."""
    by_share = int((amount * POINTS_MAX_SHARE * POINTS_PER_YUAN).to_integral_value(ROUND_DOWN))
    return max(0, min(balance, by_share))


def price(
    lines: list[Line],
    *,
    coupon: CouponTerms | None = None,
    creator_percent: Decimal | None = None,
    points: int = 0,
    points_balance: int = 0,
) -> Breakdown:
    """The price of a cart: coupon first, then the creator code on what is left, then points."""
    if not lines:
        raise PricingError("empty_order", "An order needs at least one item.")
    if points < 0:
        raise PricingError("points_invalid", "Points cannot be negative.")
    subtotal = subtotal_of(lines)
    eligible, coupon_off = coupon_discount(coupon, lines) if coupon else (ZERO, ZERO)
    after_coupon = subtotal - coupon_off
    creator_off = quantize(after_coupon * creator_percent / 100) if creator_percent else ZERO
    after_codes = after_coupon - creator_off
    limit = points_limit(after_codes, points_balance)
    if points > limit:
        raise PricingError(
            "points_over_limit",
            f"At most {limit} points can be used on this order.",
            max_points=limit,
        )
    points_off = quantize(Decimal(points) / POINTS_PER_YUAN)
    total = after_codes - points_off
    return Breakdown(
        subtotal=subtotal,
        eligible_subtotal=eligible,
        coupon_discount=coupon_off,
        creator_discount=creator_off,
        points_used=points,
        points_discount=points_off,
        total=quantize(total),
    )


def best_coupon(
    lines: list[Line], candidates: dict[int, CouponTerms]
) -> tuple[int | None, Decimal]:
    """The coupon (by id) that takes the most off this cart, with its discount; ties go to the
    lower id so the answer is stable."""
    best_id, best_off = None, ZERO
    for coupon_id in sorted(candidates):
        try:
            _, off = coupon_discount(candidates[coupon_id], lines)
        except PricingError:
            continue
        if off > best_off:
            best_id, best_off = coupon_id, off
    return best_id, best_off


def cart_lines(items: list[tuple[int, int]]) -> list[Line]:
    """Pricing lines for (product id, quantity) pairs of products on sale; unknown ones (and
    ones hidden by moderation) raise."""
    products = Product.objects.filter(
        pk__in=[pid for pid, _ in items], status=ProductStatus.ACTIVE, hidden_at__isnull=True
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
