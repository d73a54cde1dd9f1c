"""Orders: checkout (price, stock, coupon, points, creator code, attribution), cancellation,
the status changes every order service makes, and the hooks of special order kinds.

Checkout runs in one transaction: stock is taken by conditional updates in product-id order (no
deadlocks between carts), the wallet coupon by a conditional ``used_at IS NULL`` update and the
points through the ledger, so a refusal anywhere leaves nothing taken.

A regular order takes its stock from the product. A flash-sale order takes it from the sale, a
team order from the campaign and also holds a seat. The order services stay the same for every
kind (cancel, pay, ship, refund) and call the kind's hooks, inside their own transaction, at the
moments that matter:

- ``release(order)``: give back what the order reserved (unpaid timeout, cancel, refund).
- ``on_paid(order)``: the payment was confirmed (a team seat becomes paid; the Nth completes it).
- ``can_ship(order)``: whether staff may ship it yet (a team order waits for its team).
- ``on_refund_requested(order)``: a refund was asked for (a team seat is given up at once, so a
  seat whose money is going back can never complete a team).

Kinds are registered in ``GroupbuyConfig.ready()`` with the hooks their topics' services own.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from community.models import User
from community.services import points_refund, points_spend
from community.services.insights.events import track
from groupbuy.exceptions import (
    CouponInvalidError,
    CreatorCodeInvalidError,
    OrderPricingError,
    OrderStateError,
    OutOfStockError,
    PricingError,
    ShopNotFoundError,
)
from groupbuy.models import (
    Address,
    CreatorCode,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Product,
    UserCoupon,
)
from groupbuy.selectors.addresses import address_get_for_owner
from groupbuy.selectors.commission import (
    Attribution,
    attribute_order,
    share_clicks_for_buyer,
    storefront_visits_for_buyer,
)
from groupbuy.selectors.coupons import coupon_terms, user_coupons_checkout_accepts
from groupbuy.selectors.orders import (
    Breakdown,
    cart_lines,
    order_as_placed,
    points_limit,
    price,
    quantize,
)
from groupbuy.services.catalog import product_stock_release, product_stock_reserve

log = logging.getLogger(__name__)


# --- order kinds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderKind:
    release: Callable[[Order], None]
    on_paid: Callable[[Order], None] | None = None
    can_ship: Callable[[Order], bool] | None = None
    on_refund_requested: Callable[[Order], None] | None = None


_kinds: dict[str, OrderKind] = {}


def register_order_kind(name: str, kind: OrderKind) -> None:
    _kinds[name] = kind


def order_kind(name: str) -> OrderKind | None:
    return _kinds.get(name)


# --- status changes: record them, and tell others ---------------------------------------------


STATUS_TIMESTAMPS = {
    "paid": "paid_at",
    "shipped": "shipped_at",
    "delivered": "delivered_at",
    "completed": "completed_at",
    "refunded": "refunded_at",
    "cancelled": "cancelled_at",
}


def order_move(order: Order, to_status: str, *, note: str = "", **fields) -> Order:
    """Set a locked order's status (and its timestamp) and append the timeline entry."""
    from_status = order.status
    stamp = STATUS_TIMESTAMPS.get(to_status)
    if stamp and stamp not in fields:
        fields[stamp] = timezone.now()
    Order.objects.filter(pk=order.pk).update(status=to_status, **fields)
    OrderEvent.objects.create(
        order=order, from_status=from_status, to_status=to_status, note=note[:200]
    )
    order.status = to_status
    for name, value in fields.items():
        setattr(order, name, value)
    return order


