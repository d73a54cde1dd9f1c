"""Per-room seq under real concurrency on PostgreSQL, with a naive control that must fail."""

import threading

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Max

from chat.models import Message, Room
from chat.services import message_send, room_direct_get_or_create
from tests.backends import needs_postgres
from tests.chat.conftest import member
from tests.concurrency import run_concurrently

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def test_forty_concurrent_sends_get_seqs_one_to_forty(group_room, settings):
    settings.CHAT_FLOOD_MAX_MESSAGES = 1000
    senders = [member() for _ in range(40)]
    Room.objects.get(pk=group_room.pk).members.bulk_create(
        [group_room.members.model(room=group_room, user=u) for u in senders]
    )

    results = run_concurrently(
        lambda i: message_send(
            actor=senders[i], room=group_room, body=f"m{i}", client_msg_id=f"c{i}"
        ),
        40,
    )

    assert not [r for r in results if isinstance(r, Exception)]
    seqs = sorted(Message.objects.filter(room=group_room).values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    assert Room.objects.get(pk=group_room.pk).last_seq == 40
    # Commit order is seq order: message ids (insert order under the lock) follow the seqs.
    by_seq = list(
        Message.objects.filter(room=group_room).order_by("seq").values_list("id", flat=True)
    )
    assert by_seq == sorted(by_seq)


def test_naive_max_plus_one_control_collides(group_room):
    senders = [member() for _ in range(10)]
    between_read_and_insert = threading.Barrier(10)

    def naive_send(i: int):
        with transaction.atomic():
            top = Message.objects.filter(room=group_room).aggregate(top=Max("seq"))["top"] or 0
            between_read_and_insert.wait(timeout=30)
            return Message.objects.create(
                room=group_room, seq=top + 1, sender=senders[i], body="x", client_msg_id=f"n{i}"
            )

    results = run_concurrently(naive_send, 10)

    # The bug: everyone read the same max, so all but one insert collide on (room, seq).
    assert sum(isinstance(r, IntegrityError) for r in results) == 9
    assert Message.objects.filter(room=group_room).count() == 1


def test_concurrent_direct_room_requests_make_one_room(alice, bob):
    results = run_concurrently(
        lambda i: room_direct_get_or_create(
            actor=alice if i % 2 else bob, other=bob if i % 2 else alice
        ),
        8,
    )

    rooms = {room.pk for room, _ in results}
    assert len(rooms) == 1
    assert sum(created for _, created in results) == 1
    assert Room.objects.filter(kind="direct").count() == 1


def test_concurrent_retries_of_one_client_msg_id_make_one_message(alice, direct_room):
    results = run_concurrently(
        lambda _: message_send(actor=alice, room=direct_room, body="once", client_msg_id="same"), 6
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({message.pk for message, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Room.objects.get(pk=direct_room.pk).last_seq == 1
