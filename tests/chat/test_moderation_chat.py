"""Moderation of chat (issue #12): messages and live comments as moderatable content.

Reports hide a message from everyone but its sender (history, search, room list, replay) and push
its removal to open sockets; a moderator reads a private message only through the item it is on,
with the messages around it, never by browsing Django admin. Watched words and sanctions apply at
every submit point: REST send and edit, the socket's chat.send, live comments over REST and the
socket's live.comment."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone

from chat.models import LiveComment, Message, Room
from chat.services import message_delete, message_send, room_group_create
from chat.services.live import (
    collect_comments,
    live_comment_post,
    livestream_create,
    livestream_start,
)
from community.models import ModerationItem, Notification
from community.services.moderation.decisions import item_decide
from community.services.moderation.reports import report_create
from community.services.moderation.words import watched_word_add
from tests.chat.conftest import client_for, grant, member
from tests.factories import token_for
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"


def _messages_url(room) -> str:
    return f"/api/v1/rooms/{room.pk}/messages/"


def _report(reporter, target_type: str, target_id: int, category: str = "spam"):
    return client_for(reporter).post(
        REPORTS,
        {"target_type": target_type, "target_id": target_id, "category": category},
        format="json",
    )


def _item(target_type: str, target_id: int) -> ModerationItem:
    return ModerationItem.objects.get(target_type=target_type, target_id=target_id)


def _decide(moderator, item: ModerationItem, action: str, reason: str = "Spam"):
    item.refresh_from_db()
    return client_for(moderator).post(
        f"/api/v1/moderation/items/{item.pk}/decide/",
        {"action": action, "reason": reason, "version": item.version},
        format="json",
    )


def _history(viewer, room, **params) -> list[dict]:
    response = client_for(viewer).get(_messages_url(room), params)
    assert response.status_code == 200
    return response.json()["results"]


def _send(user, room, body: str, cid: str):
    return client_for(user).post(
        _messages_url(room), {"body": body, "client_msg_id": cid}, format="json"
    )


@pytest.fixture
def dave(db):
    return member(username="dave")


@pytest.fixture
def crew(alice, bob, carol, dave) -> Room:
    """Alice's group room with Bob, Carol and Dave: three possible reporters of Alice."""
    return room_group_create(actor=alice, title="Crew", members=[bob, carol, dave])


@pytest.fixture
def words(moderator):
    def add(word: str, action: str) -> None:
        watched_word_add(actor=moderator, word=word, action=action)

    return add


def _hidden_by_reports(target_type: str, target_id: int, reporters) -> None:
    """Three members report it: a score of 3.0 from more than one reporter hides it."""
    for reporter in reporters:
        assert _report(reporter, target_type, target_id).status_code == 201


# --- reports hide a message from everyone but its sender ----------------------------------------


def test_reports_hide_a_message_from_history_and_search_but_not_from_its_sender(
    alice, bob, carol, dave, crew, pushed, django_capture_on_commit_callbacks
):
    spam, _ = message_send(actor=alice, room=crew, body="cheap watches here", client_msg_id="s")
    message_send(actor=bob, room=crew, body="hello all", client_msg_id="h")
    message_send(actor=alice, room=crew, body="cheap tea tonight", client_msg_id="k")

    with django_capture_on_commit_callbacks(execute=True):
        _hidden_by_reports("message", spam.pk, [bob, carol, dave])

    assert _item("message", spam.pk).hidden is True
    assert [m["body"] for m in _history(carol, crew)] == ["hello all", "cheap tea tonight"]
    assert [m["body"] for m in _history(carol, crew, q="cheap")] == ["cheap tea tonight"]
    own = _history(alice, crew)
    assert [(m["body"], m["hidden"]) for m in own] == [
        ("cheap watches here", True),
        ("hello all", False),
        ("cheap tea tonight", False),
    ]
    # Open sockets drop it with the delete event they already handle; no content leaves.
    removal = [(kind, data) for _, kind, data, _ in pushed if kind == "chat.message.deleted"]
    assert [(d["seq"], d["deleted"], d["hidden"], d["body"]) for _, d in removal] == [
        (spam.seq, True, True, "")
    ]
    # Hidden from the others: it answers 404 to them.
    url = f"{_messages_url(crew)}{spam.pk}/reactions/"
    assert client_for(carol).post(url, {"emoji": "👍"}, format="json").status_code == 404
    assert not spam.reactions.exists()


