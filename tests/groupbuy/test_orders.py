from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from community.models import PointsEntry, User
from community.services import points_award, role_grant
from groupbuy.models import Coupon, CreatorCode, Order, Product, UserCoupon
from groupbuy.services import coupon_claim, order_create, orders_cancel_unpaid
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer(db):
    return UserFactory()


@pytest.fixture
def tea(db):
    return Product.objects.create(title="Longjing tea", price=D("99.00"), stock=10, status="active")


@pytest.fixture
def cups(db):
    return Product.objects.create(title="Cups", price=D("19.90"), stock=3, status="active")


def _order(client, **body):
    return client.post("/api/v1/orders/", body, format="json")


def test_order_with_coupon_creator_code_and_points_prices_and_reserves(buyer, tea, cups):
    coupon = Coupon.objects.create(
        title="¥20 off ¥199", kind="amount", value=D("20"), threshold=D("199")
    )
    wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)
    creator = UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    CreatorCode.objects.create(creator=creator, code="LILY5", discount_percent=5)
    points_award(user_id=buyer.pk, amount=5000, reason="task", idempotency_key="seed")

    response = _order(
        client_for(buyer),
        items=[{"product": tea.pk, "quantity": 2}, {"product": cups.pk, "quantity": 1}],
        coupon=wallet.pk,
        creator_code="lily5",
        points=1000,
    )

    assert response.status_code == 201
    body = response.json()
    assert (
        body["status"],
        body["subtotal"],
        body["coupon_discount"],
        body["creator_discount"],
    ) == ("pending_payment", "217.90", "20.00", "9.90")
    assert (body["points_used"], body["points_discount"], body["total"], body["discount"]) == (
        1000,
        "10.00",
        "178.00",
        "39.90",
    )
    assert body["attribution_source"] == "creator_code"
    assert Order.objects.get().attributed_creator == creator
    tea.refresh_from_db()
    cups.refresh_from_db()
    assert (tea.stock, cups.stock) == (8, 2)
    assert UserCoupon.objects.get(pk=wallet.pk).order_id == body["id"]
    assert User.objects.get(pk=buyer.pk).points_balance == 4000


def test_out_of_stock_refuses_and_takes_nothing(buyer, tea, cups):
    points_award(user_id=buyer.pk, amount=1000, reason="task", idempotency_key="seed")

    response = _order(
        client_for(buyer),
        items=[{"product": tea.pk, "quantity": 1}, {"product": cups.pk, "quantity": 4}],
        points=100,
    )

    assert (response.status_code, response.json()["code"]) == (409, "out_of_stock")
    tea.refresh_from_db()
    assert tea.stock == 10
    assert not Order.objects.exists()
    assert User.objects.get(pk=buyer.pk).points_balance == 1000


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"items": []}, 400, "validation_error"),
        ({"items": [{"product": 1, "quantity": 0}]}, 400, "validation_error"),
        ({"items": [{"product": 999999, "quantity": 1}]}, 404, "not_found"),
        ({"points": 100}, 400, "points_over_limit"),  # no balance
        ({"coupon": 999999}, 409, "coupon_invalid"),
        ({"creator_code": "NOPE"}, 409, "creator_code_invalid"),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(buyer, tea, body, status, code):
    payload = {"items": [{"product": tea.pk, "quantity": 1}], **body}

    response = _order(client_for(buyer), **payload)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Order.objects.exists()
    tea.refresh_from_db()
    assert tea.stock == 10


def test_own_creator_code_does_not_apply(tea):
    creator = UserFactory()
    CreatorCode.objects.create(creator=creator, code="MINE", discount_percent=5)

    response = _order(
        client_for(creator), items=[{"product": tea.pk, "quantity": 1}], creator_code="MINE"
    )

    assert response.json()["code"] == "creator_code_invalid"


def test_coupon_below_threshold_is_refused(buyer, cups):
    coupon = Coupon.objects.create(
        title="¥20 off ¥199", kind="amount", value=D("20"), threshold=D("199")
    )
    wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)

    response = _order(
        client_for(buyer), items=[{"product": cups.pk, "quantity": 1}], coupon=wallet.pk
    )

    assert (response.status_code, response.json()["code"]) == (409, "coupon_invalid")
    assert UserCoupon.objects.get(pk=wallet.pk).used_at is None


