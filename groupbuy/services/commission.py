"""The creator commission ledger: pending at payment, confirmed after completion, reversed on refund.

Each move is one conditional UPDATE on the entry's status, so two sweepers, or a sweeper and a
refund, can never both move the same entry.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from groupbuy.models import CommissionEntry, CommissionStatus, Order, OrderStatus, Product
from groupbuy.selectors.orders import quantize


def commission_for(order: Order) -> tuple[Decimal, Decimal]:
    """``(base, commission)`` of an order: each item's share of what was actually paid (discounts
    spread by amount) times its product's commission rate."""
    if order.subtotal <= 0:
        return Decimal("0.00"), Decimal("0.00")
    items = list(order.items.all())
    rates = dict(
        Product.objects.filter(pk__in=[i.product_id for i in items]).values_list(
            "pk", "commission_rate"
        )
    )
    paid_share = order.total / order.subtotal
    base = Decimal("0")
    amount = Decimal("0")
    for item in items:
        rate = rates.get(item.product_id) or Decimal("0")
        if rate <= 0:
            continue
        paid = item.amount * paid_share
        base += paid
        amount += paid * rate
    base = quantize(base)
    return base, min(quantize(amount), base)


def commission_record(*, order: Order) -> CommissionEntry | None:
    """Open the pending commission of a just-paid order attributed to a creator (once)."""
    if order.attributed_creator_id is None:
        return None
    base, amount = commission_for(order)
    if amount <= 0:
        return None
    entry, _ = CommissionEntry.objects.get_or_create(
        order=order,
        defaults={
            "creator_id": order.attributed_creator_id,
            "base_amount": base,
            "amount": amount,
            "attribution_source": order.attribution_source,
        },
    )
    return entry


def commission_schedule_confirmation(*, order: Order) -> None:
    """Completion starts the wait before a pending commission is confirmed."""
    CommissionEntry.objects.filter(order=order, status=CommissionStatus.PENDING).update(
        confirm_after=(order.completed_at or timezone.now())
        + timedelta(days=settings.COMMISSION_CONFIRM_DAYS)
    )


def commission_reverse(*, order: Order) -> int:
    """A refunded order earns its creator nothing."""
    return CommissionEntry.objects.filter(
        order=order, status__in=[CommissionStatus.PENDING, CommissionStatus.CONFIRMED]
    ).update(status=CommissionStatus.REVERSED, reversed_at=timezone.now())


def commissions_confirm_due(*, now: datetime | None = None) -> int:
    """The sweeper: confirm every pending commission whose order completed long enough ago."""
    now = now or timezone.now()
    return CommissionEntry.objects.filter(
        status=CommissionStatus.PENDING,
        confirm_after__lte=now,
        order__status=OrderStatus.COMPLETED,
    ).update(status=CommissionStatus.CONFIRMED, confirmed_at=now)
