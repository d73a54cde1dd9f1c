"""A tap on "Pay" that lands while the page's script is still downloading is not lost."""

import pytest
from playwright.sync_api import expect

from groupbuy.services import order_create
from tests.e2e.test_team_journey import log_in
from tests.factories import UserFactory
from tests.groupbuy.orderflow import product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_tap_before_the_script_has_loaded_is_replayed_once_it_has(page):
    mei = UserFactory(username="mei")
    order = order_create(buyer=mei, items=[(product(price="12.50").pk, 1)])
    log_in(page, "mei")

    # The order page's script is held in flight, as on a slow connection, until after the tap.
    held = []

    def hold_first_download(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/tuanju/checkout.js", hold_first_download)
    page.goto(f"/orders/{order.pk}/", wait_until="commit")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Waiting for payment")
    assert page.evaluate("document.documentElement.hasAttribute('data-scripts-ready')") is False

    held[0].continue_()

    expect(page.get_by_test_id("order-status")).to_have_text("Paid", timeout=15_000)
    assert order.payments.get().status == "succeeded"
