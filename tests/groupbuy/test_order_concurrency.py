"""Simultaneous orders on PostgreSQL: stock never below zero, each unit sold once."""

import threading
from decimal import Decimal

import pytest

from groupbuy.exceptions import OutOfStockError
from groupbuy.models import Order, Product
from groupbuy.services import order_create, orders_cancel_unpaid
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def test_simultaneous_orders_never_oversell():
    product = Product.objects.create(
        title="Mooncakes", price=Decimal("9.90"), stock=5, status="active"
    )
    buyers = [UserFactory() for _ in range(20)]

    results = run_concurrently(lambda i: order_create(buyer=buyers[i], items=[(product.pk, 1)]), 20)

    assert sum(isinstance(r, Order) for r in results) == 5
    assert sum(isinstance(r, OutOfStockError) for r in results) == 15
    product.refresh_from_db()
    assert product.stock == 0


def test_naive_read_then_write_stock_control_oversells():
    product = Product.objects.create(
        title="Mooncakes", price=Decimal("9.90"), stock=5, status="active"
    )
    all_read = threading.Barrier(10)

    def naive_order(_):
        row = Product.objects.get(pk=product.pk)
        all_read.wait(timeout=30)
        if row.stock >= 1:
            row.stock -= 1
            row.save(update_fields=["stock"])
            return True
        return False

    sold = sum(bool(r) for r in run_concurrently(naive_order, 10))

    assert sold > 5  # the bug: more sold than there was


def test_two_sweepers_in_parallel_release_each_order_once():
    product = Product.objects.create(
        title="Mooncakes", price=Decimal("9.90"), stock=20, status="active"
    )
    buyer = UserFactory()
    for _ in range(10):
        order_create(buyer=buyer, items=[(product.pk, 2)])
    Order.objects.update(expires_at="2000-01-01T00:00:00Z")

    runs = run_concurrently(lambda _: orders_cancel_unpaid(), 2)

    assert sum(runs) == 10
    product.refresh_from_db()
    assert product.stock == 20
