"""The support desk: the FAQ bot, the queue order, claim/transfer/close/rate, feedback points,
and who may do what (member / outsider / agent / staff / anonymous)."""

import threading

import pytest
from django.db import transaction

from chat.models import (
    FaqEntry,
    Feedback,
    Message,
    RoomMember,
    SupportConversation,
    SupportStatus,
)
from chat.services.support import support_claim, support_conversation_open
from community.models import PointsEntry, User
from tests.backends import needs_postgres
from tests.chat.conftest import client_for, grant, member, order_for
from tests.concurrency import run_concurrently

URL = "/api/v1/support/conversations/"


@pytest.fixture
def faq(db):
    return FaqEntry.objects.create(
        question="Where is my parcel?",
        answer="Parcels ship within 48 hours; tracking is on the order page.",
        keywords="parcel, shipping, 快递, where is my order",
    )


def _open(user, body="Where is my parcel?", **extra):
    response = client_for(user).post(URL, {"body": body, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _room_bodies(conversation_id: int) -> list[tuple[str, str]]:
    room = SupportConversation.objects.get(pk=conversation_id).room_id
    return [(m.kind, m.body) for m in Message.objects.filter(room_id=room).order_by("seq")]


def test_faq_bot_answers_from_staff_entries_and_offers_a_person(alice, faq):
    data = _open(alice, "hi, where is my parcel??")

    assert data["status"] == "bot"
    kinds = _room_bodies(data["id"])
    assert kinds[0] == ("text", "hi, where is my parcel??")
    assert kinds[1][0] == "bot"
    assert faq.answer in kinds[1][1] and "Talk to a person" in kinds[1][1]

    handed = client_for(alice).post(f"{URL}{data['id']}/handoff/")
    assert (handed.status_code, handed.json()["status"]) == (200, "waiting")


def test_a_retried_open_with_the_same_client_msg_id_is_the_same_conversation(alice, faq):
    first = client_for(alice).post(
        URL, {"body": "where is my parcel?", "client_msg_id": "open-1"}, format="json"
    )
    again = client_for(alice).post(
        URL, {"body": "where is my parcel?", "client_msg_id": "open-1"}, format="json"
    )

    assert first.status_code == 201
    assert again.status_code in (200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert SupportConversation.objects.filter(member=alice).count() == 1
    assert all(c.room.messages.exists() for c in SupportConversation.objects.all())


def test_no_faq_match_goes_straight_to_the_queue(alice, faq):
    data = _open(alice, "my coupon vanished")

    assert data["status"] == "waiting"
    assert _room_bodies(data["id"])[1][0] == "bot"


def test_the_bot_answers_each_follow_up_until_it_cannot_then_hands_over(alice, faq):
    FaqEntry.objects.create(
        question="Can I return it?", answer="Returns are free within 7 days.", keywords="return"
    )
    data = _open(alice, "where is my parcel?")
    room = SupportConversation.objects.get(pk=data["id"]).room_id

    follow_up = client_for(alice).post(
        f"/api/v1/rooms/{room}/messages/",
        {"body": "and can I return it?", "client_msg_id": "f1"},
        format="json",
    )
    unknown = client_for(alice).post(
        f"/api/v1/rooms/{room}/messages/",
        {"body": "my coupon vanished", "client_msg_id": "f2"},
        format="json",
    )

    assert (follow_up.status_code, unknown.status_code) == (201, 201)
    bodies = _room_bodies(data["id"])
    assert [kind for kind, _ in bodies] == ["text", "bot", "text", "bot", "text", "bot"]
    assert "Returns are free within 7 days." in bodies[3][1]
    assert SupportConversation.objects.get(pk=data["id"]).status == SupportStatus.WAITING


def test_the_bot_is_quiet_once_a_person_has_the_conversation(alice, faq, agent):
    data = _open(alice, "where is my parcel?")
    conversation = SupportConversation.objects.get(pk=data["id"])
    client_for(alice).post(f"{URL}{data['id']}/handoff/")
    conversation.refresh_from_db()
    support_claim(actor=agent, conversation=conversation)

    client_for(alice).post(
        f"/api/v1/rooms/{conversation.room_id}/messages/",
        {"body": "parcel parcel parcel", "client_msg_id": "f3"},
        format="json",
    )

    assert [kind for kind, _ in _room_bodies(data["id"])] == ["text", "bot", "text"]


def test_edited_faq_entries_change_the_bot_answer(alice, faq):
    faq.answer = "New answer: ask the courier."
    faq.save()

    data = _open(alice, "parcel?")

    assert "New answer: ask the courier." in _room_bodies(data["id"])[1][1]


def test_conversation_about_an_order_must_be_the_members_own(alice, bob, product):
    bobs = order_for(bob, product)
    alices = order_for(alice, product)

    refused = client_for(alice).post(URL, {"body": "refund?", "order": bobs.pk}, format="json")
    opened = _open(alice, "refund?", order=alices.pk)

    assert (refused.status_code, refused.json()["code"]) == (400, "not_your_order")
    assert SupportConversation.objects.count() == 1
    assert opened["order"] == alices.pk
    first = Message.objects.get(room_id=opened["room"], seq=1)
    assert (first.card_kind, first.card_ref) == ("order", alices.pk)


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_bad_opening_messages_are_refused(alice, body):
    response = client_for(alice).post(URL, {"body": body}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert SupportConversation.objects.count() == 0


def test_anonymous_cannot_open_or_list(api_client, db):
    assert api_client.post(URL, {"body": "hi"}, format="json").status_code == 401
    assert api_client.get(URL).status_code == 401
    assert api_client.get("/api/v1/support/queue/").status_code == 401
    assert SupportConversation.objects.count() == 0


def test_queue_is_platinum_first_then_oldest_and_agents_only(alice, bob, carol, agent):
    User.objects.filter(pk=carol.pk).update(tier="platinum")
    carol.refresh_from_db()
    first = _open(alice, "help 1")
    second = _open(bob, "help 2")
    platinum = _open(carol, "help 3")

    queue = client_for(agent).get("/api/v1/support/queue/")
    refused = client_for(alice).get("/api/v1/support/queue/")

    assert [row["id"] for row in queue.json()["results"]] == [
        platinum["id"],
        first["id"],
        second["id"],
    ]
    assert queue.json()["results"][0]["first_message"] == "help 3"
    assert (refused.status_code, refused.json()["code"]) == (403, "not_an_agent")


def test_claim_transfer_close_and_rate(alice, agent, agent2):
    data = _open(alice, "help")
    cid, room = data["id"], data["room"]

    claimed = client_for(agent).post(f"{URL}{cid}/claim/")
    second = client_for(agent2).post(f"{URL}{cid}/claim/")
    reply = client_for(agent).post(
        f"/api/v1/rooms/{room}/messages/", {"body": "Hi, I'm Ann", "client_msg_id": "a1"}
    )
    moved = client_for(agent).post(f"{URL}{cid}/transfer/", {"agent": "agent_ben"})
    old_agent_reads = client_for(agent).get(f"/api/v1/rooms/{room}/messages/")
    early_rate = client_for(alice).post(f"{URL}{cid}/rate/", {"rating": 5})
    closed = client_for(agent2).post(f"{URL}{cid}/close/")
    after_close = client_for(alice).post(
        f"/api/v1/rooms/{room}/messages/", {"body": "one more", "client_msg_id": "m9"}
    )
    rated = client_for(alice).post(f"{URL}{cid}/rate/", {"rating": 4, "feedback": "quick"})
    again = client_for(alice).post(f"{URL}{cid}/rate/", {"rating": 1})

    assert (claimed.status_code, claimed.json()["agent"]["username"]) == (200, "agent_ann")
    assert (second.status_code, second.json()["code"]) == (409, "already_claimed")
    assert reply.status_code == 201
    assert moved.json()["agent"]["username"] == "agent_ben"
    assert (old_agent_reads.status_code, old_agent_reads.json()["code"]) == (403, "not_a_member")
    assert (early_rate.status_code, early_rate.json()["code"]) == (409, "invalid_state")
    assert closed.json()["status"] == "closed"
    assert (after_close.status_code, after_close.json()["code"]) == (409, "conversation_closed")
    assert (rated.json()["rating"], rated.json()["rating_feedback"]) == (4, "quick")
    assert (again.status_code, again.json()["code"]) == (409, "already_rated")
    assert SupportConversation.objects.get(pk=cid).rating == 4


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_rating_must_be_one_to_five(alice, agent, rating):
    data = _open(alice, "help")
    client_for(agent).post(f"{URL}{data['id']}/claim/")
    client_for(alice).post(f"{URL}{data['id']}/close/")

    response = client_for(alice).post(f"{URL}{data['id']}/rate/", {"rating": rating})

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert SupportConversation.objects.get().rating is None


def test_permission_matrix_for_conversation_actions(alice, outsider, agent, agent2, staffer):
    data = _open(alice, "help")
    cid = data["id"]

    # An outsider sees nothing and changes nothing.
    for path in ("", "handoff/", "claim/", "close/", "rate/"):
        method = "get" if path == "" else "post"
        response = getattr(client_for(outsider), method)(f"{URL}{cid}/{path}")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    # A member cannot claim their own; staff without the agent role cannot either.
    assert client_for(alice).post(f"{URL}{cid}/claim/").json()["code"] == "not_an_agent"
    assert client_for(staffer).post(f"{URL}{cid}/claim/").status_code == 403
    # An agent may look at it before claiming, but not read its messages or subscribe.
    assert client_for(agent).get(f"{URL}{cid}/").status_code == 200
    assert client_for(agent).get(f"/api/v1/rooms/{data['room']}/messages/").status_code == 403
    # Only the assigned agent transfers; only to an agent.
    client_for(agent).post(f"{URL}{cid}/claim/")
    stolen = client_for(agent2).post(f"{URL}{cid}/transfer/", {"agent": "agent_ben"})
    to_member = client_for(agent).post(f"{URL}{cid}/transfer/", {"agent": "mallory"})
    assert (stolen.status_code, stolen.json()["code"]) == (409, "invalid_state")
    assert (to_member.status_code, to_member.json()["code"]) == (403, "not_an_agent")
    assert client_for(agent2).post(f"{URL}{cid}/close/").status_code == 403
    assert client_for(agent).get(f"{URL}999999/").status_code == 404
    conversation = SupportConversation.objects.get(pk=cid)
    assert (conversation.status, conversation.agent_id) == ("claimed", agent.pk)
    assert set(
        RoomMember.objects.filter(room_id=data["room"]).values_list("user_id", flat=True)
    ) == {
        alice.pk,
        agent.pk,
    }


@pytest.mark.django_db(transaction=True)
async def test_non_member_cannot_subscribe_to_a_support_room(alice, agent, outsider):
    from asgiref.sync import sync_to_async

    from tests.factories import token_for
    from tests.realtime.conftest import open_socket

    conversation = await sync_to_async(support_conversation_open)(actor=alice, body="help")
    results = {}
    for name, user in (("outsider", outsider), ("agent", agent), ("alice", alice)):
        socket = await open_socket(await sync_to_async(token_for)(user))
        await socket.send_json_to(
            {"action": "subscribe", "topic": f"chat.room:{conversation.room_id}"}
        )
        reply = await socket.receive_json_from(timeout=5)
        results[name] = reply.get("code", reply["type"])
        await socket.disconnect()

    assert results == {
        "outsider": "forbidden",
        "agent": "forbidden",  # not before claiming it
        "alice": "realtime.subscribed",
    }


# --- the claim race -------------------------------------------------------------------------------


def _naive_claim(agent_id: int, conversation_id: int, all_read: threading.Barrier) -> bool:
    """Check, then act: the bug the real service avoids."""
    with transaction.atomic():
        row = SupportConversation.objects.get(pk=conversation_id)
        all_read.wait(timeout=30)  # every agent has read "waiting" before anyone writes
        if row.status != SupportStatus.WAITING:
            return False
        row.status, row.agent_id = SupportStatus.CLAIMED, agent_id
        row.save(update_fields=["status", "agent"])
        return True


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_many_concurrent_claims_wins():
    owner = member(username="racer")
    agents = [grant(member(username=f"agent{i}"), "support_agent") for i in range(8)]
    conversation = support_conversation_open(actor=owner, body="race me")
    assert conversation.status == "waiting"

    results = run_concurrently(
        lambda i: support_claim(actor=agents[i], conversation=conversation), len(agents)
    )

    winners = [r for r in results if isinstance(r, SupportConversation)]
    losers = [r for r in results if not isinstance(r, SupportConversation)]
    assert len(winners) == 1
    assert {type(r).__name__ for r in losers} == {"AlreadyClaimedError"}
    conversation.refresh_from_db()
    assert conversation.agent_id == winners[0].agent_id
    # Only the winner joined the room.
    assert RoomMember.objects.filter(room_id=conversation.room_id).count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_naive_claim_control_lets_several_agents_win():
    owner = member(username="racer2")
    agents = [grant(member(username=f"naive{i}"), "support_agent") for i in range(8)]
    conversation = support_conversation_open(actor=owner, body="race me")

    all_read = threading.Barrier(len(agents))
    results = run_concurrently(
        lambda i: _naive_claim(agents[i].pk, conversation.pk, all_read), len(agents)
    )

    # The control must fail: without the conditional update several agents "win" the claim.
    assert results.count(True) > 1


# --- feedback -------------------------------------------------------------------------------------


def test_feedback_accepted_by_staff_awards_points_once(alice, staffer, product):
    sent = client_for(alice).post(
        "/api/v1/feedback/", {"body": "Bottle leaks", "product": product.pk}, format="json"
    )
    fid = sent.json()["id"]

    accepted = client_for(staffer).post(f"/api/v1/feedback/{fid}/accept/")
    again = client_for(staffer).post(f"/api/v1/feedback/{fid}/accept/")
    rejected_after = client_for(staffer).post(f"/api/v1/feedback/{fid}/reject/")

    assert sent.status_code == 201
    assert (accepted.status_code, accepted.json()["points_awarded"]) == (200, 50)
    assert again.status_code == 200
    assert (rejected_after.status_code, rejected_after.json()["code"]) == (409, "already_reviewed")
    assert PointsEntry.objects.filter(user=alice, source_type="feedback").count() == 1
    alice.refresh_from_db()
    assert alice.points_balance == 50


def test_feedback_permissions_and_bad_input(alice, bob, api_client):
    fid = client_for(alice).post("/api/v1/feedback/", {"body": "x"}, format="json").json()["id"]

    member_accept = client_for(bob).post(f"/api/v1/feedback/{fid}/accept/")
    anonymous = api_client.post("/api/v1/feedback/", {"body": "x"}, format="json")
    blank = client_for(alice).post("/api/v1/feedback/", {"body": "  "}, format="json")
    ghost = client_for(alice).post(
        "/api/v1/feedback/", {"body": "x", "product": 99999}, format="json"
    )
    bobs_list = client_for(bob).get("/api/v1/feedback/").json()["results"]

    assert (member_accept.status_code, member_accept.json()["code"]) == (403, "permission_denied")
    assert anonymous.status_code == 401
    assert (blank.status_code, ghost.status_code) == (400, 400)
    assert bobs_list == []
    assert Feedback.objects.get().status == "new"
    assert Feedback.objects.count() == 1
    assert PointsEntry.objects.filter(user=alice).count() == 0
