"""API.md "Chat": rooms, messages (idempotent sends, history windows, throttling), read state,
livestreams (list, create, comments, slow mode, likes) and support conversations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Room
from chat.services import message_send
from chat.services.live import livestream_create, livestream_start
from groupbuy.models import Product
from tests.chat.conftest import grant, member, order_for
from tests.contract.helpers import app, assert_error, assert_iso, assert_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return member(username="alice")


@pytest.fixture
def bob(db):
    return member(username="bob")


@pytest.fixture
def carol(db):
    return member(username="carol")


@pytest.fixture
def host(db):
    return grant(member(username="host_lily"), "creator")


@pytest.fixture
def room_id(alice, bob):
    """Alice's direct room with Bob, opened the way a client does."""
    return (
        app(alice)
        .post("/api/v1/rooms/", {"kind": "direct", "user": "bob"}, format="json")
        .json()["id"]
    )


@pytest.fixture
def live(host):
    return livestream_start(
        actor=host,
        stream=livestream_create(
            actor=host,
            title="Live",
            starts_at=timezone.now(),
            stream_url="https://a.example/x.m3u8",
        ),
    )


def send(user, room_id, body, client_msg_id, **extra):
    return app(user).post(
        f"/api/v1/rooms/{room_id}/messages/",
        {"body": body, "client_msg_id": client_msg_id, **extra},
        format="json",
    )


def comment(user, stream, body, client_msg_id):
    return app(user).post(
        f"/api/v1/livestreams/{stream.pk}/comments/",
        {"body": body, "client_msg_id": client_msg_id},
        format="json",
    )


# --- rooms -------------------------------------------------------------------------------------


def test_direct_room_is_201_then_200_with_the_same_room_from_either_side(alice, bob):
    first = app(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "bob"}, format="json")
    again = app(alice).post("/api/v1/rooms/", {"kind": "direct", "user": "bob"}, format="json")
    reverse = app(bob).post("/api/v1/rooms/", {"kind": "direct", "user": "alice"}, format="json")

    assert first.status_code == 201, first.json()
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert (reverse.status_code, reverse.json()["id"]) == (200, first.json()["id"])


