"""Moderation over the socket: a ban closes the member's open sockets, and the live queue topic
is for moderators only and tells them when items arrive or are claimed."""

import pytest
from asgiref.sync import sync_to_async

from community.models import ModerationItem
from community.services import role_grant
from community.services.moderation.decisions import item_claim, item_decide
from community.services.moderation.reports import report_create
from realtime.consumers import CLOSE_ACCESS_ENDED
from tests.factories import UserFactory, token_for
from tests.realtime.conftest import communicator, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def _reported_member():
    author = UserFactory(username="spammer")
    report_create(reporter=UserFactory(), target_type="user", target_id=author.pk, category="spam")
    return author, ModerationItem.objects.get(target_id=author.pk)


async def test_a_ban_closes_the_members_open_socket_and_the_token_no_longer_connects(moderator):
    author, item = await sync_to_async(_reported_member)()
    token = await sync_to_async(token_for)(author)
    socket = await open_socket(token)

    await sync_to_async(item_decide)(
        moderator=moderator, item_id=item.pk, action="ban", reason="Scam", version=item.version
    )

    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_ACCESS_ENDED}
    again = communicator(headers=[(b"authorization", f"Token {token}".encode())])
    connected, _ = await again.connect(timeout=5)
    assert connected is False


async def test_only_moderators_may_watch_the_queue_and_they_see_claims_live(moderator):
    member = await sync_to_async(UserFactory)()
    member_socket = await open_socket(await sync_to_async(token_for)(member))
    await member_socket.send_json_to({"action": "subscribe", "topic": "moderation.queue"})
    refused = await member_socket.receive_json_from(timeout=5)
    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")
    await member_socket.disconnect()

    console = await open_socket(await sync_to_async(token_for)(moderator))
    await console.send_json_to({"action": "subscribe", "topic": "moderation.queue"})
    assert (await console.receive_json_from(timeout=5))["type"] == "realtime.subscribed"

    _author, item = await sync_to_async(_reported_member)()
    arrived = await console.receive_json_from(timeout=5)
    other = await sync_to_async(UserFactory)(username="second_mod")
    await sync_to_async(role_grant)(actor=None, user=other, role="moderator")
    await sync_to_async(item_claim)(moderator=other, item_id=item.pk)
    claimed = await console.receive_json_from(timeout=5)

    assert arrived["type"] == "moderation.item.changed"
    assert arrived["data"]["id"] == item.pk and arrived["data"]["status"] == "pending"
    assert (claimed["data"]["status"], claimed["data"]["claimed_by"]) == ("claimed", "second_mod")
    await console.disconnect()
