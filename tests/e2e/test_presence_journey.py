"""Alice sees whether Bob, a contact she has a direct room with, is online; nobody else is shown."""

import pytest
from playwright.sync_api import expect

from chat.services import room_direct_get_or_create
from tests.e2e.test_chat_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_contacts_presence_shows_while_they_are_connected(page, browser, live_url):
    alice = UserFactory(username="alice", display_name="Alice")
    bob = UserFactory(username="bob", display_name="Bob")
    room, _ = room_direct_get_or_create(actor=alice, other=bob)

    log_in(page, "alice")
    page.goto("/chat/")
    expect(page.get_by_test_id(f"presence-{bob.pk}")).to_be_hidden()

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    bob_page = context.new_page()
    log_in(bob_page, "bob")
    expect(bob_page.locator("[data-realtime-state=open]")).to_have_count(1)

    page.reload()
    expect(page.get_by_test_id(f"presence-{bob.pk}")).to_be_visible()
    page.goto(f"/chat/{room.pk}/")
    expect(page.get_by_test_id("peer-status")).to_have_text("· online")

    context.close()  # Bob's only socket goes away
    page.goto("/chat/")
    page.wait_for_timeout(500)
    page.reload()
    expect(page.get_by_test_id(f"presence-{bob.pk}")).to_be_hidden()
