"""A moderator watching a livestream taps a spam comment, picks a reason and removes it in one tap:
a viewer's open page loses it at once. When the author's appeal is granted, the comment comes
back on the viewer's page in its old place, not at the bottom."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chat.models import LiveComment
from chat.services.live import live_comment_post, livestream_create, livestream_start
from community.models import Decision, ModerationItem, Role
from community.services import role_grant
from community.services.moderation.decisions import appeal_create, item_decide
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_moderation_journey import log_in, new_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    host = UserFactory(username="host_lily", display_name="Lily 茶室")
    role_grant(actor=None, user=host, role=Role.CREATOR)
    moderator = UserFactory(username="mod_wang")
    role_grant(actor=None, user=moderator, role=Role.MODERATOR)
    UserFactory(username="vivian", display_name="Vivian")
    UserFactory(username="troll", display_name="刷屏哥")
    stream = livestream_create(
        actor=host,
        title="龙井开箱",
        starts_at=timezone.now() + timedelta(minutes=1),
        stream_url="https://media.example.com/tea.m3u8",
    )
    return livestream_start(actor=host, stream=stream)


def _comment(stream, username: str, body: str, cid: str) -> None:
    from community.models import User

    live_comment_post(
        actor=User.objects.get(username=username), stream=stream, body=body, client_msg_id=cid
    )


def _appeal_granted() -> None:
    decision = Decision.objects.get(target_type="live_comment")
    appeal = appeal_create(author=decision.subject, decision_id=decision.pk, body="只是打个招呼")
    item = ModerationItem.objects.get(pk=appeal.item_id)
    item_decide(
        moderator=decision.moderator,
        item_id=item.pk,
        action="approve",
        reason="误删，已恢复",
        version=item.version,
    )


def test_a_moderator_removes_a_live_comment_and_a_viewer_loses_it_live(
    page, browser, live_url, relay_to
):
    stream = outside_event_loop(_setup)

    log_in(page, "vivian")
    page.goto(f"/live/{stream.pk}/")
    expect(page.locator("[data-realtime-state=open]")).to_have_count(1)
    mod_context, mod = new_page(browser, live_url)
    try:
        log_in(mod, "mod_wang")
        mod.goto(f"/live/{stream.pk}/")
        expect(mod.locator("[data-realtime-state=open]")).to_have_count(1)

        outside_event_loop(_comment, stream, "vivian", "主播好！", "a")
        outside_event_loop(_comment, stream, "troll", "加微信领红包 vx123", "b")
        outside_event_loop(_comment, stream, "vivian", "这个茶多少钱", "c")
        comments = page.get_by_test_id("live-comment")
        expect(comments).to_have_count(3)
        spam = mod.get_by_test_id("live-comment").filter(has_text="加微信领红包")
        expect(spam).to_have_count(1)

        # A tap on the comment opens the sheet; an action without a reason is refused.
        spam.click()
        sheet = mod.get_by_test_id("mod-sheet")
        expect(sheet).to_be_visible()
        expect(sheet.get_by_test_id("mod-quote")).to_contain_text("刷屏哥：加微信领红包 vx123")
        sheet.get_by_test_id("mod-remove").click()
        expect(sheet.get_by_test_id("mod-error")).to_have_text("请先选择或填写处理原因。")
        assert not outside_event_loop(Decision.objects.exists)

        sheet.get_by_text("诈骗引流").click()
        expect(sheet.get_by_test_id("mod-reason")).to_have_value("诈骗引流，违反直播间规范")
        expect(sheet.get_by_test_id("mod-error")).to_have_text("")
        mod.screenshot(path="/tmp/tj-hmod-live-sheet.png")
        sheet.get_by_test_id("mod-remove").click()
        expect(sheet).to_be_hidden()
        expect(mod.get_by_test_id("mod-toast")).to_have_text("评论已删除")
        expect(spam).to_have_count(0)

        # The viewer's page drops it without a reload; the others stay in order.
        expect(comments).to_have_count(2)
        expect(comments.nth(0)).to_contain_text("主播好！")
        expect(comments.nth(1)).to_contain_text("这个茶多少钱")
        decision = outside_event_loop(Decision.objects.get)
        assert (decision.action, decision.reason, decision.category) == (
            "remove",
            "诈骗引流，违反直播间规范",
            "scam",
        )
        assert outside_event_loop(
            lambda: LiveComment.objects.get(body__startswith="加微信").hidden_at is not None
        )

        # The appeal is granted: the comment is back where it was on the viewer's open page.
        outside_event_loop(_appeal_granted)
        expect(comments).to_have_count(3)
        expect(comments.nth(1)).to_contain_text("加微信领红包 vx123")
        expect(comments.nth(2)).to_contain_text("这个茶多少钱")
    finally:
        mod_context.close()
