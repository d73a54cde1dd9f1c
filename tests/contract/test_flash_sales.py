"""API.md "Commerce", "Flash sales": staff create, the sale's shape and status, ordering with its
refusals, reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groupbuy.models import FlashSale
from tests.contract.helpers import app, assert_error, assert_iso, assert_money
from tests.factories import UserFactory
from tests.groupbuy import flashflow

pytestmark = pytest.mark.django_db

SALE_KEYS = {
    "id",
    "product",
    "price",
    "stock_total",
    "stock_remaining",
    "starts_at",
    "ends_at",
    "per_user_limit",
    "status",
    "server_time",
}


def new_sale_payload(product):
    now = timezone.now()
    return {
        "product": product.pk,
        "price": "49.00",
        "stock": 10,
        "starts_at": (now + timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
        "per_user_limit": 2,
    }


def buy(user, sale, quantity=1):
    return app(user).post(
        f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": quantity}, format="json"
    )


def test_staff_creates_a_scheduled_sale_with_the_contract_shape():
    goods = flashflow.sale_product(price="99.00")

    created = app(flashflow.sale_staff()).post(
        "/api/v1/flash-sales/", new_sale_payload(goods), format="json"
    )
    detail = app().get(f"/api/v1/flash-sales/{created.json()['id']}/")

    assert created.status_code == 201, created.json()
    assert detail.status_code == 200
    body = detail.json()
    assert set(body) >= SALE_KEYS, SALE_KEYS - set(body)
    assert (body["product"], body["price"], body["status"]) == (goods.pk, "49.00", "scheduled")
    assert (body["stock_total"], body["stock_remaining"], body["per_user_limit"]) == (10, 10, 2)
    assert_money(body["price"])
    for key in ("starts_at", "ends_at", "server_time"):
        assert_iso(body[key])


def test_member_cannot_create_a_sale():
    payload = new_sale_payload(flashflow.sale_product())

    refused = app(UserFactory()).post("/api/v1/flash-sales/", payload, format="json")

    assert_error(refused, 403, "permission_denied")


def test_anonymous_cannot_create_a_sale():
    payload = new_sale_payload(flashflow.sale_product())

    assert_error(
        app().post("/api/v1/flash-sales/", payload, format="json"), 401, "not_authenticated"
    )


def test_unknown_sale_is_404_not_found():
    assert_error(app().get("/api/v1/flash-sales/999999/"), 404, "not_found")


def test_order_on_a_live_sale_is_201_pending_payment_at_the_sale_price():
    sale = flashflow.make_sale(stock=2, limit=1, price="49.00")

    response = buy(UserFactory(), sale)

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending_payment"
    assert response.json()["total"] == "49.00"
    assert flashflow.remaining(sale) == 1


def test_order_without_a_body_buys_one():
    sale = flashflow.make_sale(stock=5)

    response = app(UserFactory()).post(f"/api/v1/flash-sales/{sale.pk}/orders/")

    assert response.status_code == 201, response.json()
    assert flashflow.remaining(sale) == 4


def test_order_past_the_member_limit_is_409_limit_reached():
    sale = flashflow.make_sale(stock=10, limit=1)
    buyer = UserFactory()
    buy(buyer, sale)

    assert_error(buy(buyer, sale), 409, "limit_reached")


def test_order_larger_than_the_member_limit_is_409_limit_reached():
    sale = flashflow.make_sale(stock=10, limit=2)

    assert_error(buy(UserFactory(), sale, quantity=3), 409, "limit_reached")


def test_order_on_a_sold_out_sale_is_409_sold_out_and_status_says_so():
    sale = flashflow.make_sale(stock=1, limit=1)
    buy(UserFactory(), sale)

    assert_error(buy(UserFactory(), sale), 409, "sold_out")
    assert app().get(f"/api/v1/flash-sales/{sale.pk}/").json()["status"] == "sold_out"


def test_order_before_the_start_is_409_not_started():
    # Tier early access would let some members in before the start; this sale has none.
    later = flashflow.make_sale(starts_in=timedelta(hours=1), early=False)

    assert_error(buy(UserFactory(), later), 409, "not_started")


def test_order_after_the_end_is_409_ended_and_status_says_so():
    done = flashflow.make_sale()
    FlashSale.objects.filter(pk=done.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )

    assert_error(buy(UserFactory(), done), 409, "ended")
    assert app().get(f"/api/v1/flash-sales/{done.pk}/").json()["status"] == "ended"


def test_reminder_is_201():
    later = flashflow.make_sale(starts_in=timedelta(hours=1))

    response = app(UserFactory()).post(f"/api/v1/flash-sales/{later.pk}/reminder/")

    assert response.status_code == 201, response.json()
