"""Image messages, cards rendered from the live object, reactions and presence for contacts."""

import io

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chat.models import Message, Reaction
from chat.selectors.messages import register_card, unregister_card
from chat.services import message_send
from community.services.social import follow_create
from groupbuy.models import Product
from tests.chat.conftest import client_for, member, order_for
from tests.factories import token_for
from tests.realtime.conftest import open_socket


def png(size=(800, 600)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- images ---------------------------------------------------------------------------------------


def test_image_message_is_stored_with_a_thumbnail_and_pushed(
    alice, bob, direct_room, media, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            f"/api/v1/rooms/{direct_room.id}/images/",
            {"image": png(), "client_msg_id": "img-1", "body": "the view"},
            format="multipart",
        )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["body"], data["seq"]) == ("image", "the view", 1)
    assert (data["image"]["width"], data["image"]["height"]) == (800, 600)
    assert data["image"]["thumbnail_url"] != data["image"]["url"]
    message = Message.objects.get()
    with Image.open(message.thumbnail.path) as thumb:
        assert max(thumb.size) == 360
    assert [(e[1], e[3]) for e in pushed if e[0].startswith("chat.")] == [
        ("chat.message.created", 1)
    ]
    assert pushed[0][2]["image"]["url"] == data["image"]["url"]


def test_retried_image_upload_returns_the_same_message(alice, direct_room, media):
    first = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/images/",
        {"image": png(), "client_msg_id": "img-2"},
        format="multipart",
    )
    again = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/images/",
        {"image": png(), "client_msg_id": "img-2"},
        format="multipart",
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1


