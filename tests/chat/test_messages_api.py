"""Messages over REST: sending (idempotent, throttled), history windows, edit, delete, read state,
group membership; each refusal asserts that nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Message, Room, RoomMember
from chat.services import message_send
from community.models import Notification
from community.services.social import block_create
from tests.chat.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(user, room, body="hello", client_msg_id="c1", **extra):
    return client_for(user).post(
        f"/api/v1/rooms/{room.id}/messages/",
        {"body": body, "client_msg_id": client_msg_id, **extra},
    )


# --- sending -----------------------------------------------------------------------------------


def test_member_sends_a_message_with_the_next_seq(
    alice, bob, direct_room, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(alice, direct_room, "hi bob", "a1")
        second = _send(bob, direct_room, "hi alice", "b1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["seq"], second.json()["seq"]) == (1, 2)
    assert first.json()["sender"]["username"] == "alice"
    created = [
        (topic, seq, data["body"])
        for topic, kind, data, seq in pushed
        if kind == "chat.message.created"
    ]
    assert created == [
        (f"chat.room:{direct_room.id}", 1, "hi bob"),
        (f"chat.room:{direct_room.id}", 2, "hi alice"),
    ]
    assert Room.objects.get(pk=direct_room.pk).last_seq == 2


def test_the_same_client_msg_id_returns_the_same_message(
    alice, direct_room, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(alice, direct_room, "once", "same")
        again = _send(alice, direct_room, "once", "same")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Message.objects.count() == 1
    assert len([p for p in pushed if p[1] == "chat.message.created"]) == 1


def test_send_permission_matrix(api_client, outsider, alice, direct_room):
    anonymous = api_client.post(
        f"/api/v1/rooms/{direct_room.id}/messages/", {"body": "x", "client_msg_id": "z"}
    )
    stranger = _send(outsider, direct_room, "let me in", "o1")
    unknown = client_for(alice).post(
        "/api/v1/rooms/999999/messages/", {"body": "x", "client_msg_id": "z"}
    )

    assert anonymous.status_code == 401
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert not Message.objects.exists()
    assert Room.objects.get(pk=direct_room.pk).last_seq == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "", "client_msg_id": "c"},
        {"body": "x" * 4001, "client_msg_id": "c"},
        {"body": "hi"},
        {"body": "hi", "client_msg_id": "has spaces"},
    ],
)
def test_invalid_messages_are_refused(alice, direct_room, payload):
    response = client_for(alice).post(f"/api/v1/rooms/{direct_room.id}/messages/", payload)

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert not Message.objects.exists()


def test_reply_to_must_be_in_the_same_room(alice, bob, direct_room, group_room):
    other, _ = message_send(actor=alice, room=group_room, body="elsewhere", client_msg_id="g")
    original, _ = message_send(actor=bob, room=direct_room, body="question?", client_msg_id="q")

    wrong = _send(alice, direct_room, "answer", "a", reply_to=other.id)
    right = _send(alice, direct_room, "answer", "a2", reply_to=original.id)

    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_reply_to")
    assert right.status_code == 201
    assert right.json()["reply_to"]["id"] == original.id
    assert right.json()["reply_to"]["body"] == "question?"


def test_blocked_peer_cannot_receive_direct_messages(alice, bob, direct_room):
    block_create(actor=bob, blocked=alice)

    response = _send(alice, direct_room, "still there?", "x")

    assert (response.status_code, response.json()["code"]) == (403, "blocked")
    assert not Message.objects.exists()


def test_flood_control_answers_429_with_retry_after(alice, group_room):
    statuses = [_send(alice, group_room, f"m{i}", f"f{i}").status_code for i in range(5)]

    refused = _send(alice, group_room, "one too many", "f5")

    assert statuses == [201] * 5
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 5
    assert Message.objects.count() == 5
    # A retry of a message that went through is not a new message: still answered.
    assert _send(alice, group_room, "m0", "f0").status_code == 200


def test_new_accounts_are_limited_further(alice, group_room):
    newcomer = UserFactory(username="newbie")
    RoomMember.objects.create(room=group_room, user=newcomer)

    statuses = [_send(newcomer, group_room, f"m{i}", f"n{i}").status_code for i in range(4)]

    assert statuses == [201, 201, 429, 429]


def test_mentions_and_direct_messages_notify(
    alice, bob, carol, direct_room, group_room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(alice, direct_room, "psst", "d")
        _send(bob, group_room, "@Carol and @alice look", "m")
        _send(bob, group_room, "@all is not for members", "all")

    notes = sorted(Notification.objects.values_list("user__username", "type", "body"))
    assert notes == [
        ("alice", "mention", "@Carol and @alice look"),
        ("bob", "direct_message", "psst"),
        ("carol", "mention", "@Carol and @alice look"),
    ]
    message = Message.objects.get(client_msg_id="m")
    assert sorted(message.mentions) == sorted([alice.id, carol.id])
    assert Message.objects.get(client_msg_id="all").mentions_all is False


def test_members_with_a_live_socket_get_no_inbox_entry_for_mentions_or_direct_messages(
    alice, bob, carol, direct_room, group_room, django_capture_on_commit_callbacks
):
    from chat.services.presence import presence_close, presence_open

    presence_open(bob.pk)  # Bob has the app open; Carol is away
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _send(alice, direct_room, "are you there?", "d-online")
            _send(alice, group_room, "@bob @carol dinner?", "m-online")
    finally:
        presence_close(bob.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _send(alice, direct_room, "gone now?", "d-offline")

    notes = sorted(Notification.objects.values_list("user__username", "type", "body"))
    assert notes == [
        ("bob", "direct_message", "gone now?"),
        ("carol", "mention", "@bob @carol dinner?"),
    ]


def test_owner_mentions_all(alice, bob, carol, group_room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(alice, group_room, "@all meeting at 7", "a")

    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["bob", "carol"]


# --- reading windows ---------------------------------------------------------------------------


def _fill(room, users, count):
    for n in range(count):
        message_send(
            actor=users[n % len(users)],
            room=room,
            body=f"message {n + 1}",
            client_msg_id=f"w{n}",
            throttle=False,
        )


def test_after_seq_and_before_seq_windows_are_ascending(alice, bob, direct_room):
    _fill(direct_room, [alice, bob], 12)
    client = client_for(alice)

    after = client.get(f"/api/v1/rooms/{direct_room.id}/messages/?after_seq=4&limit=3").json()
    before = client.get(f"/api/v1/rooms/{direct_room.id}/messages/?before_seq=6&limit=3").json()
    latest = client.get(f"/api/v1/rooms/{direct_room.id}/messages/?limit=5").json()

    assert [m["seq"] for m in after["results"]] == [5, 6, 7]
    assert "after_seq=7" in after["next"]
    assert [m["seq"] for m in before["results"]] == [3, 4, 5]
    assert "before_seq=3" in before["previous"]
    assert [m["seq"] for m in latest["results"]] == [8, 9, 10, 11, 12]


def test_search_within_the_room(alice, bob, direct_room):
    _fill(direct_room, [alice, bob], 12)

    response = client_for(bob).get(f"/api/v1/rooms/{direct_room.id}/messages/?q=message 1")

    assert [m["seq"] for m in response.json()["results"]] == [1, 10, 11, 12]


def test_history_permission_matrix(
    api_client, outsider, alice, direct_room, django_assert_max_num_queries
):
    _fill(direct_room, [alice], 20)

    assert api_client.get(f"/api/v1/rooms/{direct_room.id}/messages/").status_code == 401
    stranger = client_for(outsider).get(f"/api/v1/rooms/{direct_room.id}/messages/")
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")
    with django_assert_max_num_queries(5):
        assert client_for(alice).get(f"/api/v1/rooms/{direct_room.id}/messages/").status_code == 200


# --- edit and delete ---------------------------------------------------------------------------


def test_sender_edits_within_the_window(
    alice, bob, direct_room, pushed, django_capture_on_commit_callbacks
):
    message, _ = message_send(actor=alice, room=direct_room, body="helo", client_msg_id="e")
    url = f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/"

    with django_capture_on_commit_callbacks(execute=True):
        not_mine = client_for(bob).patch(url, {"body": "hacked"})
        edited = client_for(alice).patch(url, {"body": "hello"})

    assert (not_mine.status_code, not_mine.json()["code"]) == (403, "not_message_sender")
    assert edited.status_code == 200
    assert edited.json()["body"] == "hello"
    assert edited.json()["edited_at"] is not None
    assert [(kind, seq, data["seq"]) for _, kind, data, seq in pushed] == [
        ("chat.message.edited", None, 1)
    ]


def test_edit_after_fifteen_minutes_is_refused(alice, direct_room):
    message, _ = message_send(actor=alice, room=direct_room, body="old", client_msg_id="e")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    response = client_for(alice).patch(
        f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/", {"body": "new"}
    )

    assert (response.status_code, response.json()["code"]) == (409, "edit_window_passed")
    assert Message.objects.get(pk=message.pk).body == "old"


def test_delete_matrix(outsider, alice, bob, carol, group_room):
    message, _ = message_send(actor=bob, room=group_room, body="oops", client_msg_id="x")
    url = f"/api/v1/rooms/{group_room.id}/messages/{message.id}/"

    stranger = client_for(outsider).delete(url)
    other_member = client_for(carol).delete(url)
    untouched = Message.objects.get(pk=message.pk).deleted_at
    owner = client_for(alice).delete(url)
    listed = client_for(bob).get(f"/api/v1/rooms/{group_room.id}/messages/").json()["results"]

    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")
    assert (other_member.status_code, other_member.json()["code"]) == (403, "permission_denied")
    assert untouched is None
    assert owner.status_code == 204
    assert [(m["deleted"], m["body"]) for m in listed] == [(True, "")]


def test_sender_deletes_own_message(bob, direct_room):
    message, _ = message_send(actor=bob, room=direct_room, body="oops", client_msg_id="x")

    response = client_for(bob).delete(f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/")

    assert response.status_code == 204
    assert Message.objects.get(pk=message.pk).deleted_at is not None


# --- read state --------------------------------------------------------------------------------


def test_read_state_is_monotonic(alice, bob, direct_room):
    _fill(direct_room, [bob], 5)
    client = client_for(alice)

    forward = client.post(f"/api/v1/rooms/{direct_room.id}/read/", {"seq": 4})
    backward = client.post(f"/api/v1/rooms/{direct_room.id}/read/", {"seq": 2})
    beyond = client.post(f"/api/v1/rooms/{direct_room.id}/read/", {"seq": 99})

    assert (forward.status_code, backward.status_code, beyond.status_code) == (204, 204, 204)
    assert RoomMember.objects.get(room=direct_room, user=alice).last_read_seq == 5
    unread = client.get(f"/api/v1/rooms/{direct_room.id}/").json()["unread_count"]
    assert unread == 0


def test_read_matrix(api_client, outsider, direct_room):
    assert api_client.post(f"/api/v1/rooms/{direct_room.id}/read/", {"seq": 1}).status_code == 401
    stranger = client_for(outsider).post(f"/api/v1/rooms/{direct_room.id}/read/", {"seq": 1})
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")


# --- group membership --------------------------------------------------------------------------


def test_members_add_matrix(alice, bob, outsider, group_room):
    url = f"/api/v1/rooms/{group_room.id}/members/"

    by_member = client_for(bob).post(url, {"members": ["mallory"]})
    by_stranger = client_for(outsider).post(url, {"members": ["mallory"]})
    unchanged = RoomMember.objects.filter(room=group_room).count()
    by_owner = client_for(alice).post(url, {"members": ["mallory"]})

    assert (by_member.status_code, by_member.json()["code"]) == (403, "permission_denied")
    assert (by_stranger.status_code, by_stranger.json()["code"]) == (403, "not_a_member")
    assert unchanged == 3
    assert by_owner.status_code == 200
    assert by_owner.json()["member_count"] == 4


def test_members_add_respects_the_cap(alice, outsider, group_room, settings):
    settings.CHAT_GROUP_MAX_MEMBERS = 3

    response = client_for(alice).post(
        f"/api/v1/rooms/{group_room.id}/members/", {"members": ["mallory"]}
    )

    assert (response.status_code, response.json()["code"]) == (409, "room_full")
    assert RoomMember.objects.filter(room=group_room).count() == 3


def test_members_remove_matrix(alice, bob, carol, outsider, group_room, direct_room):
    base = f"/api/v1/rooms/{group_room.id}/members/"

    by_member = client_for(bob).delete(base + "carol/")
    by_stranger = client_for(outsider).delete(base + "carol/")
    owner_leaves = client_for(alice).delete(base + "alice/")
    in_direct = client_for(alice).delete(f"/api/v1/rooms/{direct_room.id}/members/bob/")
    assert RoomMember.objects.filter(room=group_room).count() == 3
    by_owner = client_for(alice).delete(base + "carol/")
    leaves = client_for(bob).delete(base + "bob/")

    assert (by_member.status_code, by_member.json()["code"]) == (403, "permission_denied")
    assert (by_stranger.status_code, by_stranger.json()["code"]) == (403, "not_a_member")
    assert (owner_leaves.status_code, owner_leaves.json()["code"]) == (409, "owner_cannot_leave")
    assert (in_direct.status_code, in_direct.json()["code"]) == (409, "not_a_group_room")
    assert (by_owner.status_code, leaves.status_code) == (204, 204)
    assert list(
        RoomMember.objects.filter(room=group_room).values_list("user__username", flat=True)
    ) == ["alice"]
    gone = _send(carol, group_room, "still here?", "c")
    assert (gone.status_code, gone.json()["code"]) == (403, "not_a_member")
