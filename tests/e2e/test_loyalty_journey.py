"""A member checks in on the Me page, sees points and tier progress move, and gets a live
notification in the bell and the inbox."""

import pytest
from playwright.sync_api import expect

from community.models import User
from community.services import notification_send
from tests.e2e.conftest import outside_event_loop
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_check_in_moves_points_and_progress_and_a_notification_arrives_live(page, relay_to):
    member = UserFactory(username="meimei", display_name="美美")
    _log_in(page, "meimei")

    page.goto("/me/")
    expect(page.locator(".conn")).to_have_attribute("data-realtime-state", "open")
    expect(page.get_by_test_id("points-balance")).to_have_text("0")
    expect(page.get_by_test_id("checkin")).to_have_text("Check in +10")

    page.get_by_test_id("checkin").click()

    expect(page.get_by_test_id("checkin-message")).to_have_text("+10 points · day 1")
    expect(page.get_by_test_id("points-balance")).to_have_text("15")  # check-in + daily task
    expect(page.get_by_test_id("streak")).to_have_text("1")
    expect(page.get_by_test_id("checkin")).to_be_disabled()
    expect(page.get_by_test_id("tier-progress")).to_have_attribute("aria-valuenow", "5")
    expect(page.get_by_test_id("ledger")).to_contain_text("Daily check-in")
    assert User.objects.get(pk=member.pk).points_balance == 15

    outside_event_loop(
        notification_send,
        user_id=member.pk,
        type="follow",
        title="Lily followed you",
        body="Say hi!",
    )

    expect(page.locator("[data-unread-count]")).to_have_text("1")
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("Lily followed you")
    outside_event_loop(
        notification_send, user_id=member.pk, type="follow", title="Bob followed you"
    )
    expect(page.get_by_test_id("inbox").locator("li").first).to_contain_text("Bob followed you")
    expect(page.locator("[data-unread-count]")).to_have_text("2")
