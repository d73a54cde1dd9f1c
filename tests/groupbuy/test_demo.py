"""The demo catalog seeder: idempotent, photos through the pipeline, Lily's storefront and code."""

import pytest
from django.core.management import call_command

from groupbuy.models import (
    AfterSalesRequest,
    Category,
    CollectionItem,
    CommissionEntry,
    CreatorCode,
    Order,
    Product,
    ProductImage,
    Storefront,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_catalog_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    counts = (Product.objects.count(), ProductImage.objects.count(), CollectionItem.objects.count())
    call_command("seed_demo", "--quiet")

    assert (
        Product.objects.count(),
        ProductImage.objects.count(),
        CollectionItem.objects.count(),
    ) == counts
    assert Category.objects.count() == 5
    assert Product.objects.count() == 16
    assert ProductImage.objects.count() == 32
    image = ProductImage.objects.first()
    assert image.width == 600 and (tmp_path / image.image.name).exists()
    storefront = Storefront.objects.get(slug="lily-kitchen")
    assert storefront.owner.username == "creator"
    assert storefront.collections.count() == 2
    assert all(item.note for item in CollectionItem.objects.all())
    code = CreatorCode.objects.get(code="LILY5")
    assert code.discount_percent == 5 and code.creator == storefront.owner
    assert Product.objects.filter(stock=0).exists()


def test_seed_demo_places_orders_in_every_state_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")

    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses >= {"pending_payment", "paid", "shipped", "delivered", "completed", "refunded"}
    assert Order.objects.count() == 8
    assert AfterSalesRequest.objects.get().photos.count() == 1
    ledger = set(CommissionEntry.objects.values_list("status", flat=True))
    assert ledger == {"pending", "reversed"}
    assert CommissionEntry.objects.first().creator.username == "creator"
