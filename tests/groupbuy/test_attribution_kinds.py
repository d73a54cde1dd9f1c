"""Deal orders (group buys, flash sales, deals launched from a livestream) are attributed to a
creator like cart orders (PRODUCT.md §5), so the creator earns commission on them at payment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from feeds.services.shares import Visitor, share_click_record, share_link_create
from groupbuy.models import CommissionEntry, Order
from groupbuy.selectors.commission import share_click_window, storefront_visit_window
from groupbuy.services import (
    campaign_launch_live,
    collection_item_add,
    flash_sale_launch_live,
    flash_sale_order_place,
    storefront_visit_record,
    team_open,
    visitor_key,
)
from tests.factories import UserFactory
from tests.groupbuy.flashflow import make_sale
from tests.groupbuy.orderflow import product as make_goods
from tests.groupbuy.teamflow import campaign, pay

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer")


def _visit(storefront, buyer, now=None):
    key = visitor_key(user=buyer, session_key=None, ip=None)
    storefront_visit_record(storefront=storefront, visitor=buyer, visitor_key=key, now=now)


def _click_share_link(sharer, buyer, goods, now=None):
    link, _ = share_link_create(actor=sharer, target_type="product", target_id=goods.pk)
    share_click_record(code=link.code, visitor=Visitor(user=buyer, ip="198.51.100.9"), now=now)


def _commission(order: Order) -> tuple[int, str, str, Decimal]:
    entry = CommissionEntry.objects.get(order=order)
    return entry.creator_id, entry.status, entry.attribution_source, entry.amount


def test_a_team_order_after_a_storefront_visit_earns_the_creator_commission(
    creator, storefront, viewer
):
    deal = campaign(team_size=2)  # group price 39.90, commission rate 10 %
    _visit(storefront, viewer)

    order = team_open(actor=viewer, campaign_id=deal.pk).order

    assert (order.attributed_creator_id, order.attribution_source) == (creator.pk, "storefront")
    paid = pay(order)
    assert _commission(paid) == (creator.pk, "pending", "storefront", D("3.99"))


def test_a_flash_sale_order_after_a_share_link_click_earns_the_creator_commission(
    creator, storefront, viewer
):
    goods = make_goods(title="Mooncakes", price="99.00", rate="0.10")
    sale = make_sale(product=goods, price="49.00")
    _click_share_link(creator, viewer, goods)
    _visit(storefront, viewer)  # a share-link click outranks a storefront visit

    order = flash_sale_order_place(actor=viewer, sale_id=sale.pk, quantity=1)

    assert (order.attributed_creator_id, order.attribution_source) == (creator.pk, "share_link")
    assert _commission(pay(order)) == (creator.pk, "pending", "share_link", D("4.90"))


def test_a_deal_order_with_no_link_or_visit_is_not_attributed(creator, viewer):
    sale = make_sale(product=make_goods(title="Dumplings"))

    order = pay(flash_sale_order_place(actor=viewer, sale_id=sale.pk, quantity=1))

    assert (order.attributed_creator_id, order.attribution_source) == (None, "")
    assert not CommissionEntry.objects.filter(order=order).exists()


def test_a_live_flash_sale_earns_its_host_commission_from_a_storefront_visitor(
    creator, storefront, collection, product, viewer
):
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)
    sale = flash_sale_launch_live(
        host=creator, livestream_id=41, product_id=product.pk, price=D("15.00"), stock=5, minutes=30
    )
    _visit(storefront, viewer)

    order = pay(flash_sale_order_place(actor=viewer, sale_id=sale.pk, quantity=1))

    assert (order.attributed_creator_id, order.attribution_source) == (creator.pk, "storefront")
    assert _commission(order) == (creator.pk, "pending", "storefront", D("1.50"))


def test_a_live_group_buy_earns_its_host_commission_from_a_share_link_viewer(
    creator, storefront, collection, product, viewer
):
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)
    deal = campaign_launch_live(
        host=creator, livestream_id=42, product_id=product.pk, price=D("15.00"), stock=5, minutes=30
    )
    _click_share_link(creator, viewer, product)

    order = pay(team_open(actor=viewer, campaign_id=deal.pk).order)

    assert _commission(order) == (creator.pk, "pending", "share_link", D("1.50"))


def test_the_host_buying_their_own_live_deal_earns_no_commission(
    creator, storefront, collection, product
):
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)
    sale = flash_sale_launch_live(
        host=creator, livestream_id=43, product_id=product.pk, price=D("15.00"), stock=5, minutes=30
    )

    order = pay(flash_sale_order_place(actor=creator, sale_id=sale.pk, quantity=1))

    assert order.attributed_creator_id is None
    assert not CommissionEntry.objects.filter(order=order).exists()


# --- the windows are settings -------------------------------------------------------------------


def test_the_attribution_windows_default_to_7_days_and_24_hours():
    assert (share_click_window(), storefront_visit_window()) == (
        timedelta(days=7),
        timedelta(hours=24),
    )


def test_a_storefront_visit_older_than_the_configured_window_does_not_attribute(
    settings, storefront, viewer
):
    settings.ATTRIBUTION_STOREFRONT_HOURS = 1
    _visit(storefront, viewer, now=timezone.now() - timedelta(hours=2))
    sale = make_sale(product=make_goods(title="Rice"))

    order = flash_sale_order_place(actor=viewer, sale_id=sale.pk, quantity=1)

    assert order.attributed_creator_id is None


def test_a_share_click_older_than_the_configured_window_does_not_attribute(
    settings, creator, viewer
):
    settings.ATTRIBUTION_SHARE_DAYS = 1
    goods = make_goods(title="Honey")
    _click_share_link(creator, viewer, goods, now=timezone.now() - timedelta(days=2))
    sale = make_sale(product=goods)

    order = flash_sale_order_place(actor=viewer, sale_id=sale.pk, quantity=1)

    assert order.attributed_creator_id is None
