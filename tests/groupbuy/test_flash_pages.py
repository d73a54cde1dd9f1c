"""The flash-sale pages render for everybody; buying needs a signed-in member."""

from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.groupbuy.flashflow import make_sale, sale_product

pytestmark = pytest.mark.django_db


def test_the_list_page_shows_live_and_upcoming_sales_but_not_ended_ones():
    product = sale_product()
    live = make_sale(product=product)
    upcoming = make_sale(starts_in=timedelta(hours=2), product=product)
    ended = make_sale(starts_in=timedelta(hours=-3), lasts=timedelta(hours=1), product=product)
    titles = {live.pk: "Live one", upcoming.pk: "Upcoming one", ended.pk: "Ended one"}
    for sale in (live, upcoming, ended):
        sale.title = titles[sale.pk]
        sale.save(update_fields=["title"])

    html = Client().get("/flash-sales/").content.decode()

    live_part, _, upcoming_part = html.partition("Coming up")
    assert "Live one" in live_part
    assert "Upcoming one" in upcoming_part
    assert "Ended one" not in html


def test_an_anonymous_visitor_sees_the_sale_and_is_asked_to_sign_in():
    sale = make_sale(stock=7)

    response = Client().get(f"/flash-sales/{sale.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="login-to-buy"' in html
    assert 'data-testid="buy"' not in html
    assert 'data-stock-remaining="7"' in html
    assert 'data-server-time="' in html


def test_a_member_gets_the_buy_button_and_a_missing_sale_is_404():
    sale = make_sale()
    browser = Client()
    browser.force_login(UserFactory(tier="gold"))

    page = browser.get(f"/flash-sales/{sale.pk}/")
    missing = browser.get("/flash-sales/999999/")

    assert 'data-testid="buy"' in page.content.decode()
    assert missing.status_code == 404


def test_the_shop_links_to_the_flash_sales():
    assert 'href="/flash-sales/"' in Client().get("/products/").content.decode()
