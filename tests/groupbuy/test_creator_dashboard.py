"""The checkout quote, the commission ledger and the creator dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.services import points_award, role_grant
from groupbuy.models import CreatorCode, Order, Refund, StorefrontVisit
from groupbuy.services import order_refund_request, refund_process, storefront_create
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.orderflow import paid_order, product

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def creator(db):
    person = UserFactory(username="lily")
    role_grant(actor=None, user=person, role="creator")
    CreatorCode.objects.create(creator=person, code="LILY5", discount_percent=5)
    return person


def test_the_quote_matches_what_checkout_then_charges(creator):
    buyer = UserFactory()
    points_award(user_id=buyer.pk, amount=10_000, reason="task", idempotency_key="seed")
    tea = product(price="120.00")
    body = {"items": [{"product": tea.pk, "quantity": 2}], "creator_code": "lily5", "points": 3000}
    client = client_for(buyer)

    quote = client.post("/api/v1/orders/quote/", body, format="json")
    order = client.post("/api/v1/orders/", body, format="json")

    assert quote.status_code == 200
    q, o = quote.json(), order.json()
    assert (q["subtotal"], q["creator_discount"], q["points_discount"], q["total"]) == (
        "240.00",
        "12.00",
        "30.00",
        "198.00",
    )
    assert q["max_points"] == 10_000  # half of ¥228 is ¥114 = 11,400 points, capped by balance
    assert (o["subtotal"], o["creator_discount"], o["points_discount"], o["total"]) == (
        q["subtotal"],
        q["creator_discount"],
        q["points_discount"],
        q["total"],
    )


def test_the_quote_refuses_like_checkout_and_reserves_nothing(creator):
    buyer = UserFactory()
    tea = product(price="10.00", stock=3)
    client = client_for(buyer)

    too_many_points = client.post(
        "/api/v1/orders/quote/",
        {"items": [{"product": tea.pk, "quantity": 1}], "points": 100},
        format="json",
    )
    own_code = client_for(creator).post(
        "/api/v1/orders/quote/",
        {"items": [{"product": tea.pk, "quantity": 1}], "creator_code": "LILY5"},
        format="json",
    )
    anonymous = client_for(None).post(
        "/api/v1/orders/quote/", {"items": [{"product": tea.pk, "quantity": 1}]}, format="json"
    )

    assert (too_many_points.status_code, too_many_points.json()["code"]) == (
        400,
        "points_over_limit",
    )
    assert (own_code.status_code, own_code.json()["code"]) == (409, "creator_code_invalid")
    assert anonymous.status_code == 401
    tea.refresh_from_db()
    assert tea.stock == 3
    assert not Order.objects.exists()


def test_the_dashboard_counts_views_orders_gmv_commission_and_top_products(creator):
    storefront = storefront_create(actor=creator, slug="lily", title="Lily")
    now = timezone.now()
    StorefrontVisit.objects.bulk_create(
        [
            StorefrontVisit(
                storefront=storefront, visitor_key=f"v{n}", hour_bucket=now, created_at=now
            )
            for n in range(3)
        ]
    )
    tea, cups = product(price="100.00", rate="0.10"), product(title="Cups", price="20.00")
    buyers = [UserFactory() for _ in range(3)]
    paid_order(buyers[0], [(tea.pk, 1)], creator_code="LILY5")  # ¥95, ¥9.50 commission
    paid_order(buyers[1], [(cups.pk, 2)], creator_code="LILY5")  # ¥38, ¥3.80
    refunded = paid_order(buyers[2], [(tea.pk, 1)], creator_code="LILY5")
    order_refund_request(actor=buyers[2], order_id=refunded.pk)

    refund_process(refund_id=Refund.objects.get(order=refunded).pk)
    paid_order(UserFactory(), [(tea.pk, 1)])  # not attributed

    response = client_for(creator).get("/api/v1/creator/dashboard/?days=7")

    assert response.status_code == 200
    body = response.json()
    assert (body["views"], body["orders"], body["gmv"]) == (3, 2, "133.00")
    assert body["commission"] == {"pending": "13.30", "confirmed": "0.00", "reversed": "9.50"}
    assert [(p["title"], p["quantity"], p["amount"]) for p in body["top_products"]] == [
        ("Longjing tea", 1, "100.00"),
        ("Cups", 2, "40.00"),
    ]
    assert len(body["days"]) == 7
    today = body["days"][-1]
    assert (today["views"], today["orders"], today["gmv"], today["commission"]) == (
        3,
        2,
        "133.00",
        "13.30",
    )
    ledger = client_for(creator).get("/api/v1/creator/commissions/").json()["results"]
    assert [(e["amount"], e["status"]) for e in ledger] == [
        ("9.50", "reversed"),
        ("3.80", "pending"),
        ("9.50", "pending"),
    ]


def test_the_dashboard_costs_the_same_queries_for_1_or_20_orders(creator):
    tea = product(price="10.00", stock=100)
    client = client_for(creator)
    paid_order(UserFactory(), [(tea.pk, 1)], creator_code="LILY5")
    client.get("/api/v1/creator/dashboard/?days=30")  # warm: the creator's roles are cached
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/creator/dashboard/?days=30")
    for _ in range(19):
        paid_order(UserFactory(), [(tea.pk, 1)], creator_code="LILY5")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/api/v1/creator/dashboard/?days=30")

    assert response.json()["orders"] == 20
    assert len(twenty.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("member", 404)])
def test_only_creators_have_a_dashboard_and_a_ledger(who, status):
    client = client_for(None if who == "anonymous" else UserFactory())

    assert client.get("/api/v1/creator/dashboard/").status_code == status
    assert client.get("/api/v1/creator/commissions/").status_code == status


def test_a_creator_sees_only_their_own_commissions(creator):
    other = UserFactory(username="mia")
    role_grant(actor=None, user=other, role="creator")
    paid_order(UserFactory(), [(product().pk, 1)], creator_code="LILY5")

    mine = client_for(creator).get("/api/v1/creator/commissions/").json()["results"]
    theirs = client_for(other).get("/api/v1/creator/commissions/").json()["results"]
    dashboard = client_for(other).get("/api/v1/creator/dashboard/").json()

    assert len(mine) == 1
    assert theirs == []
    assert (dashboard["orders"], dashboard["gmv"]) == (0, "0.00")


@pytest.mark.parametrize("days", ["3", "91", "soon"])
def test_the_window_must_be_between_7_and_90_days(creator, days):
    response = client_for(creator).get(f"/api/v1/creator/dashboard/?days={days}")

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert "days" in response.json()["fields"]


def test_orders_paid_before_the_window_do_not_count(creator):
    order = paid_order(UserFactory(), [(product().pk, 1)], creator_code="LILY5")
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=10))

    body = client_for(creator).get("/api/v1/creator/dashboard/?days=7").json()

    assert (body["orders"], body["gmv"]) == (0, "0.00")