def test_a_hidden_last_message_leaves_the_room_list_preview_for_the_others(
    alice, bob, carol, dave, crew
):
    spam, _ = message_send(actor=alice, room=crew, body="cheap watches", client_msg_id="s")
    _hidden_by_reports("message", spam.pk, [bob, carol, dave])

    rooms_of = {
        user.username: client_for(user).get("/api/v1/rooms/").json()["results"][0]
        for user in (alice, bob)
    }

    assert rooms_of["bob"]["last_message"] is None
    assert rooms_of["alice"]["last_message"]["body"] == "cheap watches"
    assert rooms_of["alice"]["last_message"]["hidden"] is True


def test_a_direct_message_is_reportable_only_by_its_two_people(
    alice, bob, outsider, moderator, direct_room
):
    message, _ = message_send(actor=alice, room=direct_room, body="hi bob", client_msg_id="d")

    refused = [_report(user, "message", message.pk) for user in (outsider, moderator, alice)]
    accepted = _report(bob, "message", message.pk, category="abuse")

    assert [(r.status_code, r.json()["code"]) for r in refused] == [(400, "bad_target")] * 3
    assert accepted.status_code == 201
    assert ModerationItem.objects.count() == 1
    # One reporter never hides: the direct message stays where it was.
    assert [m["body"] for m in _history(bob, direct_room)] == ["hi bob"]


def test_a_moderator_reads_a_reported_direct_message_with_five_messages_each_side(
    alice, bob, moderator, direct_room
):
    sent = []
    for n in range(1, 13):
        author = alice if n % 2 else bob
        message, _ = message_send(
            actor=author, room=direct_room, body=f"line {n}", client_msg_id=f"m{n}", throttle=False
        )
        sent.append(message)
    reported = sent[6]  # seq 7, by Alice
    assert _report(bob, "message", reported.pk, category="abuse").status_code == 201
    item = _item("message", reported.pk)

    queue = client_for(moderator).get("/api/v1/moderation/queue/").json()["results"]
    page = client_for(moderator).get(f"/api/v1/moderation/items/{item.pk}/").json()

    assert [(row["preview"]["text"], row["preview"]["author"]) for row in queue] == [
        ("line 7", "alice")
    ]
    assert queue[0]["preview"]["private"] is True
    context = page["context"]
    assert [row["seq"] for row in context] == list(range(2, 13))
    assert [row["seq"] for row in context if row["target"]] == [7]
    assert context[0] | {"created_at": None} == {
        "id": sent[1].pk,
        "seq": 2,
        "sender": "bob",
        "kind": "text",
        "body": "line 2",
        "created_at": None,
        "deleted": False,
        "hidden": False,
        "target": False,
    }
    # Everyone else is refused the queue and the item.
    assert client_for(bob).get(f"/api/v1/moderation/items/{item.pk}/").status_code == 403


def test_a_moderator_approves_and_the_message_comes_back_for_everyone_as_an_edit(
    alice, bob, carol, dave, crew, moderator, pushed, django_capture_on_commit_callbacks
):
    spam, _ = message_send(actor=alice, room=crew, body="honest offer", client_msg_id="s")
    _hidden_by_reports("message", spam.pk, [bob, carol, dave])

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(moderator, _item("message", spam.pk), "approve", reason="")

    assert response.status_code == 200
    assert [(m["body"], m["hidden"]) for m in _history(carol, crew)] == [("honest offer", False)]
    restored = [data for _, kind, data, _ in pushed if kind == "chat.message.edited"]
    assert [(d["seq"], d["deleted"], d["body"]) for d in restored] == [
        (spam.seq, False, "honest offer")
    ]


def test_a_removal_keeps_it_hidden_and_tells_the_author_and_the_reporters(
    alice, bob, carol, dave, crew, moderator
):
    spam, _ = message_send(actor=alice, room=crew, body="cheap watches", client_msg_id="s")
    _hidden_by_reports("message", spam.pk, [bob, carol, dave])

    response = _decide(moderator, _item("message", spam.pk), "remove", reason="Spam")

    assert response.status_code == 200
    assert [m["body"] for m in _history(bob, crew)] == []
    assert [m["hidden"] for m in _history(alice, crew)] == [True]
    told = Notification.objects.filter(type="moderation_outcome").order_by("user__username")
    assert [(n.user.username, n.data["action"], n.data["target_type"]) for n in told] == [
        ("alice", "remove", "message"),
        ("bob", "remove", "message"),
        ("carol", "remove", "message"),
        ("dave", "remove", "message"),
    ]


