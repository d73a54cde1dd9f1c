"""Races on PostgreSQL: stock never oversells (a naive read-check-write does, which proves the test
can see the bug), one visit per visitor per hour, one storefront per creator."""

from decimal import Decimal

import pytest

from community.services import role_grant
from groupbuy.exceptions import StorefrontExistsError
from groupbuy.models import Product, Storefront, StorefrontVisit
from groupbuy.services import (
    product_create,
    product_stock_release,
    product_stock_reserve,
    storefront_create,
    storefront_visit_record,
)
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = [needs_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 30
STOCK = 10


def _product() -> Product:
    staff = UserFactory()
    role_grant(actor=None, user=staff, role="staff")
    return product_create(actor=staff, title="Flash item", price=Decimal("9.90"), stock=STOCK)


def test_thirty_buyers_reserving_ten_in_stock_exactly_ten_succeed():
    product = _product()

    results = run_concurrently(
        lambda _: product_stock_reserve(product_id=product.pk, quantity=1), BUYERS
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert results.count(True) == STOCK
    assert results.count(False) == BUYERS - STOCK
    product.refresh_from_db()
    assert product.stock == 0


def test_naive_read_check_write_oversells():
    product = _product()

    def naive_reserve(_index: int) -> bool:
        row = Product.objects.get(pk=product.pk)
        if row.stock < 1:
            return False
        row.stock -= 1
        row.save(update_fields=["stock"])
        return True

    results = run_concurrently(naive_reserve, BUYERS)

    product.refresh_from_db()
    sold = results.count(True)
    # Lost updates: more buyers were told "yes" than units left the stock.
    assert sold > STOCK - product.stock


def test_reserve_refuses_more_than_is_left_and_release_puts_it_back():
    product = _product()

    assert product_stock_reserve(product_id=product.pk, quantity=STOCK + 1) is False
    assert product_stock_reserve(product_id=product.pk, quantity=STOCK) is True
    assert product_stock_reserve(product_id=product.pk, quantity=1) is False
    product_stock_release(product_id=product.pk, quantity=3)

    product.refresh_from_db()
    assert product.stock == 3


def _creator():
    person = UserFactory()
    role_grant(actor=None, user=person, role="creator")
    return person


def test_concurrent_views_by_one_visitor_count_once():
    owner = _creator()
    storefront = storefront_create(actor=owner, slug="lily", title="Lily")
    visitor = UserFactory()

    results = run_concurrently(
        lambda _: storefront_visit_record(
            storefront=storefront, visitor=visitor, visitor_key=f"u:{visitor.pk}"
        ),
        10,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert StorefrontVisit.objects.filter(storefront=storefront).count() == 1


def test_double_submitted_storefront_is_created_once():
    owner = _creator()

    results = run_concurrently(
        lambda i: storefront_create(actor=owner, slug=f"lily-{i}", title="Lily"), 8
    )

    assert len([r for r in results if isinstance(r, Storefront)]) == 1
    assert all(
        isinstance(r, StorefrontExistsError) for r in results if not isinstance(r, Storefront)
    )
    assert Storefront.objects.filter(owner=owner).count() == 1
