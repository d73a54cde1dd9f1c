"""The flash-sale purchase is the hottest write: its query count is pinned so it cannot creep."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, token_for
from tests.groupbuy.flashflow import make_sale

pytestmark = pytest.mark.django_db


def test_a_flash_sale_purchase_costs_a_fixed_handful_of_queries(django_assert_max_num_queries):
    sale = make_sale()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(UserFactory())}")

    # token, sale, quota upsert + update, the buyer's share clicks and storefront visits (creator
    # attribution), order + item + event, stock UPDATE, link, savepoint x2
    with django_assert_max_num_queries(13):
        response = client.post(f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 1})

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["status"], len(body["items"]), len(body["events"])) == (
        "flash_sale",
        "pending_payment",
        1,
        1,
    )
    assert (body["refunds"], body["after_sales"], body["shipment"]) == ([], [], None)