def test_a_restore_never_brings_back_what_the_sender_deleted(
    alice, bob, carol, dave, crew, moderator
):
    spam, _ = message_send(actor=alice, room=crew, body="oops", client_msg_id="s")
    _hidden_by_reports("message", spam.pk, [bob, carol, dave])
    message_delete(actor=alice, message=Message.objects.get(pk=spam.pk))

    _decide(moderator, _item("message", spam.pk), "approve", reason="")

    spam.refresh_from_db()
    assert (spam.hidden_at, spam.deleted_at is not None) == (None, True)
    assert [(m["deleted"], m["hidden"], m["body"]) for m in _history(bob, crew)] == [
        (True, False, "")
    ]


# --- watched words and sanctions at the REST submit points -----------------------------------


def test_a_blocked_word_refuses_a_message_and_an_edit_and_nothing_changes(
    alice, bob, direct_room, words
):
    words("加微信", "block")
    kept, _ = message_send(actor=alice, room=direct_room, body="hello", client_msg_id="k")

    sent = _send(alice, direct_room, "便宜 加 微 信 吧", "x")
    edited = client_for(alice).patch(
        f"{_messages_url(direct_room)}{kept.pk}/", {"body": "加微信"}, format="json"
    )

    assert (sent.status_code, sent.json()["code"]) == (400, "blocked_word")
    assert (edited.status_code, edited.json()["code"]) == (400, "blocked_word")
    assert list(Message.objects.values_list("body", flat=True)) == ["hello"]
    assert Room.objects.get(pk=direct_room.pk).last_seq == 1
    assert ModerationItem.objects.count() == 0


def test_a_censored_word_is_masked_in_a_message_and_in_a_live_comment(
    alice, bob, direct_room, words, host
):
    words("damn", "censor")
    stream = livestream_start(actor=host, stream=_stream(host))

    sent = _send(alice, direct_room, "damn good noodles", "c")
    commented = client_for(bob).post(
        f"/api/v1/livestreams/{stream.pk}/comments/",
        {"body": "DAMN nice", "client_msg_id": "c"},
        format="json",
    )

    assert (sent.status_code, sent.json()["body"]) == (201, "**** good noodles")
    assert [m["body"] for m in _history(bob, direct_room)] == ["**** good noodles"]
    assert (commented.status_code, commented.json()["body"]) == (201, "**** nice")
    assert ModerationItem.objects.count() == 0


def test_require_approval_stores_the_message_hidden_and_queued_and_pushes_nothing(
    alice, bob, direct_room, words, moderator, pushed, django_capture_on_commit_callbacks
):
    words("crypto", "require_approval")

    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(alice, direct_room, "crypto tips", "r")

    assert (sent.status_code, sent.json()["hidden"], sent.json()["body"]) == (
        201,
        True,
        "crypto tips",
    )
    assert _history(bob, direct_room) == []
    assert [kind for topic, kind, _, _ in pushed if topic.startswith("chat.")] == []
    item = _item("message", sent.json()["id"])
    assert (item.source, item.hidden, item.status) == ("watched_word", True, "pending")

    with django_capture_on_commit_callbacks(execute=True):
        _decide(moderator, item, "approve", reason="")

    assert [(m["body"], m["hidden"]) for m in _history(bob, direct_room)] == [
        ("crypto tips", False)
    ]


def test_a_flagged_word_publishes_the_message_and_queues_it(alice, bob, direct_room, words):
    words("refund", "flag")

    sent = _send(alice, direct_room, "refund me now", "f")
    edited = client_for(alice).patch(
        f"{_messages_url(direct_room)}{sent.json()['id']}/",
        {"body": "refund please"},
        format="json",
    )

    assert (sent.status_code, edited.status_code) == (201, 200)
    assert [m["body"] for m in _history(bob, direct_room)] == ["refund please"]
    item = _item("message", sent.json()["id"])
    assert (item.source, item.hidden) == ("watched_word", False)


def test_an_edit_that_needs_approval_hides_the_message_and_tells_the_room(
    alice, bob, direct_room, words, pushed, django_capture_on_commit_callbacks
):
    words("crypto", "require_approval")
    message, _ = message_send(actor=alice, room=direct_room, body="hello", client_msg_id="e")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).patch(
            f"{_messages_url(direct_room)}{message.pk}/", {"body": "crypto tips"}, format="json"
        )

    assert (response.status_code, response.json()["hidden"]) == (200, True)
    assert _history(bob, direct_room) == []
    room_pushes = [(kind, data) for topic, kind, data, _ in pushed if topic.startswith("chat.")]
    assert [(kind, data["body"]) for kind, data in room_pushes] == [("chat.message.deleted", "")]


