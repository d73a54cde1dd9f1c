"""Staff refund and complete orders and decide after-sales from the admin, through the services."""

from decimal import Decimal

import pytest
from django.test import Client

from groupbuy.models import AfterSalesRequest, Order
from groupbuy.services import after_sales_open
from tests.factories import UserFactory
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member

pytestmark = pytest.mark.django_db(transaction=True)


def admin_client(user) -> Client:
    # Django admin's model permissions: the operator here is a superuser who also holds staff.
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(user)
    return client


def test_staff_refund_an_order_from_the_admin():
    staff = staff_member()
    order = paid_order(UserFactory(), [(product().pk, 1)])

    response = admin_client(staff).post(
        "/admin/groupbuy/order/", {"action": "refund", "_selected_action": [order.pk]}, follow=True
    )

    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == "refunded"  # the worker ran on commit


def test_staff_complete_and_decide_after_sales_from_the_admin():
    staff = staff_member()
    buyer = UserFactory()
    shipped = delivered_order(buyer, [(product().pk, 1)], staff)
    other = delivered_order(buyer, [(product(title="Cups").pk, 1)], staff)
    request = after_sales_open(actor=buyer, order_id=other.pk, kind="exchange", reason="wrong_item")
    client = admin_client(staff)

    client.post("/admin/groupbuy/order/", {"action": "complete", "_selected_action": [shipped.pk]})
    client.post(
        "/admin/groupbuy/aftersalesrequest/",
        {"action": "approve", "_selected_action": [request.pk]},
    )

    assert Order.objects.get(pk=shipped.pk).status == "completed"
    assert AfterSalesRequest.objects.get(pk=request.pk).status == "approved"


def test_orders_are_read_only_in_the_admin():
    staff = staff_member()
    order = paid_order(UserFactory(), [(product().pk, 1)])

    page = admin_client(staff).get(f"/admin/groupbuy/order/{order.pk}/change/")

    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_the_product_change_form_writes_through_the_catalog_services():
    from groupbuy.models import Product

    staff = staff_member()
    client = admin_client(staff)
    form = {
        "title": "Chili crisp",
        "description": "",
        "category": "",
        "price": "12.30",
        "stock": "7",
        "status": "active",
        "commission_rate": "0.05",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }

    added = client.post("/admin/groupbuy/product/add/", form)
    product = Product.objects.get(title="Chili crisp")
    changed = client.post(
        f"/admin/groupbuy/product/{product.pk}/change/", {**form, "stock": "3", "price": "9.90"}
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    product.refresh_from_db()
    assert (product.stock, product.price, product.created_by) == (3, Decimal("9.90"), staff)


def test_staff_start_a_campaign_from_the_admin_through_the_service():
    from django.utils import timezone

    from groupbuy.models import Campaign

    staff = staff_member()
    goods = product(title="Hairy crabs", price="59.90")
    client = admin_client(staff)
    now = timezone.localtime()
    form = {
        "product": goods.pk,
        "title": "Crabs for three",
        "group_price": "39.90",
        "leader_price": "",
        "team_size": "3",
        "team_window_minutes": "120",
        "stock_total": "30",
        "per_user_limit": "1",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": now.strftime("%H:%M:%S"),
        "ends_at_0": (now + timezone.timedelta(days=2)).strftime("%Y-%m-%d"),
        "ends_at_1": now.strftime("%H:%M:%S"),
        "community": "",
    }

    created = client.post("/admin/groupbuy/campaign/add/", form)
    bad = client.post("/admin/groupbuy/campaign/add/", {**form, "team_size": "11"})

    assert created.status_code == 302, created.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert (campaign.stock_remaining, campaign.team_size, campaign.created_by) == (30, 3, staff)
    assert bad.status_code == 200  # the form shows the error; nothing is created
    assert Campaign.objects.count() == 1
