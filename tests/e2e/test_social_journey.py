"""Alice follows Bob from his profile, starts a community, and Bob joins it from his own browser."""

import re

import pytest
from playwright.sync_api import expect

from community.models import Community, CommunityMembership, Follow
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # "**/" would already match /login/ itself: wait for the logged-in header instead.
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_follow_create_community_and_join(page, browser, live_url):
    alice = UserFactory(username="alice", display_name="Alice 王")
    bob = UserFactory(username="bob", display_name="Bob 李")

    log_in(page, "alice")
    page.goto("/u/bob/")
    expect(page.get_by_test_id("followers-count")).to_have_text("0")
    page.get_by_test_id("follow").click()
    expect(page.get_by_test_id("followers-count")).to_have_text("1")
    expect(page.get_by_test_id("follow")).to_have_text("Following ✓")
    assert Follow.objects.filter(follower=alice, followee=bob).exists()

    page.goto("/communities/")
    page.fill("input[name=name]", "West Lake Runners")
    page.fill("textarea[name=description]", "Sunday 7:00")
    page.fill("input[name=tags]", "running, hiking")
    page.click("text=Create community")
    page.wait_for_url(re.compile(r".*/communities/\d+/$"))
    expect(page.get_by_test_id("member-count")).to_have_text("1")
    community = Community.objects.get(name="West Lake Runners")
    assert community.owner_id == alice.id

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        bob_page = context.new_page()
        log_in(bob_page, "bob")
        bob_page.goto(f"/communities/{community.id}/")
        bob_page.get_by_test_id("join").click()
        expect(bob_page.get_by_test_id("leave")).to_be_visible()
        expect(bob_page.get_by_test_id("member-count")).to_have_text("2")
    finally:
        context.close()

    assert CommunityMembership.objects.filter(
        community=community, user=bob, status="active"
    ).exists()
    page.reload()
    expect(page.get_by_test_id("member-count")).to_have_text("2")
    expect(page.get_by_test_id("members")).to_contain_text("Bob 李")