def test_orders_are_private(buyer, tea):
    order_id = _order(client_for(buyer), items=[{"product": tea.pk, "quantity": 1}]).json()["id"]
    stranger = client_for(UserFactory())

    assert stranger.get(f"/api/v1/orders/{order_id}/").status_code == 404
    assert stranger.post(f"/api/v1/orders/{order_id}/cancel/").status_code == 404
    assert stranger.get("/api/v1/orders/").json()["results"] == []
    assert client_for(None).get("/api/v1/orders/").status_code == 401
    assert [o["id"] for o in client_for(buyer).get("/api/v1/orders/").json()["results"]] == [
        order_id
    ]


def test_cancel_gives_back_stock_coupon_and_points_once(buyer, tea):
    coupon = Coupon.objects.create(title="¥5", kind="amount", value=D("5"))
    wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)
    points_award(user_id=buyer.pk, amount=1000, reason="task", idempotency_key="seed")
    client = client_for(buyer)
    order_id = _order(
        client, items=[{"product": tea.pk, "quantity": 3}], coupon=wallet.pk, points=500
    ).json()["id"]

    first = client.post(f"/api/v1/orders/{order_id}/cancel/")
    second = client.post(f"/api/v1/orders/{order_id}/cancel/")

    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "cancelled"
    assert [e["to_status"] for e in first.json()["events"]] == ["pending_payment", "cancelled"]
    tea.refresh_from_db()
    assert tea.stock == 10
    assert UserCoupon.objects.get(pk=wallet.pk).used_at is None
    assert User.objects.get(pk=buyer.pk).points_balance == 1000
    assert PointsEntry.objects.filter(user=buyer, reason="refund").count() == 1


def test_sweeper_cancels_only_expired_unpaid_orders_and_is_safe_twice(buyer, tea):
    client = client_for(buyer)
    old = _order(client, items=[{"product": tea.pk, "quantity": 2}]).json()["id"]
    fresh = _order(client, items=[{"product": tea.pk, "quantity": 1}]).json()["id"]
    Order.objects.filter(pk=old).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert orders_cancel_unpaid() == 1
    assert orders_cancel_unpaid() == 0

    assert Order.objects.get(pk=old).cancel_reason == "payment_timeout"
    assert Order.objects.get(pk=fresh).status == "pending_payment"
    tea.refresh_from_db()
    assert tea.stock == 9


# --- pinned defaults ------------------------------------------------------------------------------


def test_a_new_order_waits_15_minutes_for_payment(buyer, tea, settings):
    assert settings.ORDER_PAYMENT_MINUTES == 15
    placed_at = timezone.now()
    before = timezone.now()

    exact = order_create(buyer=buyer, items=[(tea.pk, 1)], now=placed_at)
    response = _order(client_for(buyer), items=[{"product": tea.pk, "quantity": 1}])
    after = timezone.now()

    assert exact.expires_at == placed_at + timedelta(minutes=15)
    via_api = Order.objects.get(pk=response.json()["id"])
    assert before + timedelta(minutes=15) <= via_api.expires_at <= after + timedelta(minutes=15)


def test_an_expired_wallet_coupon_is_refused_at_checkout_and_listed_as_expired(buyer, tea):
    coupon = Coupon.objects.create(title="¥5", kind="amount", value=D("5"))
    wallet = coupon_claim(actor=buyer, coupon_id=coupon.pk)
    UserCoupon.objects.filter(pk=wallet.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = client_for(buyer)

    refused = _order(client, items=[{"product": tea.pk, "quantity": 1}], coupon=wallet.pk)
    expired = client.get("/api/v1/coupons/mine/", {"state": "expired"})
    usable = client.get("/api/v1/coupons/mine/")

    assert (refused.status_code, refused.json()["code"]) == (409, "coupon_invalid")
    assert not Order.objects.exists()
    assert [entry["id"] for entry in expired.json()["results"]] == [wallet.pk]
    assert usable.json() == {"next": None, "previous": None, "results": []}
