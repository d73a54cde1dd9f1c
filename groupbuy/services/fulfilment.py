"""After payment: shipping, tracking, delivery and completion.

Completion is where the order pays out: purchase points (times the tier multiplier), growth
value, the inviter's first-order reward, and the start of the commission's confirmation wait.
Each payout carries an idempotency key derived from the order, so completing twice, or a buyer's
confirmation racing the auto-complete sweeper, pays once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community.models import User
from community.services import (
    growth_add,
    invite_reward_first_order,
    notification_send,
    points_award,
)
from community.services.insights.events import track
from groupbuy.exceptions import OrderStateError, ShopNotFoundError
from groupbuy.models import Order, OrderStatus, Shipment, TrackingEvent, TrackingStatus
from groupbuy.selectors.catalog import is_staff
from groupbuy.services.commission import commission_schedule_confirmation
from groupbuy.services.orders import order_kind, order_move, send_on_commit
from groupbuy.signals import order_completed


def purchase_points_key(order_id: int) -> str:
    return f"order:{order_id}:purchase"


def purchase_growth_key(order_id: int) -> str:
    return f"order:{order_id}:growth"


def _locked(order_id: int) -> Order:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise ShopNotFoundError()
    return order


def _require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise ShopNotFoundError()  # orders of others are invisible, not forbidden


def order_ship(*, actor: User, order_id: int, carrier: str, tracking_number: str) -> Order:
    """Staff hand a paid order to a carrier; the buyer sees the tracking number at once."""
    _require_staff(actor)
    with transaction.atomic():
        order = _locked(order_id)
        if order.status != OrderStatus.PAID:
            raise OrderStateError("Only a paid order can be shipped.")
        hooks = order_kind(order.kind)
        if hooks is not None and hooks.can_ship is not None and not hooks.can_ship(order):
            raise OrderStateError("This order ships once its team is complete.")
        shipment = Shipment.objects.create(
            order=order, carrier=carrier.strip(), tracking_number=tracking_number.strip()
        )
        now = timezone.now()
        TrackingEvent.objects.create(
            shipment=shipment,
            status=TrackingStatus.SHIPPED,
            description=f"Handed to {shipment.carrier}",
            occurred_at=now,
        )
        order_move(
            order, OrderStatus.SHIPPED, note=f"{shipment.carrier} {shipment.tracking_number}"
        )
        notification_send(
            user_id=order.buyer_id,
            type="order_shipped",
            title=f"Order {order.pk} is on its way",
            body=f"{shipment.carrier} · {shipment.tracking_number}",
            data={"order_id": order.pk},
            dedupe_key=f"order:{order.pk}:shipped",
        )
        return order


def shipment_track(
    *,
    actor: User,
    order_id: int,
    status: str,
    description: str = "",
    location: str = "",
    occurred_at: datetime | None = None,
) -> TrackingEvent:
    """Staff (or a carrier integration acting as staff) add a tracking step; "delivered"
    delivers the order."""
    _require_staff(actor)
    with transaction.atomic():
        order = _locked(order_id)
        shipment = Shipment.objects.filter(order=order).first()
        if shipment is None or order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            raise OrderStateError("This order is not on its way.")
        event = TrackingEvent.objects.create(
            shipment=shipment,
            status=status,
            description=description.strip(),
            location=location.strip(),
            occurred_at=occurred_at or timezone.now(),
        )
        if status == TrackingStatus.DELIVERED and order.status == OrderStatus.SHIPPED:
            order_move(order, OrderStatus.DELIVERED, note=location or "delivered")
            notification_send(
                user_id=order.buyer_id,
                type="order_delivered",
                title=f"Order {order.pk} was delivered",
                body="Confirm receipt to collect your points.",
                data={"order_id": order.pk},
                dedupe_key=f"order:{order.pk}:delivered",
            )
        return event


def order_confirm_receipt(*, actor: User, order_id: int) -> Order:
    """The buyer says the goods arrived: the order completes."""
    with transaction.atomic():
        order = _locked(order_id)
        if order.buyer_id != actor.pk:
            raise ShopNotFoundError()
        if order.status == OrderStatus.COMPLETED:
            return order
        return _complete(order, note="confirmed by buyer")


def order_complete(*, order_id: int, note: str = "") -> Order:
    """Complete a shipped or delivered order and pay out its rewards (safe to repeat)."""
    with transaction.atomic():
        order = _locked(order_id)
        if order.status == OrderStatus.COMPLETED:
            return order
        return _complete(order, note=note)


def _complete(order: Order, *, note: str) -> Order:
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise OrderStateError("Only an order on its way or delivered can be completed.")
    order_move(order, OrderStatus.COMPLETED, note=note)
    whole_yuan = int(order.total)  # 1 point and 1 growth per whole ¥1 paid
    points = None
    if whole_yuan > 0:
        points = points_award(
            user_id=order.buyer_id,
            amount=whole_yuan,
            reason="purchase",
            idempotency_key=purchase_points_key(order.pk),
            source_type="order",
            source_id=str(order.pk),
            apply_tier_multiplier=True,
        )
        growth_add(
            user_id=order.buyer_id,
            amount=whole_yuan,
            source="purchase",
            idempotency_key=purchase_growth_key(order.pk),
            source_type="order",
            source_id=str(order.pk),
        )
    first_completed = (
        not Order.objects.filter(buyer_id=order.buyer_id, completed_at__isnull=False)
        .exclude(pk=order.pk)
        .exists()
    )
    if first_completed:
        invite_reward_first_order(invitee_id=order.buyer_id, order_id=order.pk)
    commission_schedule_confirmation(order=order)
    notification_send(
        user_id=order.buyer_id,
        type="order_completed",
        title=f"Order {order.pk} completed",
        body=f"You earned {points.delta} points." if points else "",
        data={"order_id": order.pk, "points": points.delta if points else 0},
        dedupe_key=f"order:{order.pk}:completed",
    )
    track(
        "order_completed",
        user_id=order.buyer_id,
        properties={"order_id": order.pk, "amount": str(order.total), "kind": order.kind},
    )
    send_on_commit(
        order_completed,
        order_id=order.pk,
        buyer_id=order.buyer_id,
        total=order.total,
        share_code=order.share_code,
    )
    return order


def orders_complete_due(*, now: datetime | None = None) -> int:
    """The sweeper: complete orders delivered (or shipped) long enough ago without a word from
    the buyer; each once, even with two sweepers."""
    now = now or timezone.now()
    due = Order.objects.filter(
        Q(
            status=OrderStatus.DELIVERED,
            delivered_at__lte=now - timedelta(days=settings.ORDER_AUTO_COMPLETE_DELIVERED_DAYS),
        )
        | Q(
            status=OrderStatus.SHIPPED,
            shipped_at__lte=now - timedelta(days=settings.ORDER_AUTO_COMPLETE_SHIPPED_DAYS),
        )
    ).values_list("pk", flat=True)
    completed = 0
    for order_id in list(due):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(skip_locked=True)
                .filter(pk=order_id, status__in=[OrderStatus.SHIPPED, OrderStatus.DELIVERED])
                .first()
            )
            if order is None:
                continue
            _complete(order, note="completed automatically")
            completed += 1
    return completed
