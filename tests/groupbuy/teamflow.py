"""Building blocks for group-buy tests: a campaign, and seats paid through the sandbox."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from groupbuy.models import Campaign, Order
from groupbuy.services import (
    campaign_create,
    payment_create,
    sandbox_payment_complete,
    team_join,
    team_open,
)
from tests.groupbuy.orderflow import product, staff_member


def campaign(staff=None, *, team_size=3, stock=100, per_user_limit=1, **extra) -> Campaign:
    staff = staff or staff_member(username=f"ops{Campaign.objects.count()}")
    now = timezone.now()
    fields = {
        "group_price": Decimal("39.90"),
        "team_window_minutes": 60,
        "starts_at": now - timedelta(minutes=1),
        "ends_at": now + timedelta(days=3),
    }
    fields.update(extra)
    goods = product(title="Hairy crabs", price="59.90", stock=1000)
    return campaign_create(
        actor=staff,
        product_id=goods.pk,
        team_size=team_size,
        stock=stock,
        per_user_limit=per_user_limit,
        **fields,
    )


def pay(order) -> Order:
    payment = payment_create(actor=order.buyer, order_id=order.pk)
    sandbox_payment_complete(actor=order.buyer, payment_id=payment.pk)
    return Order.objects.get(pk=order.pk)


def open_paid(user, campaign_id):
    seat = team_open(actor=user, campaign_id=campaign_id)
    pay(seat.order)
    return seat


def join_paid(user, team_id):
    seat = team_join(actor=user, team_id=team_id)
    pay(seat.order)
    return seat
