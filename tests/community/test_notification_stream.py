"""The inbox as a durable stream: live pushes with seq, gap-fill after a reconnect, exact seqs."""

import pytest
from asgiref.sync import sync_to_async

from community.models import Notification
from community.services import checkin_perform, notification_send
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_notification_is_pushed_live_with_its_seq(user, token):
    socket = await open_socket(token)

    await sync_to_async(notification_send)(
        user_id=user.pk, type="follow", title="Lily followed you"
    )
    event = await socket.receive_json_from(timeout=5)

    assert event["type"] == "community.notification.created"
    assert (event["topic"], event["seq"]) == (f"user:{user.pk}", 1)
    assert event["data"]["title"] == "Lily followed you"
    await socket.disconnect()


async def test_reconnect_with_after_seq_recovers_missed_notifications(user, token):
    socket = await open_socket(token)
    await sync_to_async(notification_send)(user_id=user.pk, type="follow", title="one")
    assert (await socket.receive_json_from(timeout=5))["seq"] == 1
    await socket.disconnect()

    for title in ("two", "three", "four"):
        await sync_to_async(notification_send)(user_id=user.pk, type="follow", title=title)
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": f"user:{user.pk}", "after_seq": 1})

    assert (await socket.receive_json_from(timeout=5))["type"] == "realtime.subscribed"
    replayed = [await socket.receive_json_from(timeout=5) for _ in range(3)]
    assert [(e["seq"], e["data"]["title"]) for e in replayed] == [
        (2, "two"),
        (3, "three"),
        (4, "four"),
    ]
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_checkin_pushes_the_new_balance(user, token):
    socket = await open_socket(token)

    await sync_to_async(checkin_perform)(user_id=user.pk)

    events = [await socket.receive_json_from(timeout=5) for _ in range(2)]
    balances = [e["data"]["balance"] for e in events if e["type"] == "community.points.changed"]
    assert balances == [10, 15]  # the check-in, then the daily task


@needs_postgres
def test_concurrent_notifications_get_distinct_consecutive_seqs(user):
    run_concurrently(lambda i: notification_send(user_id=user.pk, type="follow", title=f"n{i}"), 12)

    seqs = sorted(Notification.objects.filter(user=user).values_list("seq", flat=True))
    assert seqs == list(range(1, 13))
