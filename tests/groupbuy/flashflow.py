"""Building blocks for flash-sale tests: a sale starting or running at a chosen moment."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community.models import User
from community.services import role_grant
from groupbuy.models import FlashSale, Product
from groupbuy.services import flash_sale_create
from tests.factories import UserFactory


def sale_product(title="Mooncake gift box", price="99.00", stock=500) -> Product:
    return Product.objects.create(title=title, price=Decimal(price), stock=stock, status="active")


def sale_staff(username="sale-staff"):
    person = User.objects.filter(username=username).first()
    if person is None:
        person = UserFactory(username=username)
        role_grant(actor=None, user=person, role="staff")
    return person


def make_sale(
    *,
    stock=10,
    limit=1,
    price="49.00",
    starts_in=timedelta(minutes=-1),
    lasts=timedelta(hours=1),
    early=True,
    product=None,
    staff=None,
) -> FlashSale:
    starts_at = timezone.now() + starts_in
    return flash_sale_create(
        actor=staff or sale_staff(),
        product_id=(product or sale_product()).pk,
        price=Decimal(price),
        stock=stock,
        starts_at=starts_at,
        ends_at=starts_at + lasts,
        per_user_limit=limit,
        tier_early_access=early,
    )


def remaining(sale: FlashSale) -> int:
    sale.refresh_from_db()
    return sale.stock_remaining
