"""Alice opens a chat with Bob; Bob sees her messages arrive live, on the list and in the room."""

import re

import pytest
from playwright.sync_api import expect

from chat.models import Message, Room
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def send(page, text):
    page.get_by_test_id("composer").fill(text)
    page.get_by_test_id("send").click()


def test_direct_chat_live_with_unread_badge(page, browser, live_url):
    UserFactory(username="alice", display_name="Alice 王")
    UserFactory(username="bob", display_name="Bob 李")

    log_in(page, "alice")
    page.goto("/chat/new/?user=bob")
    page.wait_for_url(re.compile(r".*/chat/\d+/$"))
    room_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_test_id("room-title")).to_have_text("Bob 李")

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        bob_page = context.new_page()
        log_in(bob_page, "bob")
        bob_page.goto("/chat/")
        row = bob_page.get_by_test_id(f"room-{room_id}")
        expect(row).to_be_visible()
        badge = row.get_by_test_id("unread-badge")
        expect(badge).to_be_hidden()
        expect(bob_page.locator("[data-realtime-state=open]")).to_have_count(1)

        send(page, "你好 Bob, coffee on Sunday?")
        expect(page.get_by_test_id("message")).to_have_count(1)
        expect(page.get_by_test_id("message")).not_to_have_class(re.compile("pending"))

        expect(badge).to_have_text("1")
        expect(row).to_contain_text("coffee on Sunday?")

        row.click()
        bob_page.wait_for_url(re.compile(rf".*/chat/{room_id}/$"))
        expect(bob_page.get_by_test_id("message")).to_have_count(1)
        expect(bob_page.get_by_test_id("messages")).to_contain_text("coffee on Sunday?")
        expect(bob_page.locator("[data-realtime-state=open]")).to_have_count(1)

        send(page, "Bring the gels")
        expect(bob_page.get_by_test_id("message")).to_have_count(2)
        expect(bob_page.get_by_test_id("message").nth(1)).to_contain_text("Bring the gels")

        # The open conversation marks what Bob has seen as read.
        expect(bob_page.locator("[data-chat-room]")).to_have_attribute("data-last-read", "2")
        bob_page.goto("/chat/")
        expect(
            bob_page.get_by_test_id(f"room-{room_id}").get_by_test_id("unread-badge")
        ).to_be_hidden()
    finally:
        context.close()

    assert Room.objects.filter(kind="direct").count() == 1
    assert list(Message.objects.order_by("seq").values_list("seq", "sender__username")) == [
        (1, "alice"),
        (2, "alice"),
    ]


def test_typing_indicator_and_read_receipt_between_two_people(page, browser, live_url):
    UserFactory(username="alice", display_name="Alice 王")
    UserFactory(username="bob", display_name="Bob 李")

    log_in(page, "alice")
    page.goto("/chat/new/?user=bob")
    page.wait_for_url(re.compile(r".*/chat/\d+/$"))
    room_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.locator("[data-realtime-state=open]")).to_have_count(1)

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        bob_page = context.new_page()
        log_in(bob_page, "bob")
        bob_page.goto(f"/chat/{room_id}/")
        expect(bob_page.locator("[data-realtime-state=open]")).to_have_count(1)

        bob_page.get_by_test_id("composer").press_sequentially("typing…", delay=30)
        expect(page.get_by_test_id("typing")).to_have_text("Bob 李 is typing…")

        send(page, "Seen this?")
        expect(bob_page.get_by_test_id("message")).to_have_count(1)
        # Bob's open room marks it read; Alice's copy of her message says so.
        expect(page.get_by_test_id("message").first).to_contain_text("read")
    finally:
        context.close()
