"""The two things every order service does on a status change: record it, and tell others."""

import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from groupbuy.models import Order, OrderEvent

log = logging.getLogger(__name__)

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
