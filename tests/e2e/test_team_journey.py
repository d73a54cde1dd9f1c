"""Mei opens a team and shares it; Bob joins through her share link; both watch it succeed live."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from groupbuy.models import Team
from tests.factories import PASSWORD, UserFactory
from tests.groupbuy.orderflow import staff_member
from tests.groupbuy.teamflow import campaign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def pay_on_order_page(page):
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Paid")


def test_two_members_form_a_team_through_a_share_link_and_see_it_succeed_live(
    page, browser, live_url
):
    deal = campaign(staff_member(), team_size=2, group_price=Decimal("39.90"))
    UserFactory(username="mei", display_name="Mei")
    UserFactory(username="bob", display_name="Bob")

    log_in(page, "mei")
    page.goto(f"/campaigns/{deal.pk}/")
    page.get_by_test_id("open-team").click()
    pay_on_order_page(page)
    team = Team.objects.get(campaign=deal)
    page.goto(f"/teams/{team.pk}/")
    expect(page.get_by_test_id("team-status")).to_have_text("Waiting for 1 more")
    expect(page.get_by_test_id("countdown")).to_contain_text("left")
    page.get_by_test_id("share-team").click()
    expect(page.get_by_test_id("share-result")).to_contain_text("/s/")
    share_link = page.get_by_test_id("share-result").get_attribute("data-link")

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        bob = context.new_page()
        log_in(bob, "bob")
        bob.goto(share_link)
        expect(bob).to_have_url(re.compile(rf"/teams/{team.pk}/$"))
        expect(bob.get_by_test_id("member")).to_have_count(1)
        bob.get_by_test_id("join-team").click()
        expect(bob).to_have_url(re.compile(r"/orders/\d+/$"))
        # Mei's page hears Bob take the last seat before he pays.
        expect(page.get_by_test_id("member")).to_have_count(2)
        expect(page.get_by_test_id("team-status")).to_have_text(
            "Every seat is taken — waiting for the last payment"
        )
        watcher = context.new_page()
        watcher.goto(f"/teams/{team.pk}/")
        expect(watcher.get_by_test_id("seats-left")).to_have_text("0")

        pay_on_order_page(bob)

        expect(page.get_by_test_id("team-status")).to_have_text("Team complete 🎉")
        expect(watcher.get_by_test_id("team-status")).to_have_text("Team complete 🎉")
        expect(page.get_by_test_id("member").nth(1)).to_contain_text("Bob")
    finally:
        context.close()
    assert Team.objects.get(pk=team.pk).status == "succeeded"
