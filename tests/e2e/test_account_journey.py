"""A visitor registers, sees the live socket connect, receives a push, logs out and back in."""

import pytest
from playwright.sync_api import expect

from community.models import User
from realtime.publish import send_to_user_on_commit
from tests.e2e.conftest import outside_event_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-42"


def test_register_connect_receive_logout_login(page, relay_to):
    page.goto("/register/")
    page.fill("input[name=username]", "lanlan")
    page.fill("input[name=display_name]", "兰兰")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    expect(page.get_by_test_id("whoami")).to_have_text("兰兰")
    expect(page.locator(".conn")).to_have_attribute("data-realtime-state", "open")

    member = User.objects.get(username="lanlan")
    outside_event_loop(
        send_to_user_on_commit,
        member.id,
        "community.notification.created",
        {"title": "欢迎加入团聚"},
        seq=1,
    )
    expect(page.get_by_test_id("live-events")).to_contain_text("欢迎加入团聚")

    page.click("[data-action=logout]")
    page.wait_for_url("**/login/")
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    page.fill("input[name=username]", "lanlan")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    expect(page.locator("[data-form-error]")).to_have_text("Username or password is wrong.")

    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_have_text("兰兰")
    expect(page.locator(".conn")).to_have_attribute("data-realtime-state", "open")


def test_register_form_shows_taken_username(page, live_url):
    User.objects.create_user(username="taken", password=PASSWORD)

    page.goto("/register/")
    page.fill("input[name=username]", "TAKEN")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    expect(page.locator("[data-form-error]")).to_have_text("That username is already taken.")
    assert User.objects.count() == 1
