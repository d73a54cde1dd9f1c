"""Chat pages render from selectors and refuse what the API refuses."""

import pytest
from django.test import Client

from chat.services import message_send

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_room_list_shows_unread_badges(alice, bob, direct_room):
    message_send(actor=bob, room=direct_room, body="ping", client_msg_id="p")

    response = _browser(alice).get("/chat/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-room-row="{direct_room.id}"' in html
    assert 'data-unread="1"' in html
    assert "ping" in html


def test_room_page_matrix(client, alice, outsider, direct_room):
    anonymous = client.get(f"/chat/{direct_room.id}/")
    stranger = _browser(outsider).get(f"/chat/{direct_room.id}/")
    unknown = _browser(alice).get("/chat/999999/")
    member = _browser(alice).get(f"/chat/{direct_room.id}/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert stranger.status_code == 403
    assert unknown.status_code == 404
    assert member.status_code == 200
    assert f'data-chat-room="{direct_room.id}"' in member.content.decode()


def test_new_chat_page_names_the_person(alice):
    response = _browser(alice).get("/chat/new/?user=bob")
    empty = _browser(alice).get("/chat/new/")

    assert response.status_code == 200
    assert 'data-chat-new="bob"' in response.content.decode()
    assert (empty.status_code, empty["Location"]) == (302, "/chat/")
