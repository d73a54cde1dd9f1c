"""A host launches a flash sale or group buy from their live stream; viewers are told at once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from chat.models import LiveStream
from chat.services.live import livestream_create, livestream_start
from groupbuy.models import Campaign, FlashSale
from groupbuy.services import (
    collection_create,
    collection_item_add,
    flash_sale_order_place,
    storefront_create,
)
from tests.chat.conftest import client_for, grant, member
from tests.groupbuy.orderflow import product as make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db):
    return grant(member(username="host_lily"), "creator")


@pytest.fixture
def tea(host):
    goods = make_product(title="Longjing tea", price="100.00")
    storefront = storefront_create(actor=host, slug="lily", title="Lily")
    shelf = collection_create(actor=host, storefront=storefront, title="Tea")
    collection_item_add(actor=host, collection=shelf, product_id=goods.pk)
    return goods


@pytest.fixture
def live(host) -> LiveStream:
    stream = livestream_create(
        actor=host,
        title="Tea tasting",
        starts_at=timezone.now() + timedelta(minutes=5),
        stream_url="https://media.example.com/live/tea.m3u8",
    )
    return livestream_start(actor=host, stream=stream)


def _launch(user, stream, **body):
    payload = {"kind": "flash_sale", "price": "79.00", "stock": 20, "minutes": 10, **body}
    return client_for(user).post(f"/api/v1/livestreams/{stream.pk}/deals/", payload, format="json")


def test_the_host_launches_a_flash_sale_that_opens_now_and_viewers_can_buy(host, tea, live, pushed):
    response = _launch(host, live, product=tea.pk)

    assert response.status_code == 201, response.json()
    deal = response.json()
    sale = FlashSale.objects.get(pk=deal["id"])
    assert (deal["kind"], deal["url"], deal["price"]) == (
        "flash_sale",
        f"/flash-sales/{sale.pk}/",
        "79.00",
    )
    assert (sale.livestream_id, sale.stock_total, sale.price) == (live.pk, 20, Decimal("79.00"))
    assert sale.starts_at <= timezone.now() < sale.ends_at <= timezone.now() + timedelta(minutes=10)
    assert LiveStream.objects.get(pk=live.pk).pinned_product_id == tea.pk
    order = flash_sale_order_place(actor=member(), sale_id=sale.pk, quantity=1)
    assert order.total == Decimal("79.00")


def test_the_host_launches_a_group_buy(host, tea, live):
    response = _launch(host, live, kind="group_buy", product=tea.pk, price="60.00", team_size=3)

    assert response.status_code == 201
    campaign = Campaign.objects.get(pk=response.json()["id"])
    assert (campaign.team_size, campaign.group_price, campaign.livestream_id) == (
        3,
        Decimal("60.00"),
        live.pk,
    )
    assert response.json()["url"] == f"/campaigns/{campaign.pk}/"


def test_viewers_get_the_deal_pushed_on_the_stream_topic(
    host, tea, live, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _launch(host, live, product=tea.pk)

    launched = [p for p in pushed if p[1] == "live.deal.launched"]
    assert len(launched) == 1
    topic, _, data = launched[0][:3]
    assert topic == f"live.stream:{live.pk}"
    assert (data["kind"], data["price"], data["product"]) == ("flash_sale", "79.00", tea.pk)


@pytest.mark.parametrize(
    "who, body, status, code",
    [
        ("viewer", {}, 403, "not_the_host"),
        ("host", {"price": "49.00"}, 400, "deal_price_out_of_range"),
        ("host", {"price": "100.01"}, 400, "deal_price_out_of_range"),
        ("host", {"product": "other"}, 403, "deal_not_allowed"),
        ("host", {"kind": "raffle"}, 400, "validation_error"),
        ("anonymous", {}, 401, "not_authenticated"),
    ],
)
def test_deal_refusals_change_nothing(host, tea, live, who, body, status, code):
    other = make_product(title="Not in her store", price="100.00")
    if body.get("product") == "other":
        body = {**body, "product": other.pk}
    actor = {"viewer": member(), "host": host, "anonymous": None}[who]

    response = _launch(actor, live, **{"product": tea.pk, **body})

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not FlashSale.objects.exists()
    assert not Campaign.objects.exists()


def test_deals_only_while_live(host, tea):
    scheduled = livestream_create(
        actor=host,
        title="Later",
        starts_at=timezone.now() + timedelta(hours=1),
        stream_url="https://media.example.com/live/later.m3u8",
    )

    response = _launch(host, scheduled, product=tea.pk)

    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert not FlashSale.objects.exists()
