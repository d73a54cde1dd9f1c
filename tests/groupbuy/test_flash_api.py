"""Flash-sale REST endpoints (API.md "Flash sales"): who may do what, exact statuses and codes,
and refusals that change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from groupbuy.models import (
    FlashSale,
    FlashSaleOrder,
    FlashSaleQuota,
    FlashSaleReminder,
    Order,
    OrderKindChoice,
)
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for, make_product
from tests.groupbuy.flashflow import make_sale, remaining, sale_product

pytestmark = pytest.mark.django_db


def _create_body(sold, **overrides):
    starts = timezone.now() + timedelta(hours=1)
    body = {
        "product": sold.pk,
        "price": "9.90",
        "stock": 100,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "per_user_limit": 2,
    }
    body.update(overrides)
    return body


# --- create -----------------------------------------------------------------------------------


def test_staff_create_a_flash_sale_and_everybody_reads_it(staff, product, api_client):
    response = client_for(staff).post("/api/v1/flash-sales/", _create_body(product), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["product"] == product.pk
    assert body["price"] == "9.90"
    assert body["stock_total"] == body["stock_remaining"] == 100
    assert body["per_user_limit"] == 2
    assert body["status"] == "scheduled"
    assert body["url"] == f"/flash-sales/{body['id']}/"
    read = api_client.get(f"/api/v1/flash-sales/{body['id']}/")
    assert read.status_code == 200
    assert read.json()["stock_remaining"] == 100
    assert read.json()["viewer"] is None  # anonymous


@pytest.mark.parametrize("who, status, code", [("anonymous", 401, None), ("member", 403, None)])
def test_only_staff_may_create_a_flash_sale(who, status, code, member, product):
    client = client_for(member if who == "member" else None)

    response = client.post("/api/v1/flash-sales/", _create_body(product), format="json")

    assert response.status_code == status
    assert response.json()["code"] == (
        "not_authenticated" if who == "anonymous" else "permission_denied"
    )
    assert not FlashSale.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"price": "0"}, "price"),
        ({"price": "-1.00"}, "price"),
        ({"price": "19.90"}, "price"),  # not below the list price
        ({"price": "abc"}, "price"),
        ({"stock": 0}, "stock"),
        ({"stock": "many"}, "stock"),
        ({"per_user_limit": 0}, "per_user_limit"),
        ({"per_user_limit": 101}, "per_user_limit"),
        ({"ends_at": "2020-01-01T00:00:00Z", "starts_at": "2019-12-31T00:00:00Z"}, "ends_at"),
        ({"product": 999999}, "product"),
        ({"starts_at": "tomorrow"}, "starts_at"),
    ],
)
def test_bad_flash_sale_input_is_refused_and_nothing_is_created(staff, product, overrides, field):
    response = client_for(staff).post(
        "/api/v1/flash-sales/", _create_body(product, **overrides), format="json"
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not FlashSale.objects.exists()


def test_an_end_before_the_start_is_refused(staff, product):
    starts = timezone.now() + timedelta(hours=2)
    body = _create_body(
        product,
        starts_at=starts.isoformat(),
        ends_at=(starts - timedelta(minutes=1)).isoformat(),
    )

    response = client_for(staff).post("/api/v1/flash-sales/", body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["ends_at"] == ["The end must come after the start."]
    assert not FlashSale.objects.exists()


def test_a_draft_product_cannot_go_on_flash_sale(staff, draft):
    response = client_for(staff).post("/api/v1/flash-sales/", _create_body(draft), format="json")

    assert response.status_code == 400
    assert "product" in response.json()["fields"]
    assert not FlashSale.objects.exists()


# --- read -------------------------------------------------------------------------------------


def test_status_follows_the_clock_and_the_stock(api_client):
    scheduled = make_sale(starts_in=timedelta(minutes=10))
    live = make_sale()
    sold_out = make_sale(stock=1)
    FlashSale.objects.filter(pk=sold_out.pk).update(stock_remaining=0)
    ended = make_sale(starts_in=timedelta(hours=-3), lasts=timedelta(hours=1))

    statuses = {
        sale.pk: api_client.get(f"/api/v1/flash-sales/{sale.pk}/").json()["status"]
        for sale in (scheduled, live, sold_out, ended)
    }

    assert statuses == {
        scheduled.pk: "scheduled",
        live.pk: "live",
        sold_out.pk: "sold_out",
        ended.pk: "ended",
    }


def test_the_detail_carries_server_time_for_the_countdown(api_client):
    sale = make_sale(starts_in=timedelta(seconds=30))
    before = timezone.now()

    body = api_client.get(f"/api/v1/flash-sales/{sale.pk}/").json()

    server_time = parse_datetime(body["server_time"])
    assert server_time is not None
    assert before <= server_time <= timezone.now()
    assert parse_datetime(body["starts_at"]) == sale.starts_at
    assert parse_datetime(body["ends_at"]) == sale.ends_at


def test_an_unknown_flash_sale_is_not_found(api_client, member):
    assert api_client.get("/api/v1/flash-sales/999999/").json()["code"] == "not_found"
    response = client_for(member).post(
        "/api/v1/flash-sales/999999/orders/", {"quantity": 1}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_member_sees_their_own_holding_reminder_and_early_opening(member):
    sale = make_sale(starts_in=timedelta(minutes=30), limit=3)
    member.tier = "gold"
    member.save(update_fields=["tier"])
    FlashSaleReminder.objects.create(sale=sale, user=member)

    viewer = client_for(member).get(f"/api/v1/flash-sales/{sale.pk}/").json()["viewer"]

    assert viewer["held"] == 0
    assert viewer["reminder"] is True
    assert parse_datetime(viewer["opens_at"]) == sale.starts_at - timedelta(minutes=10)


def test_the_list_shows_upcoming_and_live_sales_soonest_first(
    api_client, django_assert_max_num_queries
):
    product = sale_product()
    later = make_sale(starts_in=timedelta(hours=2), product=product)
    soon = make_sale(starts_in=timedelta(minutes=5), product=product)
    live = make_sale(product=product)
    make_sale(starts_in=timedelta(hours=-3), lasts=timedelta(hours=1), product=product)

    with django_assert_max_num_queries(3):
        current = api_client.get("/api/v1/flash-sales/").json()["results"]
    upcoming = api_client.get("/api/v1/flash-sales/?status=upcoming").json()["results"]
    live_now = api_client.get("/api/v1/flash-sales/?status=live").json()["results"]

    assert [s["id"] for s in current] == [live.pk, soon.pk, later.pk]
    assert [s["id"] for s in upcoming] == [soon.pk, later.pk]
    assert [s["id"] for s in live_now] == [live.pk]


def test_an_unknown_list_filter_is_a_validation_error(api_client):
    response = api_client.get("/api/v1/flash-sales/?status=whenever")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


# --- buy --------------------------------------------------------------------------------------


def test_a_member_buys_at_the_sale_price_and_gets_an_unpaid_order(member):
    sale = make_sale(stock=10, limit=2, price="49.00")
    product_stock_before = sale.product.stock

    response = client_for(member).post(
        f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 2}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending_payment"
    assert body["total"] == "98.00"
    assert body["items"][0]["unit_price"] == "49.00"
    assert body["items"][0]["quantity"] == 2
    order = Order.objects.get(pk=body["id"])
    assert order.kind == OrderKindChoice.FLASH_SALE
    assert FlashSaleOrder.objects.get(order=order).quantity == 2
    assert remaining(sale) == 8
    assert FlashSaleQuota.objects.get(sale=sale, user=member).quantity == 2
    sale.product.refresh_from_db()
    assert sale.product.stock == product_stock_before  # the sale sells its own allocation


def test_anonymous_cannot_buy(api_client):
    sale = make_sale()

    response = api_client.post(f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 1})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert remaining(sale) == 10


def _refused(client, sale, quantity=1):
    orders_before = Order.objects.count()
    left_before = remaining(sale)
    response = client.post(
        f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": quantity}, format="json"
    )
    assert Order.objects.count() == orders_before
    assert remaining(sale) == left_before
    return response


def test_buying_before_the_start_is_not_started(member):
    sale = make_sale(starts_in=timedelta(minutes=3))

    response = _refused(client_for(member), sale)

    assert response.status_code == 409
    assert response.json()["code"] == "not_started"
    assert not FlashSaleQuota.objects.filter(quantity__gt=0).exists()


def test_buying_after_the_end_is_ended(member):
    sale = make_sale(starts_in=timedelta(hours=-2), lasts=timedelta(hours=1))

    response = _refused(client_for(member), sale)

    assert response.status_code == 409
    assert response.json()["code"] == "ended"


def test_buying_a_sold_out_sale_is_sold_out(member):
    sale = make_sale(stock=1)
    assert (
        client_for(UserFactory()).post(f"/api/v1/flash-sales/{sale.pk}/orders/").status_code == 201
    )

    response = _refused(client_for(member), sale)

    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"


def test_asking_for_more_than_is_left_is_sold_out_and_takes_nothing(member):
    sale = make_sale(stock=3, limit=5)
    FlashSale.objects.filter(pk=sale.pk).update(stock_remaining=2)

    response = _refused(client_for(member), sale, quantity=3)

    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert not FlashSaleQuota.objects.filter(sale=sale, quantity__gt=0).exists()


def test_buying_past_the_per_member_limit_is_limit_reached(member):
    sale = make_sale(stock=10, limit=2)
    client = client_for(member)
    assert client.post(f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 1}).status_code == 201

    too_many = _refused(client, sale, quantity=2)
    at_once = _refused(client_for(UserFactory()), sale, quantity=3)

    assert too_many.status_code == 409
    assert too_many.json()["code"] == "limit_reached"
    assert at_once.json()["code"] == "limit_reached"
    assert FlashSaleQuota.objects.get(sale=sale, user=member).quantity == 1


@pytest.mark.parametrize("quantity", [0, -1, 100, "two", None])
def test_a_bad_quantity_is_a_validation_error(member, quantity):
    sale = make_sale()

    response = _refused(client_for(member), sale, quantity=quantity)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_an_early_access_gold_member_buys_before_the_start_and_a_regular_member_waits():
    sale = make_sale(starts_in=timedelta(minutes=5))
    gold = UserFactory(tier="gold")
    regular = UserFactory(tier="regular")

    early = client_for(gold).post(f"/api/v1/flash-sales/{sale.pk}/orders/")
    waiting = client_for(regular).post(f"/api/v1/flash-sales/{sale.pk}/orders/")

    assert early.status_code == 201
    assert waiting.status_code == 409
    assert waiting.json()["code"] == "not_started"
    assert remaining(sale) == 9


def test_early_access_has_its_window_and_can_be_switched_off():
    too_early = make_sale(starts_in=timedelta(minutes=15))
    no_early = make_sale(starts_in=timedelta(minutes=5), early=False)
    gold = client_for(UserFactory(tier="gold"))

    first = gold.post(f"/api/v1/flash-sales/{too_early.pk}/orders/")
    second = gold.post(f"/api/v1/flash-sales/{no_early.pk}/orders/")

    assert first.json()["code"] == second.json()["code"] == "not_started"


# --- reminders --------------------------------------------------------------------------------


def test_a_member_sets_and_withdraws_a_reminder(member):
    sale = make_sale(starts_in=timedelta(hours=1))
    client = client_for(member)
    url = f"/api/v1/flash-sales/{sale.pk}/reminder/"

    first = client.post(url)
    again = client.post(url)

    assert first.status_code == 201
    assert first.json()["flash_sale"] == sale.pk
    assert first.json()["sent_at"] is None
    assert again.status_code == 200
    assert FlashSaleReminder.objects.filter(sale=sale, user=member).count() == 1
    assert client.delete(url).status_code == 204
    assert not FlashSaleReminder.objects.exists()


def test_reminders_need_a_signed_in_member_and_a_sale_that_has_not_ended(member, api_client):
    ended = make_sale(starts_in=timedelta(hours=-3), lasts=timedelta(hours=1))
    upcoming = make_sale(starts_in=timedelta(hours=1))

    anonymous = api_client.post(f"/api/v1/flash-sales/{upcoming.pk}/reminder/")
    too_late = client_for(member).post(f"/api/v1/flash-sales/{ended.pk}/reminder/")
    missing = client_for(member).post("/api/v1/flash-sales/999999/reminder/")

    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert too_late.status_code == 409
    assert too_late.json()["code"] == "ended"
    assert missing.status_code == 404
    assert not FlashSaleReminder.objects.exists()


def test_a_sale_created_through_the_api_sells_the_given_product(staff, member):
    product = make_product(staff, title="Hairy crab", price="120.00", stock=3)
    created = client_for(staff).post(
        "/api/v1/flash-sales/",
        _create_body(
            product,
            price="59.00",
            starts_at=(timezone.now() - timedelta(minutes=1)).isoformat(),
            stock=5,
        ),
        format="json",
    )
    assert created.status_code == 201, created.json()

    bought = client_for(member).post(f"/api/v1/flash-sales/{created.json()['id']}/orders/")

    assert bought.status_code == 201
    assert bought.json()["items"][0]["product"] == product.pk
    assert Decimal(bought.json()["total"]) == Decimal("59.00")
