"""publish.py: pushes and tasks leave only when the transaction commits."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import Client

from community.models import User
from realtime.publish import enqueue_on_commit, send_to_user_on_commit
from realtime.relay import SIGNATURE_HEADER, sign
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def _write_and_announce(user_id: int, *, fail: bool) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user_id).update(bio="changed")
        send_to_user_on_commit(user_id, "community.profile.updated", {"bio": "changed"})
        if fail:
            raise Boom


async def test_push_is_sent_after_commit(user, token):
    socket = await open_socket(token)

    await sync_to_async(_write_and_announce)(user.id, fail=False)

    event = await socket.receive_json_from(timeout=5)
    assert event["type"] == "community.profile.updated"
    assert event["topic"] == f"user:{user.id}"
    await socket.disconnect()


async def test_nothing_is_sent_when_the_transaction_rolls_back(user, token):
    socket = await open_socket(token)

    with pytest.raises(Boom):
        await sync_to_async(_write_and_announce)(user.id, fail=True)

    assert await socket.receive_nothing(timeout=0.5)
    await user.arefresh_from_db()
    assert user.bio == ""
    await socket.disconnect()


@pytest.mark.django_db(transaction=False)
def test_enqueue_on_commit_queues_only_committed_work(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as committed, transaction.atomic():
        enqueue_on_commit("community.tasks.clear_expired_sessions")
    with (
        django_capture_on_commit_callbacks() as rolled_back,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        enqueue_on_commit("community.tasks.clear_expired_sessions")
        raise Boom

    assert len(committed) == 1
    assert rolled_back == []


def test_enqueue_on_commit_refuses_an_unknown_task_name_at_once():
    with pytest.raises(KeyError):
        enqueue_on_commit("community.tasks.no_such_task")


# --- the embedded-mode relay (worker -> daphne) ------------------------------------------------


def _relay_body(user_id: int) -> bytes:
    return json.dumps(
        {
            "group": f"topic.user-{user_id}",
            "message": {
                "type": "realtime.event",
                "event": {
                    "type": "x.relayed.sent",
                    "topic": f"user:{user_id}",
                    "seq": None,
                    "data": {},
                },
            },
        }
    ).encode()


async def test_signed_relay_reaches_the_socket(user, token, mounted_relay):
    socket = await open_socket(token)
    body = _relay_body(user.id)

    response = await sync_to_async(Client().post)(
        "/internal/realtime/relay",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    )

    assert response.status_code == 204
    assert (await socket.receive_json_from(timeout=5))["type"] == "x.relayed.sent"
    await socket.disconnect()


async def test_relay_with_a_bad_signature_is_refused_and_delivers_nothing(
    user, token, mounted_relay
):
    socket = await open_socket(token)
    body = _relay_body(user.id)

    response = await sync_to_async(Client().post)(
        "/internal/realtime/relay",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: "0" * 64},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "bad_signature"
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


def test_relay_refuses_malformed_body(mounted_relay):
    body = b'{"group": "x"}'

    response = Client().post(
        "/internal/realtime/relay",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    )

    assert response.status_code == 400


def test_a_state_snapshot_is_built_after_commit_and_never_for_a_rollback(user, monkeypatch):
    from realtime.publish import broadcast_state_on_commit

    sent: list = []
    monkeypatch.setattr(
        "realtime.publish.broadcast_now",
        lambda topic, event_type, data, seq=None: sent.append((topic, event_type, data, seq)),
    )

    def read_bio():
        return {"bio": User.objects.get(pk=user.pk).bio}

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(bio="committed")
        broadcast_state_on_commit("test:1", "test.state.updated", read_bio)
        assert sent == []  # nothing built or sent inside the transaction
    with pytest.raises(Boom), transaction.atomic():
        User.objects.filter(pk=user.pk).update(bio="rolled back")
        broadcast_state_on_commit("test:1", "test.state.updated", read_bio)
        raise Boom

    assert sent == [("test:1", "test.state.updated", {"bio": "committed"}, None)]