def _muted_by_a_moderator(author, content_type: str, content_id: int, reporter, moderator):
    assert _report(reporter, content_type, content_id).status_code == 201
    response = _decide(moderator, _item(content_type, content_id), "mute", reason="Spam")
    assert response.status_code == 200


def test_a_muted_member_cannot_send_or_edit_but_may_still_reach_the_support_desk(
    alice, bob, direct_room, moderator
):
    message, _ = message_send(actor=alice, room=direct_room, body="cheap", client_msg_id="m")
    _muted_by_a_moderator(alice, "message", message.pk, bob, moderator)

    sent = _send(alice, direct_room, "still here", "m2")
    edited = client_for(alice).patch(
        f"{_messages_url(direct_room)}{message.pk}/", {"body": "changed"}, format="json"
    )
    support = client_for(alice).post(
        "/api/v1/support/conversations/", {"body": "Where is my order?"}, format="json"
    )

    assert (sent.status_code, sent.json()["code"]) == (403, "sanctioned")
    assert (edited.status_code, edited.json()["code"]) == (403, "sanctioned")
    assert list(Message.objects.filter(room=direct_room).values_list("body", flat=True)) == [
        "cheap"
    ]
    assert support.status_code == 201


# --- live comments --------------------------------------------------------------------------


def _stream(host):
    return livestream_create(
        actor=host,
        title="Tea tasting",
        starts_at=timezone.now() + timedelta(minutes=5),
        stream_url="https://media.example.com/live/tea.m3u8",
    )


@pytest.fixture
def live(host):
    return livestream_start(actor=host, stream=_stream(host))


def _comments(viewer, stream) -> list[dict]:
    client = client_for(viewer) if viewer is not None else Client()
    response = client.get(f"/api/v1/livestreams/{stream.pk}/comments/")
    assert response.status_code == 200
    return response.json()["results"]


def test_reported_live_comments_leave_the_list_and_replay_and_viewers_drop_them(
    alice, bob, carol, dave, live, moderator, pushed, django_capture_on_commit_callbacks
):
    spam, _ = live_comment_post(actor=alice, stream=live, body="buy followers", client_msg_id="s")
    live_comment_post(actor=bob, stream=live, body="nice tea", client_msg_id="n")

    with django_capture_on_commit_callbacks(execute=True):
        _hidden_by_reports("live_comment", spam.pk, [bob, carol, dave])

    assert [c["body"] for c in _comments(None, live)] == ["nice tea"]
    assert [(c["body"], c["hidden"]) for c in _comments(alice, live)] == [
        ("buy followers", True),
        ("nice tea", False),
    ]
    assert [c["body"] for c in collect_comments(live.pk) or []] == ["nice tea"]
    assert [(kind, data) for topic, kind, data, _ in pushed if topic.startswith("live.")] == [
        ("live.comment.deleted", {"stream": live.pk, "seq": spam.seq})
    ]

    with django_capture_on_commit_callbacks(execute=True):
        _decide(moderator, _item("live_comment", spam.pk), "approve", reason="")

    assert [c["body"] for c in _comments(carol, live)] == ["buy followers", "nice tea"]
    # The fan-out already passed over it while hidden: the restore sends it in a batch of its own.
    batch = [data for _, kind, data, _ in pushed if kind == "live.comments.batch"]
    assert [[c["body"] for c in b["comments"]] for b in batch] == [["buy followers"]]


def test_blocked_and_held_live_comments_over_rest(alice, bob, live, words):
    words("scam", "block")
    words("crypto", "require_approval")
    url = f"/api/v1/livestreams/{live.pk}/comments/"

    blocked = client_for(alice).post(url, {"body": "s c a m", "client_msg_id": "b"}, format="json")
    held = client_for(alice).post(url, {"body": "crypto!", "client_msg_id": "h"}, format="json")

    assert (blocked.status_code, blocked.json()["code"]) == (400, "blocked_word")
    assert (held.status_code, held.json()["hidden"]) == (201, True)
    assert list(LiveComment.objects.values_list("body", flat=True)) == ["crypto!"]
    assert _comments(bob, live) == []
    assert collect_comments(live.pk) in (None, [])
    assert _item("live_comment", held.json()["id"]).hidden is True


