"""Demo flash sales: one live now and one starting in half an hour (idempotent).

Re-running while they are still current changes nothing; once a demo sale has ended, the next run
schedules a fresh one, so a demo database keeps showing a live and an upcoming sale.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from groupbuy.demo.catalog import staff_actor
from groupbuy.models import FlashSale, Product, ProductStatus
from groupbuy.services.flash_sales import flash_sale_create

# title, product index in the catalog, share of the list price, stock, limit, starts in, lasts
DEMO_SALES = [
    ("限时秒杀 Flash: bean paste at half price", 0, "0.50", 50, 2, -5, 180),
    ("限时秒杀 Flash: peppercorn preview", 1, "0.60", 20, 1, 30, 120),
]


def seed_flash_sales(stdout) -> None:
    staff = staff_actor()
    products = list(Product.objects.filter(status=ProductStatus.ACTIVE).order_by("pk")[:5])
    if staff is None or len(products) < 2:
        stdout.write("groupbuy.flash_sales: no staff or catalog, flash sales not seeded.")
        return
    now = timezone.now()
    created = 0
    for title, index, share, stock, limit, starts_in, minutes in DEMO_SALES:
        if FlashSale.objects.filter(title=title, ends_at__gt=now).exists():
            continue
        product = products[index]
        starts_at = now + timedelta(minutes=starts_in)
        flash_sale_create(
            actor=staff,
            product_id=product.pk,
            price=(product.price * Decimal(share)).quantize(Decimal("0.01")),
            stock=stock,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            per_user_limit=limit,
            title=title,
        )
        created += 1
    stdout.write(f"groupbuy.flash_sales: {created} flash sales scheduled.")