def send_on_commit(signal: Signal, **kwargs) -> None:
    """Announce a domain event once the transaction commits; a failing listener is logged, and
    never undoes or blocks the order's own change."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=Order, **kwargs):
            if isinstance(result, Exception):
                log.error(
                    "groupbuy signal receiver failed",
                    exc_info=result,
                    extra={"receiver": getattr(receiver, "__qualname__", str(receiver))},
                )

    transaction.on_commit(send)


# --- checkout and cancellation -------------------------------------------------------------------


def points_offset_key(order_id: int) -> str:
    return f"order:{order_id}:points"


def _wallet_coupon(
    buyer: User, user_coupon_id: int, now: datetime, *, lock: bool = True
) -> UserCoupon:
    # The same rule the best-coupon pick uses, so it never recommends what is refused here.
    wallet = user_coupons_checkout_accepts(user=buyer, now=now)
    entry = (wallet.select_for_update() if lock else wallet).filter(pk=user_coupon_id).first()
    if entry is None:
        raise CouponInvalidError(
            "That coupon is not in your wallet, used, expired or only for a first order."
        )
    return entry


def _attribution(buyer: User, code: CreatorCode | None, now: datetime) -> Attribution:
    """Which creator an order the buyer places now is attributed to (PRODUCT.md §5)."""
    return attribute_order(
        buyer_id=buyer.pk,
        creator_code_owner_id=code.creator_id if code else None,
        share_clicks=share_clicks_for_buyer(buyer_id=buyer.pk, now=now),
        storefront_visits=storefront_visits_for_buyer(buyer_id=buyer.pk, now=now),
        now=now,
    )


def _creator_code(buyer: User, creator_code: str) -> CreatorCode | None:
    if not creator_code.strip():
        return None
    code = CreatorCode.objects.filter(code__iexact=creator_code.strip(), is_active=True).first()
    if code is None or code.creator_id == buyer.pk:
        raise CreatorCodeInvalidError()
    return code


def _breakdown(
    *, buyer: User, lines, entry: UserCoupon | None, code: CreatorCode | None, points: int
) -> Breakdown:
    balance = User.objects.values_list("points_balance", flat=True).get(pk=buyer.pk)
    try:
        return price(
            lines,
            coupon=coupon_terms(entry.coupon) if entry else None,
            creator_percent=Decimal(code.discount_percent) if code else None,
            points=points,
            points_balance=balance,
        )
    except PricingError as refusal:
        if refusal.code == "coupon_invalid":
            raise CouponInvalidError(refusal.detail) from refusal
        error = OrderPricingError(refusal.detail, **refusal.extra)
        error.code = refusal.code
        raise error from refusal


def _merge(items: list[tuple[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    return merged


def order_quote(
    *,
    buyer: User,
    items: list[tuple[int, int]],
    user_coupon_id: int | None = None,
    points: int = 0,
    creator_code: str = "",
    now: datetime | None = None,
) -> tuple[Breakdown, int]:
    """What checkout would charge, and the most points usable, refusing exactly as checkout
    would; reads only."""
    now = now or timezone.now()
    lines = cart_lines(sorted(_merge(items).items()))
    entry = _wallet_coupon(buyer, user_coupon_id, now, lock=False) if user_coupon_id else None
    code = _creator_code(buyer, creator_code)
    breakdown = _breakdown(buyer=buyer, lines=lines, entry=entry, code=code, points=points)
    balance = User.objects.values_list("points_balance", flat=True).get(pk=buyer.pk)
    return breakdown, points_limit(breakdown.total + breakdown.points_discount, balance)


def _shipping_copy(address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {
        "ship_name": address.name,
        "ship_phone": address.phone,
        "ship_region": address.region,
        "ship_detail": address.detail,
    }


def order_create(
    *,
    buyer: User,
    items: list[tuple[int, int]],
    user_coupon_id: int | None = None,
    points: int = 0,
    creator_code: str = "",
    share_code: str = "",
    address_id: int | None = None,
    now: datetime | None = None,
) -> Order:
    """Place an order at the shown price (shipped to the buyer's ``address_id``, copied onto the
    order); it waits for payment until ``expires_at``."""
    now = now or timezone.now()
    merged = _merge(items)
    with transaction.atomic(durable=True):
        # Another member's address is a 404, as everywhere: nothing is reserved.
        address = address_get_for_owner(user=buyer, address_id=address_id) if address_id else None
        lines = cart_lines(sorted(merged.items()))
        entry = _wallet_coupon(buyer, user_coupon_id, now) if user_coupon_id else None
        code = _creator_code(buyer, creator_code)
        breakdown = _breakdown(buyer=buyer, lines=lines, entry=entry, code=code, points=points)
        for line in lines:  # sorted by product id: concurrent carts lock rows in one order
            if not product_stock_reserve(product_id=line.product_id, quantity=line.quantity):
                raise OutOfStockError(
                    f"Not enough stock for product {line.product_id}.", product=line.product_id
                )
        attribution = _attribution(buyer, code, now)
        order = Order.objects.create(
            buyer=buyer,
            subtotal=breakdown.subtotal,
            coupon_discount=breakdown.coupon_discount,
            creator_discount=breakdown.creator_discount,
            points_used=breakdown.points_used,
            points_discount=breakdown.points_discount,
            total=breakdown.total,
            user_coupon=entry,
            creator_code=code,
            attributed_creator_id=attribution.creator_id,
            attribution_source=attribution.source or "",
            share_code=share_code.strip(),
            **_shipping_copy(address),
            expires_at=now + timedelta(minutes=settings.ORDER_PAYMENT_MINUTES),
        )
        titles = dict(Product.objects.filter(pk__in=merged).values_list("pk", "title"))
        OrderItem.objects.bulk_create(
            [
                OrderItem(
                    order=order,
                    product_id=line.product_id,
                    title=titles[line.product_id],
                    unit_price=line.unit_price,
                    quantity=line.quantity,
                    amount=line.amount,
                )
                for line in lines
            ]
        )
        if entry is not None:
            UserCoupon.objects.filter(pk=entry.pk, used_at__isnull=True).update(
                used_at=now, order_id=order.pk
            )
        if breakdown.points_used:
            points_spend(
                user_id=buyer.pk,
                amount=breakdown.points_used,
                reason="offset",
                idempotency_key=points_offset_key(order.pk),
                source_type="order",
                source_id=str(order.pk),
            )
        OrderEvent.objects.create(order=order, to_status=OrderStatus.PENDING_PAYMENT)
        track("order_created", buyer, _order_properties(order, len(lines)))
        return order


def _order_properties(order: Order, items: int) -> dict:
    # Money as a decimal string (as in the API), ids for joining events of one order.
    return {
        "order_id": order.pk,
        "amount": str(order.total),
        "kind": order.kind,
        "items": items,
        "coupon": order.user_coupon_id is not None,
        "points_used": order.points_used,
    }


def order_give_back(order: Order) -> None:
    """Give back what a locked order took: its stock (or, for a deal, the sale's or campaign's
    unit and the team seat), its wallet coupon and its offset points. Called once per order, by
    the cancellation or the refund, inside their transaction."""
    hooks = order_kind(order.kind)
    if hooks is not None:
        hooks.release(order)
    else:
        for item in order.items.order_by("product_id"):
            product_stock_release(product_id=item.product_id, quantity=item.quantity)
    if order.user_coupon_id:
        UserCoupon.objects.filter(pk=order.user_coupon_id, order_id=order.pk).update(
            used_at=None, order_id=None
        )
    if order.points_used:
        key = points_offset_key(order.pk)
        points_refund(spend_key=key, idempotency_key=key + ":refund")


def order_place_at_price(
    *,
    buyer: User,
    product_id: int,
    quantity: int,
    unit_price: Decimal,
    kind: str,
    title: str | None = None,
    now: datetime | None = None,
) -> Order:
    """An order at a deal price (flash sale, group buy) whose stock the caller has already
    reserved in its own transaction; no coupon, code or points apply to deals.

    It is attributed like a cart order without a creator code (share-link click, then storefront
    visit), so a creator earns commission on the deals their links and storefront bring in. The
    order comes back complete (items, timeline, nothing else yet), so a hot path can answer with
    it without reading it again."""
    if transaction.get_connection().in_atomic_block is False:
        raise RuntimeError("order_place_at_price runs inside the caller's transaction")
    now = now or timezone.now()
    if title is None:
        title = Product.objects.values_list("title", flat=True).get(pk=product_id)
    amount = quantize(unit_price * quantity)
    attribution = _attribution(buyer, None, now)
    order = Order.objects.create(
        kind=kind,
        buyer=buyer,
        subtotal=amount,
        total=amount,
        attributed_creator_id=attribution.creator_id,
        attribution_source=attribution.source or "",
        expires_at=now + timedelta(minutes=settings.ORDER_PAYMENT_MINUTES),
    )
    item = OrderItem.objects.create(
        order=order,
        product_id=product_id,
        title=title,
        unit_price=quantize(unit_price),
        quantity=quantity,
        amount=amount,
    )
    event = OrderEvent.objects.create(order=order, to_status=OrderStatus.PENDING_PAYMENT, note=kind)
    track("order_created", buyer, {**_order_properties(order, 1), "product_id": product_id})
    return order_as_placed(order, items=[item], events=[event])


def order_cancel(*, order_id: int, reason: str, actor: User | None = None) -> Order:
    """Cancel an unpaid order and give back its stock, coupon and points (safe to repeat)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or (actor is not None and order.buyer_id != actor.pk):
            raise ShopNotFoundError()
        if order.status == OrderStatus.CANCELLED:
            return order
        if order.status != OrderStatus.PENDING_PAYMENT:
            raise OrderStateError(
                "Only an unpaid order can be cancelled; ask for a refund instead."
            )
        order_give_back(order)
        order_move(order, OrderStatus.CANCELLED, note=reason, cancel_reason=reason)
        order.refresh_from_db()
        return order


def orders_cancel_unpaid(*, now: datetime | None = None) -> int:
    """The sweeper: cancel every order past its payment deadline (each once, even in parallel)."""
    now = now or timezone.now()
    due = Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    cancelled = 0
    for order_id in list(due):
        with transaction.atomic():
            # Another sweeper holding this order skips it; it re-checks the status under its lock.
            locked = Order.objects.select_for_update(skip_locked=True).filter(
                pk=order_id, status=OrderStatus.PENDING_PAYMENT
            )
            if not locked.exists():
                continue
            order_cancel(order_id=order_id, reason="payment_timeout")
            cancelled += 1
    return cancelled