def test_a_muted_member_gets_403_sanctioned_on_a_live_comment(alice, bob, live, moderator):
    comment, _ = live_comment_post(actor=alice, stream=live, body="spam", client_msg_id="s")
    _muted_by_a_moderator(alice, "live_comment", comment.pk, bob, moderator)

    response = client_for(alice).post(
        f"/api/v1/livestreams/{live.pk}/comments/",
        {"body": "again", "client_msg_id": "a"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "sanctioned")
    assert LiveComment.objects.filter(user=alice).count() == 1


# --- Django admin: no browsing of members' messages ----------------------------------------------


@pytest.fixture
def staff_member(db):
    person = grant(member(username="staff_sue"), "staff")
    person.is_superuser = True  # even a superuser: the admin offers no way to a body
    person.save(update_fields=["is_superuser"])
    return person


def test_staff_cannot_read_a_direct_message_in_admin(staff_member, alice, direct_room):
    secret, _ = message_send(
        actor=alice, room=direct_room, body="my private secret", client_msg_id="p"
    )
    browser = Client()
    browser.force_login(staff_member)

    listing = browser.get("/admin/chat/message/")
    searched = browser.get("/admin/chat/message/?q=secret")
    by_sender = browser.get("/admin/chat/message/?q=alice")
    change = browser.get(f"/admin/chat/message/{secret.pk}/change/")
    history = browser.get(f"/admin/chat/message/{secret.pk}/history/")

    assert (listing.status_code, searched.status_code, by_sender.status_code) == (200, 200, 200)
    for page in (listing, searched, by_sender):
        assert "private secret" not in page.content.decode()
    assert list(searched.context["cl"].result_list) == []
    assert list(by_sender.context["cl"].result_list) == [secret]
    assert f"/admin/chat/message/{secret.pk}/change/" not in by_sender.content.decode()
    assert (change.status_code, history.status_code) == (403, 403)


def test_a_moderator_has_no_message_list_in_admin_at_all(moderator, alice, direct_room):
    # Moderators read a private message only through the queue item that reported it.
    secret, _ = message_send(
        actor=alice, room=direct_room, body="my private secret", client_msg_id="p"
    )
    browser = Client()
    browser.force_login(moderator)

    pages = [
        browser.get("/admin/chat/message/"),
        browser.get("/admin/chat/message/?q=alice"),
        browser.get(f"/admin/chat/message/{secret.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [403, 403, 403]
    assert all("private secret" not in page.content.decode() for page in pages)


# --- over the socket ------------------------------------------------------------------------


async def _socket_for(user):
    return await open_socket(await sync_to_async(token_for)(user))


async def _subscribe(socket, topic: str, after_seq: int | None = None) -> dict:
    frame: dict = {"action": "subscribe", "topic": topic}
    if after_seq is not None:
        frame["after_seq"] = after_seq
    await socket.send_json_to(frame)
    reply = await socket.receive_json_from(timeout=5)
    assert reply["type"] == "realtime.subscribed", reply
    return reply


async def _next_of_type(socket, event_type: str) -> dict:
    while True:
        event = await socket.receive_json_from(timeout=5)
        if event["type"] == event_type:
            return event


def _report_now(reporters, target_type: str, target_id: int) -> None:
    for reporter in reporters:
        report_create(
            reporter=reporter, target_type=target_type, target_id=target_id, category="spam"
        )


@pytest.mark.django_db(transaction=True)
async def test_reports_past_the_threshold_push_the_removal_to_an_open_room_socket(
    alice, bob, carol, dave, crew
):
    room = crew
    spam, _ = await sync_to_async(message_send)(
        actor=alice, room=room, body="cheap watches", client_msg_id="s"
    )
    socket = await _socket_for(carol)
    await _subscribe(socket, f"chat.room:{room.pk}", after_seq=spam.seq)

    await sync_to_async(_report_now)([bob, carol, dave], "message", spam.pk)
    removed = await _next_of_type(socket, "chat.message.deleted")
    await socket.disconnect()

    assert (removed["topic"], removed["seq"]) == (f"chat.room:{room.pk}", None)
    data = removed["data"]
    assert (data["id"], data["seq"], data["deleted"], data["hidden"], data["body"]) == (
        spam.pk,
        spam.seq,
        True,
        True,
        "",
    )


@pytest.mark.django_db(transaction=True)
async def test_the_replay_keeps_a_hidden_message_seq_as_a_tombstone_but_its_sender_sees_it(
    alice, bob, carol, dave, crew
):
    room = crew
    send = sync_to_async(message_send)
    await send(actor=bob, room=room, body="before", client_msg_id="r0")
    spam, _ = await send(actor=alice, room=room, body="cheap watches", client_msg_id="r1")
    await send(actor=bob, room=room, body="after", client_msg_id="r2")
    await sync_to_async(_report_now)([bob, carol, dave], "message", spam.pk)

    replays = {}
    for user in (carol, alice):
        socket = await _socket_for(user)
        await _subscribe(socket, f"chat.room:{room.pk}", after_seq=0)
        replays[user.username] = [await socket.receive_json_from(timeout=5) for _ in range(3)]
        await socket.disconnect()

    # Every seq is there, so no client waits on a gap; only the sender reads the content.
    assert [(e["type"], e["seq"], e["data"]["body"]) for e in replays["carol"]] == [
        ("chat.message.created", 1, "before"),
        ("chat.message.deleted", 2, ""),
        ("chat.message.created", 3, "after"),
    ]
    assert [(e["seq"], e["data"]["body"], e["data"]["hidden"]) for e in replays["alice"]] == [
        (1, "before", False),
        (2, "cheap watches", True),
        (3, "after", False),
    ]


@pytest.mark.django_db(transaction=True)
async def test_a_blocked_word_on_chat_send_is_refused_and_nothing_is_stored(alice, crew):
    room = crew
    await sync_to_async(watched_word_add)(actor=None, word="加微信", action="block")
    socket = await _socket_for(alice)

    await socket.send_json_to(
        {"action": "chat.send", "room": room.pk, "body": "加微信 便宜", "client_msg_id": "x"}
    )
    refused = await socket.receive_json_from(timeout=5)
    await socket.disconnect()

    assert (refused["type"], refused["code"], refused["topic"]) == (
        "realtime.error",
        "blocked_word",
        f"chat.room:{room.pk}",
    )
    assert await sync_to_async(Message.objects.filter(room=room).count)() == 0


def _muted_live_commenter():
    host = grant(member(username="host"), "creator")
    moderator = grant(member(username="mod"), "moderator")
    stream = livestream_start(actor=host, stream=_stream(host))
    troll, viewer = member(username="troll"), member(username="viewer")
    comment, _ = live_comment_post(actor=troll, stream=stream, body="spam", client_msg_id="s")
    report = report_create(
        reporter=viewer, target_type="live_comment", target_id=comment.pk, category="spam"
    )
    item_decide(
        moderator=moderator,
        item_id=report.item_id,
        action="mute",
        reason="Spam",
        version=ModerationItem.objects.get(pk=report.item_id).version,
    )
    return stream, troll


@pytest.mark.django_db(transaction=True)
async def test_a_muted_member_live_comment_is_refused_over_the_socket():
    stream, troll = await sync_to_async(_muted_live_commenter)()
    socket = await _socket_for(troll)
    await _subscribe(socket, f"live.stream:{stream.pk}")

    await socket.send_json_to(
        {"action": "live.comment", "stream": stream.pk, "body": "again", "client_msg_id": "a"}
    )
    refused = await _next_of_type(socket, "realtime.error")
    await socket.disconnect()

    assert (refused["code"], refused["topic"]) == ("sanctioned", f"live.stream:{stream.pk}")
    assert await sync_to_async(LiveComment.objects.filter(user=troll).count)() == 1


@pytest.mark.django_db(transaction=True)
async def test_a_muted_member_chat_send_and_a_blocked_live_comment_are_refused_over_the_socket():
    stream, troll = await sync_to_async(_muted_live_commenter)()
    alice = await sync_to_async(member)(username="alice")
    await sync_to_async(watched_word_add)(actor=None, word="scam", action="block")
    muted = await _socket_for(troll)
    other = await _socket_for(alice)

    room_of_troll = await sync_to_async(room_group_create)(
        actor=troll, title="Mine", members=[alice]
    )
    await muted.send_json_to(
        {"action": "chat.send", "room": room_of_troll.pk, "body": "hi", "client_msg_id": "m"}
    )
    sanctioned = await _next_of_type(muted, "realtime.error")
    await other.send_json_to(
        {"action": "live.comment", "stream": stream.pk, "body": "SCAM!", "client_msg_id": "b"}
    )
    blocked = await _next_of_type(other, "realtime.error")
    await muted.disconnect()
    await other.disconnect()

    assert sanctioned["code"] == "sanctioned"
    assert blocked["code"] == "blocked_word"
    assert await sync_to_async(Message.objects.filter(room=room_of_troll).count)() == 0
    assert await sync_to_async(LiveComment.objects.filter(user=alice).count)() == 0
