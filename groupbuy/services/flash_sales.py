"""Flash sales (秒杀): creating a sale, buying in it, giving units back, reminders.

PostgreSQL is the authority; nothing else can create an order. One purchase is one transaction:

1. the member's quota row (unique per sale and member) is upserted and raised by a conditional
   ``UPDATE … SET quantity = quantity + q WHERE quantity + q <= per_user_limit``;
2. the order is written at the sale price (``order_place_at_price``);
3. last, the sale's stock is taken by ``UPDATE … SET stock_remaining = stock_remaining - q WHERE
   stock_remaining >= q AND ends_at > now RETURNING stock_remaining``.

Any refusal rolls the whole transaction back, so no quota or order survives without its units.
The hot sale row is locked only from step 3 to the commit, which keeps its lock as short as one
statement plus the commit flush (the row lock, not Python, bounds throughput: docs/commerce.md).
Quota before sale in every path (purchase and release), so the two can never deadlock.

Redis pre-filters the hopeless: once the stock is seen at 0 a short-lived "sold out" hint is set
and later buyers are answered without touching PostgreSQL. Each hint carries the sale's restock
generation, read before the stock was; every give-back bumps the generation after its commit. A
buyer who saw 0 just before a restock therefore writes a hint that is already stale, and no hint
can refuse a unit that came back.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from community.models import TierBenefit, User
from community.services import notification_send
from groupbuy.exceptions import (
    FlashSaleEndedError,
    FlashSaleLimitReachedError,
    FlashSaleNotFoundError,
    FlashSaleNotStartedError,
    FlashSaleSoldOutError,
    ProductUnavailableError,
    ShopPermissionDeniedError,
)
from groupbuy.models import (
    FlashSale,
    FlashSaleOrder,
    FlashSaleQuota,
    FlashSaleReminder,
    Order,
    OrderKindChoice,
    Product,
)
from groupbuy.selectors.catalog import is_staff
from groupbuy.selectors.flash_sales import buyer_opens_at, early_access_minutes
from groupbuy.services.orders import order_place_at_price

REMINDER_TYPE = "flash_sale_reminder"


def sold_out_hint_key(sale_id: int) -> str:
    return f"flash:soldout:{sale_id}"


def restock_generation_key(sale_id: int) -> str:
    return f"flash:restocks:{sale_id}"


# Outlives any sale; an evicted counter reads as 0, which only makes older hints stale.
RESTOCK_GENERATION_SECONDS = 7 * 24 * 3600


def _hint_sold_out(sale_id: int, ends_at: datetime, generation: int) -> None:
    # The end rides along, so a hinted request can still tell "ended" from "sold out".
    cache.set(
        sold_out_hint_key(sale_id),
        (ends_at.timestamp(), generation),
        timeout=settings.FLASH_SALE_SOLD_OUT_HINT_SECONDS,
    )


def _refuse_from_hint(sale_id: int, now: datetime) -> int:
    """Refuse from a current hint; otherwise the restock generation this request saw."""
    hint_key, generation_key = sold_out_hint_key(sale_id), restock_generation_key(sale_id)
    found = cache.get_many([hint_key, generation_key])
    generation = found.get(generation_key, 0)
    hint = found.get(hint_key)
    if hint is None or hint[1] != generation:
        return generation
    if now.timestamp() >= hint[0]:
        raise FlashSaleEndedError()
    raise FlashSaleSoldOutError()


def _count_restock(sale_id: int) -> None:
    key = restock_generation_key(sale_id)
    cache.add(key, 0, timeout=RESTOCK_GENERATION_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, timeout=RESTOCK_GENERATION_SECONDS)


def flash_sale_create(
    *,
    actor: User,
    product_id: int,
    price: Decimal,
    stock: int,
    starts_at: datetime,
    ends_at: datetime,
    per_user_limit: int = 1,
    tier_early_access: bool = True,
    title: str = "",
) -> FlashSale:
    """Schedule a flash sale of its own stock allocation (staff only)."""
    if not is_staff(actor):
        raise ShopPermissionDeniedError("Only staff create flash sales.")
    product = Product.objects.only("title").get(pk=product_id)
    return FlashSale.objects.create(
        product_id=product_id,
        title=title or product.title,
        price=price,
        stock_total=stock,
        stock_remaining=stock,
        starts_at=starts_at,
        ends_at=ends_at,
        per_user_limit=per_user_limit,
        tier_early_access=tier_early_access,
        created_by=actor,
    )


def _take_stock(sale_id: int, quantity: int, now: datetime) -> int | None:
    """The one statement that sells units: the remaining stock after it, or None if refused."""
    table = FlashSale._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET stock_remaining = stock_remaining - %s "
            "WHERE id = %s AND stock_remaining >= %s AND ends_at > %s RETURNING stock_remaining",
            [quantity, sale_id, quantity, now],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def flash_sale_order_place(
    *, actor: User, sale_id: int, quantity: int, now: datetime | None = None
) -> Order:
    """Buy ``quantity`` units: a pending-payment order at the sale price, or a refusal."""
    now = now or timezone.now()
    generation = _refuse_from_hint(sale_id, now)
    sale = (
        FlashSale.objects.filter(pk=sale_id)
        .select_related("product")
        .only(
            "product_id",
            "product__title",
            "product__hidden_at",
            "price",
            "stock_remaining",
            "starts_at",
            "ends_at",
            "per_user_limit",
            "tier_early_access",
        )
        .first()
    )
    if sale is None:
        raise FlashSaleNotFoundError()
    if sale.product.hidden_at is not None:  # moderation hid it: not for sale, at any price
        raise ProductUnavailableError("This product is not available.")
    if now >= sale.ends_at:
        raise FlashSaleEndedError()
    if now < sale.starts_at and now < buyer_opens_at(sale, early_access_minutes(actor)):
        raise FlashSaleNotStartedError(
            "This flash sale has not started yet.", starts_at=sale.starts_at.isoformat()
        )
    if sale.stock_remaining == 0:
        # A plain read is only a hint (the UPDATE below decides), but a true zero spares the
        # transaction and lets the next buyers be answered from the cache.
        _hint_sold_out(sale_id, sale.ends_at, generation)
        raise FlashSaleSoldOutError()
    if quantity > sale.per_user_limit:
        raise FlashSaleLimitReachedError(
            f"At most {sale.per_user_limit} per member.", per_user_limit=sale.per_user_limit
        )
    with transaction.atomic(durable=True):
        FlashSaleQuota.objects.bulk_create(
            [FlashSaleQuota(sale_id=sale_id, user=actor)], ignore_conflicts=True
        )
        within_limit = FlashSaleQuota.objects.filter(
            sale_id=sale_id, user=actor, quantity__lte=sale.per_user_limit - quantity
        )
        if not within_limit.update(quantity=F("quantity") + quantity):
            raise FlashSaleLimitReachedError(
                f"At most {sale.per_user_limit} per member.", per_user_limit=sale.per_user_limit
            )
        order = order_place_at_price(
            buyer=actor,
            product_id=sale.product_id,
            title=sale.product.title,
            quantity=quantity,
            unit_price=sale.price,
            kind=OrderKindChoice.FLASH_SALE,
            now=now,
        )
        remaining = _take_stock(sale_id, quantity, now)
        if remaining is None:
            left = FlashSale.objects.values_list("stock_remaining", flat=True).get(pk=sale_id)
            if now >= sale.ends_at:
                raise FlashSaleEndedError()
            if left == 0:
                _hint_sold_out(sale_id, sale.ends_at, generation)
                raise FlashSaleSoldOutError()
            raise FlashSaleSoldOutError(f"Only {left} left.", stock_remaining=left)
        FlashSaleOrder.objects.create(order=order, sale_id=sale_id, quantity=quantity)
        if remaining == 0:
            ends_at = sale.ends_at
            transaction.on_commit(lambda: _hint_sold_out(sale_id, ends_at, generation))
    return order


def flash_sale_order_release(order: Order) -> None:
    """The order kind's ``release``: units back to the sale and the member's quota (called once
    per order by the order services, under the order's lock, inside their transaction)."""
    link = FlashSaleOrder.objects.filter(order_id=order.pk).values("sale_id", "quantity").first()
    if link is None:
        return
    sale_id, quantity = link["sale_id"], link["quantity"]
    FlashSaleQuota.objects.filter(
        sale_id=sale_id, user_id=order.buyer_id, quantity__gte=quantity
    ).update(quantity=F("quantity") - quantity)
    FlashSale.objects.filter(pk=sale_id).update(stock_remaining=F("stock_remaining") + quantity)
    transaction.on_commit(lambda: _count_restock(sale_id))


def flash_sale_remind(*, actor: User, sale_id: int) -> tuple[FlashSaleReminder, bool]:
    """Ask for an in-app reminder before the start; asking again changes nothing."""
    sale = FlashSale.objects.filter(pk=sale_id).only("ends_at").first()
    if sale is None:
        raise FlashSaleNotFoundError()
    if timezone.now() >= sale.ends_at:
        raise FlashSaleEndedError()
    # get_or_create retries the read when a simultaneous request wins the unique constraint.
    return FlashSaleReminder.objects.get_or_create(sale_id=sale_id, user=actor)


def flash_sale_remind_cancel(*, actor: User, sale_id: int) -> bool:
    """Withdraw a reminder (an unsent one; a sent one is history)."""
    if not FlashSale.objects.filter(pk=sale_id).exists():
        raise FlashSaleNotFoundError()
    deleted, _ = FlashSaleReminder.objects.filter(
        sale_id=sale_id, user=actor, sent_at__isnull=True
    ).delete()
    return bool(deleted)


def flash_sale_reminders_send(*, now: datetime | None = None) -> int:
    """The sweeper: notify each member ``FLASH_SALE_REMINDER_LEAD_MINUTES`` before *their* start
    (early access included), each reminder once even with sweepers running in parallel."""
    now = now or timezone.now()
    lead = timedelta(minutes=settings.FLASH_SALE_REMINDER_LEAD_MINUTES)
    early = dict(TierBenefit.objects.values_list("tier", "early_access_minutes"))
    horizon = now + lead + timedelta(minutes=max(early.values(), default=0))
    due = (
        FlashSaleReminder.objects.filter(
            sent_at__isnull=True, sale__starts_at__lte=horizon, sale__ends_at__gt=now
        )
        .select_related("sale", "sale__product", "user")
        .order_by("sale__starts_at", "pk")
    )
    sent = 0
    for reminder in due:
        sale = reminder.sale
        opens_at = buyer_opens_at(sale, int(early.get(reminder.user.tier, 0) or 0))
        if opens_at - lead > now:
            continue
        with transaction.atomic():
            # The claim: of two sweepers the second waits on this row, then matches nothing.
            claimed = FlashSaleReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True)
            if not claimed.update(sent_at=now):
                continue
            started = opens_at <= now
            notification_send(
                user_id=reminder.user_id,
                type=REMINDER_TYPE,
                title=(
                    f"秒杀开始了 Flash sale is live: {sale.title}"
                    if started
                    else f"秒杀即将开始 Flash sale starts soon: {sale.title}"
                ),
                body=f"¥{sale.price} · {sale.stock_total} units",
                data={
                    "flash_sale": sale.pk,
                    "url": f"/flash-sales/{sale.pk}/",
                    "opens_at": opens_at.isoformat(),
                },
                dedupe_key=f"flash_sale_reminder:{sale.pk}:{reminder.user_id}",
            )
            sent += 1
    return sent
