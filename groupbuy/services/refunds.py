"""Refunds: asked for once, processed exactly once.

A request moves the order to ``refunding`` and creates the payment's one ``Refund`` row (a
one-to-one, so a second request, or a concurrent one, finds it and changes nothing). Processing
locks that row, asks the provider to send the money back (keyed by the refund, so a retry names the
same refund), and in the same transaction restores stock, coupon and points, takes back purchase
points and growth, reverses commission and marks the order ``refunded``. A worker dying halfway
rolls all of it back and the sweeper tries again.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community.models import User
from community.services import growth_add, notification_send, points_clawback
from community.services.insights.events import track
from groupbuy.exceptions import RefundNotAllowedError, ShopNotFoundError
from groupbuy.models import (
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from groupbuy.selectors.catalog import is_staff
from groupbuy.services.commission import commission_reverse
from groupbuy.services.fulfilment import purchase_growth_key, purchase_points_key
from groupbuy.services.orders import order_give_back, order_kind, order_move, send_on_commit
from groupbuy.services.payments import provider
from groupbuy.signals import order_refunded
from realtime.publish import enqueue_on_commit

# What a buyer may refund alone; later states go through after-sales and staff.
BUYER_REFUNDABLE = {OrderStatus.PAID}
STAFF_REFUNDABLE = {
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
}


def order_refund_request(
    *, actor: User | None, order_id: int, reason: str = "", by_staff: bool = False
) -> Order:
    """Ask for an order's money back; asking again (or at the same time) changes nothing."""
    if by_staff and actor is not None and not is_staff(actor):
        raise ShopNotFoundError()
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or (not by_staff and (actor is None or order.buyer_id != actor.pk)):
            raise ShopNotFoundError()
        if order.status in (OrderStatus.REFUNDING, OrderStatus.REFUNDED):
            return order
        allowed = STAFF_REFUNDABLE if by_staff else BUYER_REFUNDABLE
        if order.status not in allowed:
            raise RefundNotAllowedError(
                "This order cannot be refunded directly; open an after-sales request."
                if order.status in STAFF_REFUNDABLE
                else "This order was never paid."
            )
        payment = order.payments.filter(status=PaymentStatus.SUCCEEDED, needs_refund=False).first()
        if payment is None:
            raise RefundNotAllowedError("This order has no payment to refund.")
        refund = Refund.objects.create(
            payment=payment,
            order=order,
            amount=payment.amount,
            reason=reason[:200],
            requested_by=actor,
        )
        order_move(order, OrderStatus.REFUNDING, note=reason or "refund requested")
        hooks = order_kind(order.kind)
        if hooks is not None and hooks.on_refund_requested is not None:
            hooks.on_refund_requested(order)
        enqueue_on_commit("groupbuy.tasks.process_refund", refund.pk)
        return order


def refund_process(*, refund_id: int) -> Refund | None:
    """Send a pending refund's money back and undo what the order gave and took (exactly once).

    Returns the refund when this call processed it, ``None`` when there was nothing to do."""
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(skip_locked=True)
            .select_related("payment")
            .filter(pk=refund_id)
            .first()
        )
        if refund is None or refund.status != RefundStatus.PENDING:
            return None  # done already, or being processed by someone else right now
        refund.provider_refund_id = provider(refund.payment.provider).refund(
            provider_payment_id=refund.payment.provider_payment_id,
            amount=refund.amount,
            idempotency_key=f"refund-{refund.pk}",
        )
        refund.status = RefundStatus.SUCCEEDED
        refund.completed_at = timezone.now()
        refund.save(update_fields=["provider_refund_id", "status", "completed_at"])
        if refund.restores_order:
            _undo_order(refund)
        track(
            "refund",
            user_id=Order.objects.values_list("buyer_id", flat=True).get(pk=refund.order_id),
            properties={
                "order_id": refund.order_id,
                "refund_id": refund.pk,
                "amount": str(refund.amount),
                "whole_order": refund.restores_order,
            },
        )
        return refund


def _undo_order(refund: Refund) -> None:
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    was_completed = order.completed_at is not None
    order_give_back(order)
    if was_completed:
        points_clawback(
            award_key=purchase_points_key(order.pk),
            idempotency_key=purchase_points_key(order.pk) + ":clawback",
        )
        if int(order.total) > 0:
            growth_add(
                user_id=order.buyer_id,
                amount=-int(order.total),
                source="purchase",
                idempotency_key=purchase_growth_key(order.pk) + ":reversed",
                source_type="order",
                source_id=str(order.pk),
            )
    commission_reverse(order=order)
    order_move(order, OrderStatus.REFUNDED, note=f"¥{refund.amount} refunded")
    notification_send(
        user_id=order.buyer_id,
        type="refund",
        title=f"Order {order.pk} refunded",
        body=f"¥{refund.amount} is on its way back to you.",
        data={"order_id": order.pk, "amount": str(refund.amount)},
        dedupe_key=f"order:{order.pk}:refunded",
    )
    send_on_commit(
        order_refunded,
        order_id=order.pk,
        buyer_id=order.buyer_id,
        amount=refund.amount,
        share_code=order.share_code,
    )


def refunds_sweep(*, now: datetime | None = None) -> int:
    """The guarantee behind the per-refund task: refund stray payments (confirmed after their
    order was cancelled) and process every refund still pending after a grace period."""
    now = now or timezone.now()
    for payment_id in list(
        Payment.objects.filter(needs_refund=True, refund__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update(skip_locked=True)
                .filter(pk=payment_id, needs_refund=True)
                .first()
            )
            if payment is not None and not Refund.objects.filter(payment=payment).exists():
                Refund.objects.create(
                    payment=payment,
                    order_id=payment.order_id,
                    amount=payment.amount,
                    reason="payment arrived after the order closed",
                    restores_order=False,
                )
    grace = now - timedelta(seconds=settings.REFUND_SWEEP_GRACE_SECONDS)
    processed = 0
    due = Refund.objects.filter(status=RefundStatus.PENDING).filter(
        Q(created_at__lte=grace) | Q(restores_order=False)
    )
    for refund_id in list(due.order_by("pk").values_list("pk", flat=True)):
        if refund_process(refund_id=refund_id) is not None:
            processed += 1
    return processed
