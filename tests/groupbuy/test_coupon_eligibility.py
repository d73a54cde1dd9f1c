"""The best-coupon pick recommends only coupons checkout accepts (PRODUCT.md §6): a first-order
coupon is for a member who has never paid for an order."""

from decimal import Decimal

import pytest

from groupbuy.models import Coupon, Order, Product
from groupbuy.services import coupon_claim, order_create
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.orderflow import paid_order

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def tea(db):
    return Product.objects.create(title="Tea", price=D("250.00"), stock=20, status="active")


@pytest.fixture
def wallet():
    """A buyer holding a big first-order coupon and a smaller everyday one."""
    buyer = UserFactory()
    first = Coupon.objects.create(
        title="¥60 off your first order", kind="amount", value=D("60"), first_order_only=True
    )
    everyday = Coupon.objects.create(title="¥20 off ¥199", kind="amount", value=D("20"))
    return (
        buyer,
        coupon_claim(actor=buyer, coupon_id=first.pk),
        coupon_claim(actor=buyer, coupon_id=everyday.pk),
    )


def _best(buyer, tea):
    return client_for(buyer).post(
        "/api/v1/coupons/best/", {"items": [{"product": tea.pk, "quantity": 1}]}, format="json"
    )


def _checkout(buyer, tea, user_coupon):
    return client_for(buyer).post(
        "/api/v1/orders/",
        {"items": [{"product": tea.pk, "quantity": 1}], "coupon": user_coupon.pk},
        format="json",
    )


def test_a_first_time_buyer_is_recommended_the_first_order_coupon_and_checkout_accepts_it(
    wallet, tea
):
    buyer, first, _ = wallet

    best = _best(buyer, tea).json()
    placed = _checkout(buyer, tea, first)

    assert (best["user_coupon"]["id"], best["discount"]) == (first.pk, "60.00")
    assert placed.status_code == 201, placed.json()
    assert placed.json()["coupon_discount"] == "60.00"


def test_an_unpaid_order_does_not_make_a_buyer_returning(wallet, tea):
    buyer, first, _ = wallet
    order_create(buyer=buyer, items=[(tea.pk, 1)])

    assert _best(buyer, tea).json()["user_coupon"]["id"] == first.pk
    assert _checkout(buyer, tea, first).status_code == 201


def test_a_returning_buyer_is_never_recommended_a_first_order_coupon_and_checkout_refuses_it(
    wallet, tea
):
    buyer, first, everyday = wallet
    paid_order(buyer, [(tea.pk, 1)])
    orders_before = Order.objects.count()

    best = _best(buyer, tea).json()
    refused = _checkout(buyer, tea, first)

    assert (best["user_coupon"]["id"], best["discount"]) == (everyday.pk, "20.00")
    assert (refused.status_code, refused.json()["code"]) == (409, "coupon_invalid")
    assert Order.objects.count() == orders_before
    first.refresh_from_db()
    assert first.used_at is None


def test_a_returning_buyer_holding_only_a_first_order_coupon_is_recommended_nothing(tea):
    buyer = UserFactory()
    first = Coupon.objects.create(
        title="¥60 off your first order", kind="amount", value=D("60"), first_order_only=True
    )
    coupon_claim(actor=buyer, coupon_id=first.pk)
    paid_order(buyer, [(tea.pk, 1)])

    best = _best(buyer, tea).json()

    assert (best["user_coupon"], best["discount"]) == (None, "0.00")
