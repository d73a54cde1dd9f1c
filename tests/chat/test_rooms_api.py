"""Rooms over REST: direct (one per pair), group, the room list and the permission matrix."""

import pytest

from chat.models import Room, RoomMember
from chat.services import message_send, room_direct_get_or_create
from community.services.social import block_create
from tests.chat.conftest import client_for, member

pytestmark = pytest.mark.django_db


def test_direct_room_is_created_once_per_pair(alice, bob):
    first = client_for(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "bob"})
    second = client_for(bob).post("/api/v1/rooms/", {"kind": "direct", "user": "alice"})

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["kind"] == "direct"
    assert first.json()["peer"]["username"] == "bob"
    assert second.json()["peer"]["username"] == "alice"
    assert Room.objects.filter(kind="direct").count() == 1
    assert sorted(m["user"]["username"] for m in first.json()["members"]) == ["alice", "bob"]


def test_blocked_users_cannot_open_a_direct_room(alice, bob):
    block_create(actor=bob, blocked=alice)

    response = client_for(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "bob"})

    assert response.status_code == 403
    assert response.json()["code"] == "blocked"
    assert not Room.objects.exists()


def test_direct_room_with_yourself_or_nobody_is_refused(alice):
    me = client_for(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "alice"})
    nobody = client_for(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "ghost"})
    missing = client_for(alice).post("/api/v1/rooms/", {"kind": "direct"})

    assert (me.status_code, me.json()["code"]) == (400, "cannot_message_self")
    assert (nobody.status_code, nobody.json()["code"]) == (404, "not_found")
    assert (missing.status_code, missing.json()["code"]) == (400, "validation_error")
    assert not Room.objects.exists()


def test_anonymous_cannot_create_or_list_rooms(api_client, bob):
    created = api_client.post("/api/v1/rooms/", {"kind": "direct", "user": "bob"})
    listed = api_client.get("/api/v1/rooms/")

    assert (created.status_code, created.json()["code"]) == (401, "not_authenticated")
    assert listed.status_code == 401
    assert not Room.objects.exists()


def test_group_room_is_created_with_its_members(alice, bob, carol):
    response = client_for(alice).post(
        "/api/v1/rooms/", {"kind": "group", "title": "Crew", "members": ["bob", "CAROL"]}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["title"], body["role"], body["member_count"]) == (
        "group",
        "Crew",
        "owner",
        3,
    )
    roles = {m.user.username: m.role for m in RoomMember.objects.filter(room_id=body["id"])}
    assert roles == {"alice": "owner", "bob": "member", "carol": "member"}


def test_group_room_with_unknown_people_is_refused(alice, bob):
    response = client_for(alice).post(
        "/api/v1/rooms/", {"kind": "group", "title": "Crew", "members": ["bob", "ghost"]}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_users"
    assert response.json()["fields"] == {"members": ["ghost"]}
    assert not Room.objects.exists()


def test_group_room_cap(alice, bob, carol, settings):
    settings.CHAT_GROUP_MAX_MEMBERS = 2

    response = client_for(alice).post(
        "/api/v1/rooms/", {"kind": "group", "title": "Crew", "members": ["bob", "carol"]}
    )

    assert (response.status_code, response.json()["code"]) == (409, "room_full")
    assert not Room.objects.exists()


def test_room_detail_matrix(api_client, alice, outsider, group_room):
    anonymous = api_client.get(f"/api/v1/rooms/{group_room.id}/")
    stranger = client_for(outsider).get(f"/api/v1/rooms/{group_room.id}/")
    unknown = client_for(alice).get("/api/v1/rooms/999999/")
    owner = client_for(alice).get(f"/api/v1/rooms/{group_room.id}/")

    assert anonymous.status_code == 401
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert owner.status_code == 200
    assert owner.json()["id"] == group_room.id


def test_room_list_shows_unread_counts_and_last_message(alice, bob, carol, direct_room, group_room):
    message_send(actor=bob, room=direct_room, body="hi", client_msg_id="d1")
    message_send(actor=bob, room=direct_room, body="there", client_msg_id="d2")
    message_send(actor=carol, room=group_room, body="yo", client_msg_id="g1")
    message_send(actor=alice, room=group_room, body="hey", client_msg_id="g2")

    response = client_for(alice).get("/api/v1/rooms/")

    assert response.status_code == 200
    rows = [
        (r["id"], r["last_seq"], r["unread_count"], r["last_message"]["body"])
        for r in response.json()["results"]
    ]
    # The group had the latest message; Alice's own message marked the group read.
    assert rows == [(group_room.id, 2, 0, "hey"), (direct_room.id, 2, 2, "there")]
    assert response.json()["results"][1]["title"] == bob.display_name


def _rooms_for(user, count: int) -> None:
    for _ in range(count):
        other = member()
        room = Room.objects.create(kind="group", title="r", created_by=user)
        RoomMember.objects.create(room=room, user=user, role="owner")
        RoomMember.objects.create(room=room, user=other)
        hello, _ = message_send(actor=other, room=room, body="hello", client_msg_id=f"m{room.pk}")
        # The last message quotes another: its preview must not cost queries per room.
        message_send(
            actor=user, room=room, body="hi!", client_msg_id=f"r{room.pk}", reply_to=hello.pk
        )
        peer = member()
        direct, _ = room_direct_get_or_create(actor=user, other=peer)
        message_send(actor=peer, room=direct, body="dm", client_msg_id=f"dm{room.pk}")


@pytest.mark.parametrize("count", [3, 20])
def test_room_list_query_count_is_constant(alice, count, django_assert_max_num_queries):
    _rooms_for(alice, count)

    with django_assert_max_num_queries(5):
        response = client_for(alice).get("/api/v1/rooms/?page_size=100")

    assert len(response.json()["results"]) == 2 * count
