"""A group-buy team has a chat room that follows its seats, and teams can be shared as cards."""

import pytest

from chat.models import Message, Room, RoomMember
from groupbuy.services import order_cancel, team_join, team_open
from tests.chat.conftest import client_for, member
from tests.groupbuy.orderflow import staff_member
from tests.groupbuy.teamflow import campaign

pytestmark = pytest.mark.django_db


def _members(room) -> set[int]:
    return set(RoomMember.objects.filter(room=room).values_list("user_id", flat=True))


def test_the_team_room_is_made_on_opening_and_follows_joins_and_leaves(
    django_capture_on_commit_callbacks,
):
    deal = campaign(staff_member(), team_size=3)
    lead, joiner, quitter = member(), member(), member()

    with django_capture_on_commit_callbacks(execute=True):
        team = team_open(actor=lead, campaign_id=deal.pk).team
    room = Room.objects.get(team_id=team.pk)
    assert (room.kind, _members(room)) == ("team", {lead.pk})
    assert deal.title in room.title and lead.public_name in room.title  # tells teams apart

    with django_capture_on_commit_callbacks(execute=True):
        team_join(actor=joiner, team_id=team.pk)
        seat = team_join(actor=quitter, team_id=team.pk)
    assert _members(room) == {lead.pk, joiner.pk, quitter.pk}

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=seat.order.pk, reason="buyer_cancelled", actor=quitter)
    assert _members(room) == {lead.pk, joiner.pk}

    said = client_for(joiner).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"body": "hi team", "client_msg_id": "t1"}
    )
    outsider = client_for(quitter).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"body": "let me in", "client_msg_id": "t2"}
    )
    assert said.status_code == 201
    assert (outsider.status_code, outsider.json()["code"]) == (403, "not_a_member")
    assert Message.objects.filter(room=room).count() == 1


def test_a_team_card_shows_the_live_seats(alice, direct_room):
    deal = campaign(staff_member(), team_size=3)
    team = team_open(actor=alice, campaign_id=deal.pk).team

    sent = client_for(alice).post(
        f"/api/v1/rooms/{direct_room.id}/messages/",
        {"client_msg_id": "card", "card": {"kind": "team", "id": team.pk}},
        format="json",
    )
    team_join(actor=member(), team_id=team.pk)
    read = client_for(alice).get(f"/api/v1/rooms/{direct_room.id}/messages/?after_seq=0")

    assert sent.status_code == 201
    assert sent.json()["card"]["seats_left"] == 2
    card = (
        read.json()["results"][-1]["card"] if "results" in read.json() else read.json()[-1]["card"]
    )
    assert (card["seats_left"], card["url"]) == (1, f"/teams/{team.pk}/")
