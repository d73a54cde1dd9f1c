"""Moderators act from a live page (issue #12): ``POST /api/v1/moderation/act/`` removes a live
comment or mutes its author in one step, through the same queue item, decision, strike,
notifications and audit log as the console, and the comment leaves open viewers' pages."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from chat.models import LiveComment
from chat.services.live import live_comment_post, livestream_create, livestream_start
from community.exceptions import AlreadyClaimedError
from community.models import (
    AuditEntry,
    Decision,
    ModerationItem,
    Notification,
    Report,
    Sanction,
    Strike,
)
from community.services.moderation import decisions
from community.services.moderation.decisions import content_act, item_claim
from community.services.moderation.reports import report_create
from tests.backends import needs_postgres
from tests.chat.conftest import client_for, grant, member

pytestmark = pytest.mark.django_db

ACT = "/api/v1/moderation/act/"


@pytest.fixture
def live(host):
    stream = livestream_create(
        actor=host,
        title="茶叶直播",
        starts_at=timezone.now() + timedelta(minutes=5),
        stream_url="https://media.example.com/live/tea.m3u8",
    )
    return livestream_start(actor=host, stream=stream)


@pytest.fixture
def spam(live, alice) -> LiveComment:
    comment, _ = live_comment_post(
        actor=alice, stream=live, body="加我微信领红包", client_msg_id="s"
    )
    return comment


def _visible_bodies(viewer, stream) -> list[str]:
    response = client_for(viewer).get(f"/api/v1/livestreams/{stream.pk}/comments/")
    assert response.status_code == 200
    return [c["body"] for c in response.json()["results"]]


def _act(user, **body):
    client = client_for(user) if user is not None else APIClient()
    return client.post(ACT, body, format="json")


def test_a_moderator_removes_a_live_comment_and_viewers_sockets_drop_it(
    alice, bob, live, spam, moderator, pushed, django_capture_on_commit_callbacks
):
    live_comment_post(actor=bob, stream=live, body="茶不错", client_msg_id="n")

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            moderator,
            target_type="live_comment",
            target_id=spam.pk,
            action="remove",
            reason="引流广告",
            category="spam",
        )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["hidden"]) == ("resolved", True)
    assert _visible_bodies(bob, live) == ["茶不错"]
    assert [(kind, data) for topic, kind, data, _ in pushed if topic.startswith("live.")] == [
        ("live.comment.deleted", {"stream": live.pk, "seq": spam.seq})
    ]
    decision = Decision.objects.get()
    assert (decision.action, decision.reason, decision.moderator, decision.category) == (
        "remove",
        "引流广告",
        moderator,
        "spam",
    )
    assert Strike.objects.filter(user=alice, decision=decision).exists()
    item = ModerationItem.objects.get(target_type="live_comment", target_id=spam.pk)
    assert list(item.audit.order_by("pk").values_list("verb", flat=True)) == [
        "claimed",
        "decided",
    ]
    told = Notification.objects.get(user=alice, type="moderation_outcome")
    assert (told.data["action"], told.data["reason"]) == ("remove", "引流广告")
    # The public log names the category the moderator picked.
    log = client_for(bob).get("/api/v1/moderation/log/").json()["results"]
    assert [(e["action"], e["target_type"], e["category"]) for e in log] == [
        ("remove", "live_comment", "spam")
    ]


def test_a_one_hour_mute_from_the_live_page_silences_the_author_for_an_hour(
    alice, live, spam, moderator
):
    response = _act(
        moderator,
        target_type="live_comment",
        target_id=spam.pk,
        action="mute",
        reason="刷屏",
        duration_hours=1,
    )

    assert response.status_code == 200, response.json()
    sanction = Sanction.objects.get(user=alice)
    assert sanction.kind == "mute"
    assert timedelta(minutes=59) < sanction.ends_at - timezone.now() <= timedelta(hours=1)
    again = client_for(alice).post(
        f"/api/v1/livestreams/{live.pk}/comments/",
        {"body": "我又来了", "client_msg_id": "again"},
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (403, "sanctioned")
    assert LiveComment.objects.filter(user=alice).count() == 1


def test_acting_on_reported_content_decides_its_open_item_and_tells_the_reporters(
    alice, bob, carol, spam, moderator
):
    for reporter in (bob, carol):
        report_create(
            reporter=reporter, target_type="live_comment", target_id=spam.pk, category="scam"
        )

    item = content_act(
        moderator=moderator,
        target_type="live_comment",
        target_id=spam.pk,
        action="remove",
        reason="诈骗引流",
    )

    assert ModerationItem.objects.filter(target_type="live_comment").count() == 1
    assert item.reports_count == 2 and item.status == "resolved"
    assert set(Report.objects.values_list("status", flat=True)) == {"agreed"}
    told = Notification.objects.filter(type="moderation_outcome")
    assert sorted(told.values_list("user__username", flat=True)) == ["alice", "bob", "carol"]
    assert Decision.objects.get().category == "scam"


def test_an_item_another_moderator_holds_answers_409_and_nothing_changes(
    bob, spam, moderator, pushed
):
    report_create(reporter=bob, target_type="live_comment", target_id=spam.pk, category="spam")
    item = ModerationItem.objects.get(target_type="live_comment", target_id=spam.pk)
    other = grant(member(username="mod_li"), "moderator")
    item_claim(moderator=other, item_id=item.pk)

    response = _act(
        moderator, target_type="live_comment", target_id=spam.pk, action="remove", reason="广告"
    )

    assert (response.status_code, response.json()["code"]) == (409, "already_claimed")
    item.refresh_from_db()
    assert (item.status, item.claimed_by) == ("claimed", other)
    assert not Decision.objects.exists()
    spam.refresh_from_db()
    assert spam.hidden_at is None
    with pytest.raises(AlreadyClaimedError):
        content_act(
            moderator=moderator,
            target_type="live_comment",
            target_id=spam.pk,
            action="mute",
            reason="广告",
        )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"action": "approve", "reason": "ok"}, "bad_action"),
        ({"action": "explode", "reason": "boom"}, "bad_action"),
        ({"action": "remove", "reason": "  "}, "reason_required"),
        ({"action": "mute", "reason": "刷屏", "duration_hours": 0}, "validation_error"),
        ({"action": "remove", "reason": "x", "target_type": "planet"}, "bad_target"),
        ({"action": "remove", "reason": "x", "target_id": 999_999}, "bad_target"),
    ],
)
def test_bad_input_is_a_400_and_nothing_is_hidden(spam, moderator, body, code):
    payload = {"target_type": "live_comment", "target_id": spam.pk, **body}

    response = _act(moderator, **payload)

    assert (response.status_code, response.json()["code"]) == (400, code)
    spam.refresh_from_db()
    assert spam.hidden_at is None
    assert not ModerationItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_members_hosts_and_anonymous_callers_cannot_act(alice, bob, host, spam):
    payload = {
        "target_type": "live_comment",
        "target_id": spam.pk,
        "action": "remove",
        "reason": "我不喜欢",
    }

    member_try = _act(bob, **payload)
    host_try = _act(host, **payload)  # the host deletes in their own stream, not through moderation
    anonymous = _act(None, **payload)

    assert (member_try.status_code, member_try.json()["code"]) == (403, "forbidden")
    assert (host_try.status_code, host_try.json()["code"]) == (403, "forbidden")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    spam.refresh_from_db()
    assert spam.hidden_at is None
    assert not ModerationItem.objects.exists()


def test_staff_act_too_but_never_on_their_own_comment(live, staffer, alice, spam):
    own, _ = live_comment_post(actor=staffer, stream=live, body="欢迎", client_msg_id="w")

    on_own = _act(
        staffer, target_type="live_comment", target_id=own.pk, action="remove", reason="x"
    )
    on_alice = _act(
        staffer, target_type="live_comment", target_id=spam.pk, action="warn", reason="注意言辞"
    )

    assert (on_own.status_code, on_own.json()["code"]) == (400, "bad_target")
    assert on_alice.status_code == 200
    spam.refresh_from_db()
    assert spam.hidden_at is None  # a warning keeps the comment
    assert Notification.objects.get(user=alice, type="moderation_outcome").data["action"] == "warn"


# --- two moderators tap the same comment at once ---------------------------------------------


def _both_act_at_once(monkeypatch, spam, moderators) -> list[str]:
    """Both moderators pass the first look before either takes the item's lock."""
    barrier = threading.Barrier(len(moderators))
    real_open = decisions.item_open_for

    def open_together(**kwargs):
        barrier.wait(timeout=10)
        return real_open(**kwargs)

    monkeypatch.setattr(decisions, "item_open_for", open_together)
    outcomes: list[str] = []

    def act(moderator):
        try:
            content_act(
                moderator=moderator,
                target_type="live_comment",
                target_id=spam.pk,
                action="mute",
                reason="刷屏",
            )
            outcomes.append("decided")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_moderators_acting_at_once_make_one_decision(monkeypatch, host):
    author = member(username="troll")
    stream = livestream_start(
        actor=host,
        stream=livestream_create(
            actor=host,
            title="并发",
            starts_at=timezone.now() + timedelta(minutes=5),
            stream_url="https://media.example.com/live/x.m3u8",
        ),
    )
    spam, _ = live_comment_post(actor=author, stream=stream, body="刷屏", client_msg_id="s")
    moderators = [grant(member(username=f"mod_{i}"), "moderator") for i in range(2)]

    outcomes = _both_act_at_once(monkeypatch, spam, moderators)

    assert outcomes == ["already_resolved", "decided"]
    assert Decision.objects.count() == 1
    assert Strike.objects.filter(user=author).count() == 1
    assert Sanction.objects.filter(user=author).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_naive_control_without_the_second_look_decides_twice(monkeypatch, host):
    author = member(username="troll")
    stream = livestream_start(
        actor=host,
        stream=livestream_create(
            actor=host,
            title="并发",
            starts_at=timezone.now() + timedelta(minutes=5),
            stream_url="https://media.example.com/live/x.m3u8",
        ),
    )
    spam, _ = live_comment_post(actor=author, stream=stream, body="刷屏", client_msg_id="s")
    moderators = [grant(member(username=f"mod_{i}"), "moderator") for i in range(2)]
    monkeypatch.setattr(decisions, "_acted_since", lambda *args: False)

    outcomes = _both_act_at_once(monkeypatch, spam, moderators)

    # Each moderator's item is a fresh one: the first is resolved before the second exists.
    assert outcomes == ["decided", "decided"]
    assert Strike.objects.filter(user=author).count() == 2
