"""The demo catalog seeder: idempotent, photos through the pipeline, Lily's storefront and code."""

import pytest
from django.core.management import call_command

from groupbuy.models import (
    AfterSalesRequest,
    Campaign,
    Category,
    CollectionItem,
    CommissionEntry,
    CreatorCode,
    Order,
    Product,
    ProductImage,
    Refund,
    Storefront,
    Team,
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
    assert Order.objects.filter(kind="regular").count() == 8
    assert AfterSalesRequest.objects.get().photos.count() == 1
    ledger = set(CommissionEntry.objects.values_list("status", flat=True))
    assert ledger == {"pending", "reversed"}
    assert CommissionEntry.objects.first().creator.username == "creator"


def test_seed_demo_builds_group_buys_in_every_outcome_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")

    assert Campaign.objects.count() == 2
    assert Team.objects.filter(status="forming").count() == 1
    assert Team.objects.filter(status="failed").count() == 1
    assert Team.objects.filter(status="succeeded", platform_filled=False).count() == 1
    assert Team.objects.filter(status="succeeded", platform_filled=True).count() == 1
    assert Refund.objects.filter(order__kind="group", status="succeeded").count() == 1
