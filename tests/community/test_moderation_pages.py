"""Moderation pages: the moderators' console, 我的处理记录 with its appeal form, the public log, the
report sheet on every page, and the links to them (PRODUCT.md §15)."""

import pytest

from community.models import Decision, ModerationItem, Role
from community.services import role_grant
from community.services.moderation.decisions import appeal_create, item_decide
from community.services.moderation.reports import report_create
from community.services.notifications import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(username="loud", display_name="买买买 加微信", bio="cheap watches")


def _removed(author, moderator, reason="引流广告") -> Decision:
    report_create(reporter=UserFactory(), target_type="user", target_id=author.pk, category="spam")
    item = ModerationItem.objects.get(target_type="user", target_id=author.pk, status="pending")
    item_decide(
        moderator=moderator, item_id=item.pk, action="remove", reason=reason, version=item.version
    )
    return Decision.objects.get(item=item)


# --- the console ------------------------------------------------------------------------------


def test_the_console_is_for_moderators_and_staff(client, moderator):
    staff = UserFactory()
    role_grant(actor=None, user=staff, role=Role.STAFF)

    for who in (moderator, staff):
        client.force_login(who)
        response = client.get("/moderation/")
        html = response.content.decode()

        assert response.status_code == 200
        assert "审核后台" in html and 'data-mod-console data-me="' + who.username in html
        assert "tuanju/moderation.js" in html and 'id="moderation-labels"' in html
        assert 'data-testid="filter-type"' in html and 'data-testid="tab-words"' in html


def test_the_console_refuses_members_and_sends_visitors_to_log_in(client):
    anonymous = client.get("/moderation/")
    client.force_login(UserFactory())
    member = client.get("/moderation/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/?next=/moderation/")
    assert member.status_code == 403


# --- 我的处理记录 -------------------------------------------------------------------------------


def test_my_moderation_needs_login(client):
    response = client.get("/me/moderation/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/me/moderation/")


def test_my_moderation_lists_decisions_with_an_appeal_form_then_the_appeal_status(
    client, author, moderator
):
    decision = _removed(author, moderator)
    client.force_login(author)

    html = client.get("/me/moderation/").content.decode()

    assert 'data-testid="decision"' in html and "删除" in html and "引流广告" in html
    assert f'data-appeal-form="{decision.pk}"' in html
    assert "你的账号" in html

    appeal_create(author=author, decision_id=decision.pk, body="我没有发广告")
    html = client.get("/me/moderation/").content.decode()

    assert "data-appeal-form" not in html
    assert "申诉审核中" in html and "我没有发广告" in html


def test_my_moderation_shows_only_my_own_decisions(client, author, moderator):
    _removed(author, moderator, reason="secret reason")
    client.force_login(UserFactory())

    html = client.get("/me/moderation/").content.decode()

    assert "secret reason" not in html
    assert "暂无处理记录" in html


# --- the public log -----------------------------------------------------------------------------


def test_the_log_is_public_and_names_nobody(client, author, moderator):
    _removed(author, moderator, reason="引流广告")

    response = client.get("/moderation/log/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-testid="log-entry"' in html and "引流广告" in html and "垃圾广告" in html
    assert author.username not in html and moderator.username not in html
    assert 'data-testid="log-more" hidden' in html  # one page only
    assert '/moderation/"' not in html  # no console link for visitors


# --- report entries and links -------------------------------------------------------------------


def test_the_report_sheet_is_on_pages_for_members_and_profiles_offer_it(client, author):
    visitor_html = client.get(f"/u/{author.username}/").content.decode()
    client.force_login(UserFactory())
    member_html = client.get(f"/u/{author.username}/").content.decode()

    assert "data-report-sheet" not in visitor_html
    assert "tuanju/report.js" in visitor_html  # a visitor's 举报 leads to the login page
    assert 'data-testid="report-sheet"' in member_html
    assert f'data-report="user" data-report-id="{author.pk}"' in member_html
    for label in ("垃圾广告", "诈骗", "辱骂骚扰", "色情低俗", "违法违规", "侵权", "其他"):
        assert label in member_html


def test_the_me_page_links_to_my_moderation_the_log_and_for_moderators_the_console(
    client, moderator
):
    client.force_login(UserFactory())
    member_html = client.get("/me/").content.decode()
    client.force_login(moderator)
    moderator_html = client.get("/me/").content.decode()

    assert 'href="/me/moderation/"' in member_html and 'href="/moderation/log/"' in member_html
    assert 'href="/moderation/"' not in member_html
    assert 'href="/moderation/"' in moderator_html


def test_a_moderation_outcome_in_the_inbox_opens_my_moderation(client, author):
    notification_send(
        user_id=author.pk,
        type="moderation_outcome",
        title="你的内容因违反社区规范已被移除",
        body="引流广告",
        data={"decision_id": 1, "action": "remove", "appealable": True},
    )
    client.force_login(author)

    html = client.get("/notifications/").content.decode()

    assert 'data-testid="moderation-outcome" href="/me/moderation/"' in html
