"""A product hidden by moderation takes its flash sales and group-buy campaigns with it: their
lists, REST details and pages are gone for members and visitors (staff and moderators still see
them, to review), and approving the product brings them back."""

import pytest
from django.test import Client

from community.models import ModerationItem
from community.services.moderation.decisions import item_decide
from community.services.moderation.reports import report_create
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.flashflow import make_sale
from tests.groupbuy.teamflow import campaign

pytestmark = pytest.mark.django_db


def _hide(product_id: int) -> None:
    """Three members' reports reach the threshold (3.0) and hide the product."""
    for _ in range(3):
        report_create(
            reporter=UserFactory(), target_type="product", target_id=product_id, category="scam"
        )


def _sale_ids(viewer) -> list[int]:
    response = client_for(viewer).get("/api/v1/flash-sales/")
    assert response.status_code == 200
    return [s["id"] for s in response.json()["results"]]


def _campaign_ids(viewer) -> list[int]:
    response = client_for(viewer).get("/api/v1/campaigns/")
    assert response.status_code == 200
    return [c["id"] for c in response.json()["results"]]


def test_a_hidden_products_flash_sale_is_gone_for_members_and_visitors(staff, member, moderator):
    kept = make_sale(stock=5, staff=staff)
    sale = make_sale(stock=5, staff=staff)
    _hide(sale.product_id)

    detail = client_for(member).get(f"/api/v1/flash-sales/{sale.pk}/")
    anonymous = client_for(None).get(f"/api/v1/flash-sales/{sale.pk}/")
    page = Client().get(f"/flash-sales/{sale.pk}/")
    listing = Client().get("/flash-sales/")

    assert (detail.status_code, detail.json()["code"]) == (404, "not_found")
    assert anonymous.status_code == 404
    assert page.status_code == 404
    assert _sale_ids(member) == [kept.pk]
    assert f"/flash-sales/{sale.pk}/" not in listing.content.decode()
    assert f"/flash-sales/{kept.pk}/" in listing.content.decode()
    # Reviewers still reach it.
    assert client_for(moderator).get(f"/api/v1/flash-sales/{sale.pk}/").status_code == 200
    assert sorted(_sale_ids(staff)) == sorted([kept.pk, sale.pk])


def test_a_hidden_products_campaign_is_gone_for_members_and_visitors(staff, member, moderator):
    kept = campaign(staff)
    deal = campaign(staff)
    _hide(deal.product_id)

    detail = client_for(member).get(f"/api/v1/campaigns/{deal.pk}/")
    page = Client().get(f"/campaigns/{deal.pk}/")
    listing = Client().get("/campaigns/").content.decode()

    assert (detail.status_code, detail.json()["code"]) == (404, "not_found")
    assert page.status_code == 404
    assert _campaign_ids(member) == [kept.pk]
    assert f"/campaigns/{deal.pk}/" not in listing
    assert f"/campaigns/{kept.pk}/" in listing
    assert client_for(moderator).get(f"/api/v1/campaigns/{deal.pk}/").status_code == 200
    assert sorted(_campaign_ids(moderator)) == sorted([kept.pk, deal.pk])


def test_an_approved_product_brings_its_sale_and_campaign_back(staff, member, moderator):
    sale = make_sale(stock=5, staff=staff)
    deal = campaign(staff)
    _hide(sale.product_id)
    _hide(deal.product_id)

    for item in ModerationItem.objects.filter(target_type="product"):
        item_decide(
            moderator=moderator, item_id=item.pk, action="approve", reason="", version=item.version
        )

    assert client_for(member).get(f"/api/v1/flash-sales/{sale.pk}/").status_code == 200
    assert client_for(member).get(f"/api/v1/campaigns/{deal.pk}/").status_code == 200
    assert _sale_ids(member) == [sale.pk]
    assert _campaign_ids(member) == [deal.pk]
