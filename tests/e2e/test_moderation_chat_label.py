"""Alice's message in a group chat is reported until hidden: on her open page it keeps its text
and says, in Chinese, that nobody else sees it while it waits for review; Bob's page loses it.
After a reload she still reads it with the same note."""

import pytest
from playwright.sync_api import expect

from chat.models import Message
from chat.services import room_group_create
from community.models import User
from community.services.moderation.reports import report_create
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_moderation_journey import log_in, new_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "已被隐藏，其他人看不到，等待审核"


def _setup() -> int:
    alice = UserFactory(username="alice", display_name="Alice 王")
    others = [UserFactory(username=name) for name in ("bob", "carol", "dave")]
    return room_group_create(actor=alice, title="周末徒步", members=others).pk


def _reported_by_three(body: str) -> None:
    message = Message.objects.get(body=body)
    for name in ("bob", "carol", "dave"):
        report_create(
            reporter=User.objects.get(username=name),
            target_type="message",
            target_id=message.pk,
            category="spam",
        )


def test_the_sender_sees_her_hidden_message_marked_and_the_others_lose_it(
    page, browser, live_url, relay_to
):
    room_id = outside_event_loop(_setup)

    log_in(page, "alice")
    page.goto(f"/chat/{room_id}/")
    expect(page.locator("[data-realtime-state=open]")).to_have_count(1)
    bob_context, bob = new_page(browser, live_url)
    try:
        log_in(bob, "bob")
        bob.goto(f"/chat/{room_id}/")
        expect(bob.locator("[data-realtime-state=open]")).to_have_count(1)

        page.get_by_test_id("composer").fill("低价名表，加我微信")
        page.get_by_test_id("send").click()
        expect(bob.get_by_test_id("messages")).to_contain_text("低价名表，加我微信")
        mine = page.get_by_test_id("message").filter(has_text="低价名表")
        expect(mine.get_by_test_id("message-hidden-note")).to_have_count(0)

        outside_event_loop(_reported_by_three, "低价名表，加我微信")

        expect(mine.get_by_test_id("message-hidden-note")).to_have_text(NOTE)
        expect(mine).to_contain_text("低价名表，加我微信")
        expect(bob.get_by_test_id("messages")).not_to_contain_text("低价名表")
        page.screenshot(path="/tmp/tj-hmod-chat-hidden.png")

        page.reload()
        again = page.get_by_test_id("message").filter(has_text="低价名表")
        expect(again.get_by_test_id("message-hidden-note")).to_have_text(NOTE)
    finally:
        bob_context.close()
