"""What chat tells insights: messages sent and support ratings, once their transaction commits."""

import pytest
from django.db import transaction

from chat.services import message_send
from chat.services.support import (
    support_claim,
    support_close,
    support_conversation_open,
    support_rate,
)
from community.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block queued on commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_sent_message_is_recorded_once_even_when_retried(committed, direct_room, alice):
    with committed():
        message_send(actor=alice, room=direct_room, body="hi", client_msg_id="m1")
        message_send(actor=alice, room=direct_room, body="hi", client_msg_id="m1")  # a retry

    [event] = Event.objects.filter(name="chat_message")
    assert (event.user_id, event.properties) == (
        alice.pk,
        {"room_id": direct_room.pk, "room_kind": "direct", "message_kind": "text"},
    )


def test_a_message_rolled_back_records_nothing(committed, group_room, alice):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        message_send(actor=alice, room=group_room, body="hello all", client_msg_id="m2")
        raise RuntimeError("the request failed after the message was stored")

    assert not Event.objects.filter(name="chat_message").exists()


def test_a_support_rating_is_recorded_with_satisfaction(committed, alice, agent):
    conversation = support_conversation_open(actor=alice, body="Where is my parcel?")
    support_claim(actor=agent, conversation=conversation)
    support_close(actor=agent, conversation=conversation)

    with committed():
        support_rate(actor=alice, conversation=conversation, rating=5, feedback="Quick!")

    [event] = Event.objects.filter(name="support_rating")
    assert (event.user_id, event.properties) == (
        alice.pk,
        {"conversation_id": conversation.pk, "rating": 5, "satisfied": True},
    )