def test_an_image_upload_that_loses_the_race_to_its_twin_leaves_no_files(alice, direct_room, media):
    from unittest import mock

    from chat.services import message_send_image

    # The twin request (same client_msg_id) committed between this one's retry check and its insert.
    message_send(actor=alice, room=direct_room, body="twin", client_msg_id="img-race")
    with mock.patch("chat.services.messages._retry_of", return_value=None):
        message, created = message_send_image(
            actor=alice, room=direct_room, image=png(), client_msg_id="img-race"
        )

    assert (created, message.body) == (False, "twin")
    assert files_under(media) == []


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (
            SimpleUploadedFile("x.png", b"<?php echo 1; ?>", content_type="image/png"),
            "invalid_image",
        ),
        (
            SimpleUploadedFile("x.gif", b"GIF89a" + b"\0" * 64, content_type="image/gif"),
            "invalid_image",
        ),
    ],
)
def test_non_images_are_refused_and_nothing_is_stored(alice, direct_room, media, payload, code):
    response = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/images/",
        {"image": payload, "client_msg_id": "bad"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Message.objects.count() == 0
    assert files_under(media) == []


def test_decompression_bomb_is_refused_and_nothing_is_stored(
    alice, direct_room, media, settings, monkeypatch
):
    # A 3000x3000 image over a 1-megapixel cap: refused before its pixels are decoded.
    monkeypatch.setattr("community.selectors.accounts.MAX_PIXELS", 1_000_000)
    out = io.BytesIO()
    Image.new("1", (3000, 3000)).save(out, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")

    response = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/images/",
        {"image": bomb, "client_msg_id": "bomb"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "image_too_large"
    assert Message.objects.count() == 0
    assert files_under(media) == []


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_image_upload_needs_membership(who, outsider, direct_room, media):
    client = client_for(outsider) if who == "outsider" else client_for(None)
    if who == "anonymous":
        client.force_authenticate(None)

    response = client.post(
        f"/api/v1/rooms/{direct_room.id}/images/",
        {"image": png(), "client_msg_id": "x"},
        format="multipart",
    )

    expected = (403, "not_a_member") if who == "outsider" else (401, "not_authenticated")
    assert (response.status_code, response.json()["code"]) == expected
    assert Message.objects.count() == 0 and files_under(media) == []


# --- cards ----------------------------------------------------------------------------------------


def test_product_card_shows_the_live_price_and_stock(alice, bob, direct_room, product):
    sent = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/",
        {"client_msg_id": "c1", "card": {"kind": "product", "id": product.pk}},
        format="json",
    )
    Product.objects.filter(pk=product.pk).update(price="15.50", stock=0)
    read = client_for(bob).get(f"/api/v1/rooms/{direct_room.id}/messages/?after_seq=0")

    assert sent.status_code == 201
    assert sent.json()["card"]["price"] == "19.90"
    card = read.json()["results"][0]["card"]
    assert (card["kind"], card["available"], card["price"], card["in_stock"]) == (
        "product",
        True,
        "15.50",
        False,
    )


def test_order_card_is_full_only_for_the_buyer_and_support(alice, bob, direct_room, product, agent):
    order = order_for(alice, product, 2)
    client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/",
        {"client_msg_id": "o1", "card": {"kind": "order", "id": order.pk}},
        format="json",
    )

    mine = client_for(alice).get(f"/api/v1/rooms/{direct_room.id}/messages/").json()
    theirs = client_for(bob).get(f"/api/v1/rooms/{direct_room.id}/messages/").json()

    full = mine["results"][0]["card"]
    assert (full["limited"], full["total"], full["items"]) == (
        False,
        str(order.total),
        [{"title": "Chili oil", "quantity": 2}],
    )
    limited = theirs["results"][0]["card"]
    assert limited["limited"] is True
    assert "total" not in limited and "items" not in limited
    from chat.selectors.messages import card_render

    assert card_render("order", order.pk, agent)["limited"] is False


@pytest.mark.parametrize(
    ("card", "code"),
    [
        ({"kind": "raffle", "id": 1}, "unknown_card_kind"),
        ({"kind": "team", "id": 999999}, "invalid_card"),
        ({"kind": "product", "id": 999999}, "invalid_card"),
        ({"kind": "order", "id": "ORDER"}, "validation_error"),
    ],
)
def test_bad_cards_are_refused_and_nothing_is_sent(alice, direct_room, card, code):
    response = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/",
        {"client_msg_id": "bad-card", "card": card},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert Message.objects.count() == 0


def test_someone_elses_order_cannot_be_shared(alice, bob, direct_room, product):
    order = order_for(bob, product)

    response = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/",
        {"client_msg_id": "steal", "card": {"kind": "order", "id": order.pk}},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_card")
    assert Message.objects.count() == 0


def test_a_card_kind_registered_later_works_without_other_changes(alice, direct_room):
    register_card(
        "raffle",
        render=lambda ref, viewer: {"title": f"Raffle {ref}", "tickets_left": 2},
        can_share=lambda ref, sender: ref == 7,
    )
    try:
        response = client_for(alice).post(
            f"/api/v1/rooms/{direct_room.id}/messages/",
            {"client_msg_id": "raffle", "card": {"kind": "raffle", "id": 7}},
            format="json",
        )
    finally:
        unregister_card("raffle")

    assert response.status_code == 201
    assert response.json()["card"] == {
        "kind": "raffle",
        "id": 7,
        "available": True,
        "title": "Raffle 7",
        "tickets_left": 2,
    }


def _page_with_cards(room, sender, buyer, distinct: int) -> int:
    """``distinct`` products, orders, coupons, storefronts and teams, each shared twice."""
    from decimal import Decimal

    from groupbuy.models import Coupon, Storefront
    from tests.groupbuy.orderflow import product as make_product
    from tests.groupbuy.teamflow import campaign
    from tests.groupbuy.teamflow import open_paid as open_team

    cards = []
    for n in range(distinct):
        goods = make_product(title=f"Tea {n}", price="10.00")
        cards += [("product", goods.pk), ("order", order_for(buyer, goods).pk)]
        coupon = Coupon.objects.create(title=f"¥{n + 1}", kind="amount", value=Decimal(n + 1))
        cards.append(("coupon", coupon.pk))
        owner = member(username=f"shop{room.pk}_{n}")
        shop = Storefront.objects.create(owner=owner, slug=f"s{room.pk}-{n}", title=f"Shop {n}")
        cards.append(("storefront", shop.pk))
        cards.append(
            ("team", open_team(member(username=f"lead{room.pk}_{n}"), campaign().pk).team.pk)
        )
    for n, card in enumerate(cards * 2):
        message_send(
            actor=sender,
            room=room,
            body="",
            client_msg_id=f"k{room.pk}-{n}",
            card=card,
            throttle=False,
        )
    return len(cards) * 2


def test_a_page_of_cards_costs_the_same_queries_for_2_or_10_different_objects(alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chat.services import room_direct_get_or_create

    counts = []
    for distinct, peer in ((2, bob), (10, member(username="dora"))):
        room, _ = room_direct_get_or_create(actor=alice, other=peer)
        sent = _page_with_cards(room, alice, alice, distinct)
        client = client_for(alice)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/api/v1/rooms/{room.id}/messages/?limit=100").json()["results"]
        assert len(page) == sent
        assert all(m["card"]["available"] for m in page), [m["card"] for m in page]
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


# --- reactions ------------------------------------------------------------------------------------


def test_reactions_are_unique_per_person_counted_and_pushed(
    alice, bob, direct_room, pushed, django_capture_on_commit_callbacks
):
    message, _ = message_send(actor=alice, room=direct_room, body="hi", client_msg_id="r1")
    url = f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/reactions/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client_for(bob).post(url, {"emoji": "👍"}, format="json")
        again = client_for(bob).post(url, {"emoji": "👍"}, format="json")
        alices = client_for(alice).post(url, {"emoji": "👍"}, format="json")
        listed = client_for(bob).get(f"/api/v1/rooms/{direct_room.id}/messages/").json()
        removed = client_for(bob).delete(f"{url}👍/")

    assert (first.status_code, first.json()) == (201, {"emoji": "👍", "count": 1})
    assert (again.status_code, again.json()["count"]) == (200, 1)
    assert alices.json()["count"] == 2
    assert listed["results"][0]["reactions"] == [{"emoji": "👍", "count": 2, "mine": True}]
    assert removed.status_code == 204
    assert Reaction.objects.count() == 1
    updates = [(e[2]["action"], e[2]["count"]) for e in pushed if e[1] == "chat.reaction.updated"]
    assert updates == [("added", 1), ("added", 2), ("removed", 1)]


@pytest.mark.parametrize("emoji", ["lol", "", "👍 👍", "x" * 17])
def test_a_reaction_must_be_one_emoji(alice, direct_room, emoji):
    message, _ = message_send(actor=alice, room=direct_room, body="hi", client_msg_id="r2")

    response = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/reactions/",
        {"emoji": emoji},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_emoji", "validation_error"}
    assert Reaction.objects.count() == 0


def test_non_members_cannot_react(alice, outsider, direct_room):
    message, _ = message_send(actor=alice, room=direct_room, body="hi", client_msg_id="r3")
    url = f"/api/v1/rooms/{direct_room.id}/messages/{message.id}/reactions/"

    response = client_for(outsider).post(url, {"emoji": "👍"}, format="json")
    anonymous = client_for(None)
    anonymous.force_authenticate(None)

    assert (response.status_code, response.json()["code"]) == (403, "not_a_member")
    assert anonymous.post(url, {"emoji": "👍"}, format="json").status_code == 401
    assert Reaction.objects.count() == 0


# --- presence -------------------------------------------------------------------------------------


def _online(client) -> dict[str, bool]:
    return {
        row["user"]["username"]: row["online"]
        for row in client.get("/api/v1/presence/").json()["results"]
    }


@pytest.mark.django_db(transaction=True)
async def test_presence_is_visible_to_contacts_only_and_ends_with_the_socket(
    alice, bob, carol, outsider
):
    from chat.services import room_direct_get_or_create

    await sync_to_async(follow_create)(actor=alice, followee=carol)
    await sync_to_async(follow_create)(actor=carol, followee=alice)
    await sync_to_async(follow_create)(actor=outsider, followee=alice)  # one-way: not a contact
    await sync_to_async(room_direct_get_or_create)(actor=bob, other=alice)

    socket = await open_socket(await sync_to_async(token_for)(alice))
    as_carol = await sync_to_async(_online)(client_for(carol))
    as_bob = await sync_to_async(_online)(client_for(bob))
    as_outsider = await sync_to_async(_online)(client_for(outsider))
    await socket.disconnect()
    after = await sync_to_async(_online)(client_for(carol))

    assert as_carol == {"alice": True}
    assert as_bob == {"alice": True}
    assert as_outsider == {}
    assert after == {"alice": False}


@pytest.mark.django_db(transaction=True)
async def test_presence_expires_without_pings(alice, carol, settings):
    settings.CHAT_PRESENCE_TTL_SECONDS = 1
    await sync_to_async(follow_create)(actor=alice, followee=carol)
    await sync_to_async(follow_create)(actor=carol, followee=alice)

    socket = await open_socket(await sync_to_async(token_for)(alice))
    import asyncio

    await asyncio.sleep(1.3)
    expired = await sync_to_async(_online)(client_for(carol))
    await socket.send_json_to({"action": "ping"})
    await socket.receive_json_from(timeout=5)
    refreshed = await sync_to_async(_online)(client_for(carol))
    await socket.disconnect()

    assert (expired, refreshed) == ({"alice": False}, {"alice": True})


def test_presence_needs_sign_in(api_client):
    assert api_client.get("/api/v1/presence/").json()["code"] == "not_authenticated"