def test_group_room_is_201(alice, bob, carol):
    response = app(alice).post(
        "/api/v1/rooms/",
        {"kind": "group", "title": "Crew", "members": ["bob", "carol"]},
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_room_list_shows_last_seq_unread_count_and_last_message(alice, bob, carol):
    rid = (
        app(alice)
        .post(
            "/api/v1/rooms/",
            {"kind": "group", "title": "Crew", "members": ["bob", "carol"]},
            format="json",
        )
        .json()["id"]
    )
    send(alice, rid, "hi", "m1")

    rows = assert_page(app(bob).get("/api/v1/rooms/").json())

    row = next(row for row in rows if row["id"] == rid)
    assert (row["last_seq"], row["unread_count"]) == (1, 1)
    assert row["last_message"]["body"] == "hi"


# --- messages ----------------------------------------------------------------------------------


def test_send_is_201_with_id_seq_and_iso_time(alice, room_id):
    response = send(alice, room_id, "hello", "c-1")

    assert response.status_code == 201, response.json()
    assert isinstance(response.json()["id"], int)
    assert response.json()["seq"] == 1
    assert_iso(response.json()["created_at"])


def test_resending_the_same_client_msg_id_is_200_with_the_same_message(alice, room_id):
    first = send(alice, room_id, "hello", "c-1")
    again = send(alice, room_id, "hello", "c-1")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_reply_to_a_message(alice, bob, room_id):
    original = send(alice, room_id, "question?", "c-1").json()

    reply = send(bob, room_id, "answer", "c-2", reply_to=original["id"])

    assert reply.status_code == 201, reply.json()
    assert reply.json()["reply_to"]["id"] == original["id"]


def test_product_card_message(alice, room_id):
    goods = Product.objects.create(title="Tea", price="9.90", stock=3, status="active")

    response = send(alice, room_id, "", "card1", card={"kind": "product", "id": goods.pk})

    assert response.status_code == 201, response.json()


def test_outsider_gets_403_not_a_member(carol, room_id):
    assert_error(send(carol, room_id, "x", "c-3"), 403, "not_a_member")
    assert_error(app(carol).get(f"/api/v1/rooms/{room_id}/messages/"), 403, "not_a_member")


def test_unknown_room_is_404_not_found(alice):
    assert_error(send(alice, 999999, "x", "c"), 404, "not_found")


def test_flooding_a_room_is_429_throttled_with_retry_after(alice, room_id):
    # Members older than a day may send 5 messages per 5 seconds.
    statuses = [send(alice, room_id, f"m{i}", f"t{i}").status_code for i in range(5)]

    refused = send(alice, room_id, "more", "tx")

    assert statuses == [201] * 5
    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0


def test_history_windows_are_ascending(alice, bob, room_id):
    room = Room.objects.get(pk=room_id)
    # Six sends at once would trip flood control, which is not what this test is about.
    for i in range(6):
        message_send(actor=alice, room=room, body=f"n{i}", client_msg_id=f"h{i}", throttle=False)
    client = app(bob)
    url = f"/api/v1/rooms/{room_id}/messages/"

    after = assert_page(client.get(f"{url}?after_seq=2&limit=3").json())
    before = assert_page(client.get(f"{url}?before_seq=4").json())
    everything = assert_page(client.get(url).json())

    assert [m["seq"] for m in after] == [3, 4, 5]
    assert [m["seq"] for m in before] == [1, 2, 3]
    assert [m["seq"] for m in everything] == [1, 2, 3, 4, 5, 6]


def test_read_is_204_and_clears_unread(alice, bob, room_id):
    send(alice, room_id, "a", "r1")

    response = app(bob).post(f"/api/v1/rooms/{room_id}/read/", {"seq": 1}, format="json")

    assert response.status_code == 204
    row = next(r for r in app(bob).get("/api/v1/rooms/").json()["results"] if r["id"] == room_id)
    assert row["unread_count"] == 0


# --- livestreams -------------------------------------------------------------------------------


def test_livestream_list_is_a_page(live):
    response = app().get("/api/v1/livestreams/")

    assert response.status_code == 200
    assert [row["id"] for row in assert_page(response.json())] == [live.pk]


def test_creator_schedules_a_livestream(host):
    response = app(host).post(
        "/api/v1/livestreams/",
        {
            "title": "Tea night",
            "starts_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "stream_url": "https://media.example.com/live/x.m3u8",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_member_cannot_schedule_a_livestream(alice):
    refused = app(alice).post(
        "/api/v1/livestreams/",
        {"title": "x", "starts_at": timezone.now().isoformat(), "stream_url": "https://a.b/c"},
        format="json",
    )

    assert_error(refused, 403, "not_a_creator")


def test_comment_is_201_and_a_retry_is_200_with_the_same_comment(alice, live):
    first = comment(alice, live, "wow", "lc1")
    again = comment(alice, live, "wow", "lc1")

    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_slow_mode_is_429_throttled_with_retry_after(host, alice, live):
    app(host).patch(f"/api/v1/livestreams/{live.pk}/", {"slow_mode_seconds": 30}, format="json")
    comment(alice, live, "1", "s1")

    refused = comment(alice, live, "2", "s2")

    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0


def test_like_a_live_stream_is_202_with_the_total(alice, live):
    response = app(alice).post(f"/api/v1/livestreams/{live.pk}/likes/")

    assert response.status_code == 202
    assert response.json()["likes"] == 1


# --- support -----------------------------------------------------------------------------------


def test_support_conversation_is_201(alice):
    response = app(alice).post(
        "/api/v1/support/conversations/", {"body": "Where is my parcel?"}, format="json"
    )

    assert response.status_code == 201, response.json()


def test_support_conversation_about_an_order(alice):
    goods = Product.objects.create(title="Tea", price="9.90", stock=3, status="active")
    order = order_for(alice, goods)

    response = app(alice).post(
        "/api/v1/support/conversations/",
        {"order": order.pk, "body": "Refund please"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["order"] == order.pk
