"""Simultaneous flash-sale buyers on PostgreSQL: never more sold than the stock, never more held
than the per-member limit; each with a naive read-then-write control that must fail, proving the
test can see the bug (anchors-perf-reliability.md §3.3)."""

import threading
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Sum

from groupbuy.exceptions import FlashSaleLimitReachedError, FlashSaleSoldOutError
from groupbuy.models import FlashSale, FlashSaleOrder, FlashSaleQuota, Order
from groupbuy.services import flash_sale_order_place, orders_cancel_unpaid
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.groupbuy.flashflow import make_sale, remaining

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]

# The PostgreSQL pool allows ~20 connections and every thread holds one.
THREADS = 12


def _users(count: int):
    return [UserFactory() for _ in range(count)]


def _assert_invariants(sale: FlashSale, limit: int) -> int:
    """What must hold after any run; returns the number of units sold."""
    sold = FlashSaleOrder.objects.filter(sale=sale).aggregate(n=Sum("quantity"))["n"] or 0
    assert remaining(sale) == sale.stock_total - sold
    assert sale.stock_remaining >= 0
    held = FlashSaleQuota.objects.filter(sale=sale).aggregate(n=Sum("quantity"))["n"] or 0
    assert held == sold
    per_buyer = Counter()
    for order in Order.objects.filter(flash_sale_order__sale=sale).select_related(
        "flash_sale_order"
    ):
        per_buyer[order.buyer_id] += order.flash_sale_order.quantity
    assert all(quantity <= limit for quantity in per_buyer.values()), per_buyer
    return sold


@pytest.mark.parametrize("stock", [1, 2])
def test_four_times_more_buyers_than_units_buy_exactly_the_stock(stock):
    for _round in range(3):
        sale = make_sale(stock=stock)
        buyers = _users(4 * stock)

        results = run_concurrently(
            lambda i, sale=sale, buyers=buyers: flash_sale_order_place(
                actor=buyers[i], sale_id=sale.pk, quantity=1
            ),
            len(buyers),
        )

        assert sum(isinstance(r, Order) for r in results) == stock
        assert sum(isinstance(r, FlashSaleSoldOutError) for r in results) == 3 * stock
        assert _assert_invariants(sale, limit=1) == stock
        assert remaining(sale) == 0


def test_four_hundred_attempts_on_one_hundred_units_by_two_hundred_members():
    sale = make_sale(stock=100, limit=1)
    # Each member tries twice, from two different threads, so the limit is raced too.
    buyers = _users(200)
    attempts = [buyers[n % 200] for n in range(400)]
    per_thread = len(attempts) // THREADS + 1

    def buy_many(thread: int) -> Counter:
        outcome: Counter = Counter()
        for buyer in attempts[thread * per_thread : (thread + 1) * per_thread]:
            try:
                flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)
                outcome["sold"] += 1
            except (FlashSaleSoldOutError, FlashSaleLimitReachedError) as refusal:
                outcome[refusal.code] += 1
        return outcome

    results = run_concurrently(buy_many, THREADS, timeout=120)

    assert not [r for r in results if isinstance(r, Exception)], results
    total = sum(results, Counter())
    assert total["sold"] == 100
    assert sum(total.values()) == 400
    assert _assert_invariants(sale, limit=1) == 100
    assert remaining(sale) == 0


def test_one_member_firing_eight_orders_at_once_gets_exactly_the_limit():
    for _round in range(3):
        sale = make_sale(stock=50, limit=2)
        buyer = UserFactory()

        results = run_concurrently(
            lambda _, sale=sale, buyer=buyer: flash_sale_order_place(
                actor=buyer, sale_id=sale.pk, quantity=1
            ),
            8,
        )

        assert sum(isinstance(r, Order) for r in results) == 2
        assert sum(isinstance(r, FlashSaleLimitReachedError) for r in results) == 6
        assert FlashSaleQuota.objects.get(sale=sale, user=buyer).quantity == 2
        assert remaining(sale) == 48


def test_two_sweepers_restock_each_unpaid_flash_order_once():
    sale = make_sale(stock=10, limit=2)
    for buyer in _users(5):
        flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=2)
    assert remaining(sale) == 0
    Order.objects.update(expires_at="2000-01-01T00:00:00Z")

    runs = run_concurrently(lambda _: orders_cancel_unpaid(), 2)

    assert sum(runs) == 5
    assert remaining(sale) == 10
    assert not FlashSaleQuota.objects.filter(quantity__gt=0).exists()


# --- naive controls: the same races against read-then-write code must go wrong -----------------


def test_naive_read_then_write_stock_control_oversells():
    sale = make_sale(stock=2)
    all_read = threading.Barrier(8)

    def naive_buy(_):
        with transaction.atomic():
            row = FlashSale.objects.get(pk=sale.pk)
            all_read.wait(timeout=30)
            if row.stock_remaining >= 1:
                FlashSale.objects.filter(pk=sale.pk).update(stock_remaining=row.stock_remaining - 1)
                return True
        return False

    sold = sum(bool(r) for r in run_concurrently(naive_buy, 8))

    assert sold > 2  # the bug: more sold than there was
    assert remaining(sale) == 1  # and a wrong count left behind


def test_naive_read_then_write_quota_control_breaks_the_limit():
    sale = make_sale(stock=50, limit=2)
    buyer = UserFactory()
    FlashSaleQuota.objects.create(sale=sale, user=buyer, quantity=0)
    all_read = threading.Barrier(8)

    def naive_quota(_):
        with transaction.atomic():
            quota = FlashSaleQuota.objects.get(sale=sale, user=buyer)
            all_read.wait(timeout=30)
            if quota.quantity + 1 <= sale.per_user_limit:
                FlashSaleQuota.objects.filter(pk=quota.pk).update(quantity=quota.quantity + 1)
                return True
        return False

    granted = sum(bool(r) for r in run_concurrently(naive_quota, 8))

    assert granted > 2  # the bug: more units granted than the limit
