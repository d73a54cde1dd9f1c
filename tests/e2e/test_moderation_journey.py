"""Mei reports Lily's note from its page; a moderator removes it from the console; Lily reads why on
我的处理记录 and appeals; the appeal reaches the console live, the moderator grants it, and the
note is back for everyone."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from community.models import Appeal, Decision, ModerationItem, Report, Role
from community.services import role_grant
from community.services.moderation.decisions import item_claim
from community.services.moderation.reports import report_create
from tests.e2e.conftest import outside_event_loop
from tests.factories import PASSWORD, UserFactory
from tests.feeds.conftest import make_post

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def new_page(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _setup():
    lily = UserFactory(username="lily", display_name="Lily 美食家")
    UserFactory(username="mei")
    UserFactory(username="onlooker")
    moderator = UserFactory(username="mod_wang")
    role_grant(actor=None, user=moderator, role=Role.MODERATOR)
    return make_post(lily, title="加微信领优惠券", body="私聊我，低价代购名表")


def _two_more_reports(note_id: int) -> None:
    for name in ("r1", "r2"):
        report_create(
            reporter=UserFactory(username=name),
            target_type="post",
            target_id=note_id,
            category="scam",
        )


def _claimed_by_another_moderator() -> None:
    """A profile report arrives while the console is open, and another moderator takes it."""
    other = UserFactory(username="mod_li")
    role_grant(actor=None, user=other, role=Role.MODERATOR)
    noisy = UserFactory(username="noisy", display_name="刷屏的人", bio="天天发广告")
    report_create(reporter=UserFactory(), target_type="user", target_id=noisy.pk, category="abuse")
    item = ModerationItem.objects.get(target_type="user", target_id=noisy.pk)
    item_claim(moderator=other, item_id=item.pk)


def test_report_remove_appeal_and_restore(page, browser, live_url, relay_to):
    note = outside_event_loop(_setup)

    # Mei reports the note from its page, through the bottom sheet.
    log_in(page, "mei")
    page.goto(f"/posts/{note.pk}/")
    page.get_by_test_id("report-post").click()
    sheet = page.get_by_test_id("report-sheet")
    expect(sheet).to_be_visible()
    sheet.get_by_text("垃圾广告").click()
    page.get_by_test_id("report-note").fill("引流到微信")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-done")).to_be_visible()
    expect(page.get_by_test_id("report-done")).to_contain_text("举报已提交")
    page.get_by_test_id("report-done").get_by_role("button").click()
    expect(sheet).to_be_hidden()
    expect(page.get_by_test_id("report-post")).to_have_text("已举报")
    report = Report.objects.get(target_type="post", target_id=note.pk)
    assert (report.category, report.note) == ("spam", "引流到微信")

    # Reporting again says so instead of failing quietly.
    page.reload()
    page.get_by_test_id("report-post").click()
    sheet.get_by_text("诈骗").click()
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("已经举报过")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()

    # Two more members report it: at the threshold it is hidden until reviewed.
    outside_event_loop(_two_more_reports, note.pk)
    item = ModerationItem.objects.get(target_type="post", target_id=note.pk)
    assert item.hidden is True

    # The moderator opens it from the console and removes it with a reason, by keyboard.
    mod_context, mod = new_page(browser, live_url)
    lily_context, lily_page = new_page(browser, live_url)
    try:
        log_in(mod, "mod_wang")
        mod.goto("/moderation/")
        row = mod.get_by_test_id("queue-item").filter(has_text="加微信领优惠券")
        expect(row).to_have_count(1)
        expect(row.get_by_test_id("hidden-badge")).to_be_visible()
        outside_event_loop(_claimed_by_another_moderator)
        claimed = mod.get_by_test_id("queue-item").filter(has_text="刷屏的人")
        expect(claimed.get_by_test_id("claimed-by")).to_have_text("@mod_li 处理中")
        row.click()
        pane = mod.get_by_test_id("item-pane")
        expect(pane.get_by_test_id("item-content")).to_contain_text("低价代购名表")
        expect(pane.get_by_test_id("item-reports")).to_contain_text("引流到微信")
        expect(pane.get_by_test_id("suggested-action")).to_contain_text("警告")
        mod.keyboard.press("c")
        expect(pane).to_contain_text("你已认领")
        pane.get_by_test_id("decide-reason").fill("引流广告，违反社区规范")
        mod.keyboard.press("Escape")  # leave the reason field, then the shortcut acts
        mod.keyboard.press("r")
        expect(mod.get_by_test_id("mod-flash")).to_contain_text("已删除")
        expect(row).to_have_count(0)
        decision = Decision.objects.get(item=item)
        assert (decision.action, decision.reason) == ("remove", "引流广告，违反社区规范")
        assert Client().get(f"/posts/{note.pk}/").status_code == 404  # gone for everyone else

        # Lily reads the notice from her inbox and appeals once.
        log_in(lily_page, "lily")
        lily_page.goto("/notifications/")
        lily_page.get_by_test_id("moderation-outcome").first.click()
        lily_page.wait_for_url("**/me/moderation/")
        entry = lily_page.get_by_test_id("decision").first
        expect(entry.get_by_test_id("decision-action")).to_have_text("删除")
        expect(entry.get_by_test_id("decision-reason")).to_have_text("引流广告，违反社区规范")
        expect(entry).to_contain_text("加微信领优惠券")
        entry.get_by_text("我要申诉").click()
        entry.get_by_test_id("appeal-body").fill("只是分享优惠信息，没有引流")
        entry.get_by_test_id("appeal-submit").click()
        expect(entry.get_by_test_id("appeal-status")).to_have_text("申诉审核中")
        assert Appeal.objects.get(decision=decision).body == "只是分享优惠信息，没有引流"

        # The console moved on to the next item; back to the list, where the appeal arrives live.
        expect(pane).to_contain_text("@mod_li 正在处理这条内容")
        pane.get_by_role("button", name="返回队列").click()
        appeal_row = mod.get_by_test_id("queue-item").filter(has_text="申诉")
        expect(appeal_row).to_have_count(1)
        appeal_row.click()
        expect(pane.get_by_test_id("appeal-body")).to_have_text("只是分享优惠信息，没有引流")
        pane.get_by_test_id("decide-approve").click()
        expect(mod.get_by_test_id("mod-flash")).to_contain_text("已接受申诉")

        lily_page.reload()
        expect(
            lily_page.get_by_test_id("decision").first.get_by_test_id("appeal-status")
        ).to_have_text("申诉已通过")
    finally:
        mod_context.close()
        lily_context.close()

    # A third member sees the note again.
    other_context, other = new_page(browser, live_url)
    try:
        log_in(other, "onlooker")
        other.goto(f"/posts/{note.pk}/")
        expect(other.get_by_test_id("post-title")).to_have_text("加微信领优惠券")
    finally:
        other_context.close()
    decision.refresh_from_db()
    assert decision.reversed_at is not None
