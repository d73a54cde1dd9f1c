"""Cart, orders, coupon centre and creator dashboard pages render what belongs to the viewer."""

import pytest
from django.test import Client

from community.services import role_grant
from groupbuy.models import Coupon, CreatorCode
from groupbuy.services import order_create
from tests.factories import UserFactory
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/cart/", "/orders/", "/creator/dashboard/"])
def test_personal_pages_ask_anonymous_visitors_to_log_in(path):
    response = browser_for(None).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_my_orders_lists_only_my_orders_with_their_status():
    buyer, other = UserFactory(), UserFactory()
    tea = product(title="Longjing tea")
    mine = paid_order(buyer, [(tea.pk, 2)])
    theirs = order_create(buyer=other, items=[(product(title="Secret").pk, 1)])

    page = browser_for(buyer).get("/orders/").content.decode()

    assert f"/orders/{mine.pk}/" in page
    assert "Longjing tea \u00d7 2" in page
    assert "Paid" in page
    assert f"/orders/{theirs.pk}/" not in page
    assert "Secret" not in page


def test_order_page_shows_breakdown_tracking_and_after_sales_form():
    buyer = UserFactory()
    order = delivered_order(buyer, [(product().pk, 1)], staff_member())

    page = browser_for(buyer).get(f"/orders/{order.pk}/").content.decode()

    assert 'data-testid="tracking-number">SF1001<' in page
    assert "Chengdu" in page
    assert 'data-testid="after-sales-form"' in page
    assert 'data-testid="confirm-receipt"' in page
    assert 'data-testid="pay"' not in page


def test_an_unpaid_order_offers_pay_and_cancel_but_no_refund():
    buyer = UserFactory()
    order = order_create(buyer=buyer, items=[(product().pk, 1)])

    page = browser_for(buyer).get(f"/orders/{order.pk}/").content.decode()

    assert 'data-testid="pay"' in page and 'data-testid="cancel"' in page
    assert 'data-testid="refund"' not in page


def test_another_members_order_page_is_not_found():
    order = paid_order(UserFactory(), [(product().pk, 1)])

    assert browser_for(UserFactory()).get(f"/orders/{order.pk}/").status_code == 404


def test_the_coupon_centre_shows_claimable_coupons_to_everyone():
    Coupon.objects.create(title="¥20 off ¥199", kind="amount", value=20, threshold=199)

    anonymous = browser_for(None).get("/coupons/").content.decode()
    member = browser_for(UserFactory()).get("/coupons/").content.decode()

    assert "¥20 off ¥199" in anonymous and 'data-testid="claim"' not in anonymous
    assert 'data-testid="claim"' in member and 'data-testid="wallet"' not in member


def test_the_creator_dashboard_page_shows_attributed_sales_only_to_creators():
    creator = UserFactory(username="lily")
    role_grant(actor=None, user=creator, role="creator")
    CreatorCode.objects.create(creator=creator, code="LILY5", discount_percent=5)
    paid_order(
        UserFactory(), [(product(title="Chili oil", price="20.00").pk, 1)], creator_code="LILY5"
    )

    page = browser_for(creator).get("/creator/dashboard/?days=7").content.decode()
    member = browser_for(UserFactory()).get("/creator/dashboard/")

    assert 'data-testid="orders">1<' in page
    assert 'data-testid="gmv">¥19.00<' in page
    assert 'data-testid="commission-pending">¥1.90<' in page
    assert "Chili oil" in page
    assert 'id="creator-chart-data"' in page
    assert member.status_code == 404
