"""Building blocks for tests past checkout: a paid order in one call, staff moving it along."""

from decimal import Decimal

from community.services import role_grant
from groupbuy.models import Order, Product
from groupbuy.services import (
    order_create,
    order_ship,
    payment_create,
    sandbox_payment_complete,
    shipment_track,
)
from tests.factories import UserFactory

D = Decimal


def product(title="Longjing tea", price="99.00", stock=10, rate="0.10") -> Product:
    return Product.objects.create(
        title=title, price=D(price), stock=stock, status="active", commission_rate=D(rate)
    )


def staff_member(username="warehouse"):
    person = UserFactory(username=username)
    role_grant(actor=None, user=person, role="staff")
    return person


def paid_order(buyer, items, **checkout) -> Order:
    order = order_create(buyer=buyer, items=items, **checkout)
    payment = payment_create(actor=buyer, order_id=order.pk)
    sandbox_payment_complete(actor=buyer, payment_id=payment.pk)
    return Order.objects.get(pk=order.pk)


def delivered_order(buyer, items, staff, **checkout) -> Order:
    order = paid_order(buyer, items, **checkout)
    order_ship(actor=staff, order_id=order.pk, carrier="SF Express", tracking_number="SF1001")
    shipment_track(actor=staff, order_id=order.pk, status="delivered", location="Chengdu")
    return Order.objects.get(pk=order.pk)
