"""groupbuy.team:<id> and groupbuy.campaign:<id> over the real ASGI application."""

import pytest
from asgiref.sync import sync_to_async

from groupbuy.services import team_join, team_open
from tests.factories import UserFactory, token_for
from tests.groupbuy.orderflow import staff_member
from tests.groupbuy.teamflow import campaign, pay
from tests.realtime.conftest import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def _socket_for(user):
    return await open_socket(await sync_to_async(token_for)(user))


async def _subscribe(socket, topic: str, after_seq: int | None = None) -> dict:
    frame = {"action": "subscribe", "topic": topic}
    if after_seq is not None:
        frame["after_seq"] = after_seq
    await socket.send_json_to(frame)
    return await socket.receive_json_from(timeout=5)


async def _frames(socket, count: int) -> list[dict]:
    return [await socket.receive_json_from(timeout=10) for _ in range(count)]


def _two_seat_team():
    deal = campaign(staff_member(), team_size=2)
    leader = UserFactory(username="leader")
    seat = team_open(actor=leader, campaign_id=deal.pk)
    pay(seat.order)
    return deal, seat.team


async def test_a_watcher_sees_joined_then_succeeded_in_order_with_server_time():
    _deal, team = await sync_to_async(_two_seat_team)()
    watcher = await sync_to_async(UserFactory)()
    socket = await _socket_for(watcher)
    subscribed = await _subscribe(socket, f"groupbuy.team:{team.pk}")
    assert subscribed["type"] == "realtime.subscribed"

    def join_and_pay():
        joiner = UserFactory(username="joiner")
        pay(team_join(actor=joiner, team_id=team.pk).order)

    await sync_to_async(join_and_pay)()
    frames = await _frames(socket, 3)

    assert [(f["type"], f["seq"]) for f in frames] == [
        ("groupbuy.team.joined", 3),
        ("groupbuy.team.member_paid", 4),
        ("groupbuy.team.succeeded", 5),
    ]
    assert frames[0]["data"]["team"]["seats_left"] == 0
    assert [m["username"] for m in frames[0]["data"]["team"]["members"]] == ["leader", "joiner"]
    assert frames[2]["data"]["team"]["status"] == "succeeded"
    assert all(f["data"]["server_time"] for f in frames)
    await socket.disconnect()


async def test_a_reconnect_with_after_seq_recovers_missed_team_events():
    _deal, team = await sync_to_async(_two_seat_team)()
    watcher = await sync_to_async(UserFactory)()
    socket = await _socket_for(watcher)
    await _subscribe(socket, f"groupbuy.team:{team.pk}")
    await socket.disconnect()  # the page lost its connection after seq 2 (opened, paid)

    def join_and_pay():
        pay(team_join(actor=UserFactory(), team_id=team.pk).order)

    await sync_to_async(join_and_pay)()
    socket = await _socket_for(watcher)
    subscribed = await _subscribe(socket, f"groupbuy.team:{team.pk}", after_seq=2)
    frames = await _frames(socket, 3)

    assert subscribed["type"] == "realtime.subscribed"
    assert [f["seq"] for f in frames] == [3, 4, 5]
    assert frames[-1]["type"] == "groupbuy.team.succeeded"
    await socket.disconnect()


async def test_unknown_teams_and_campaigns_are_refused():
    watcher = await sync_to_async(UserFactory)()
    socket = await _socket_for(watcher)

    team = await _subscribe(socket, "groupbuy.team:999999")
    bad = await _subscribe(socket, "groupbuy.team:abc")
    camp = await _subscribe(socket, "groupbuy.campaign:999999")

    assert [(f["type"], f["code"]) for f in (team, bad, camp)] == [
        ("realtime.error", "forbidden")
    ] * 3
    await socket.disconnect()


async def test_the_campaign_page_hears_about_new_teams():
    deal = await sync_to_async(campaign)(await sync_to_async(staff_member)(), team_size=3)
    watcher = await sync_to_async(UserFactory)()
    socket = await _socket_for(watcher)
    await _subscribe(socket, f"groupbuy.campaign:{deal.pk}")

    await sync_to_async(lambda: team_open(actor=UserFactory(), campaign_id=deal.pk))()
    frame = await socket.receive_json_from(timeout=5)

    assert frame["type"] == "groupbuy.campaign.updated"
    assert frame["seq"] is None
    assert len(frame["data"]["open_teams"]) == 1
    assert frame["data"]["open_teams"][0]["seats_left"] == 2
    await socket.disconnect()


async def test_a_burst_of_new_teams_reaches_the_campaign_page_as_one_frame(settings):
    settings.CAMPAIGN_PUSH_INTERVAL_MS = 1000
    deal = await sync_to_async(campaign)(await sync_to_async(staff_member)(), team_size=3)
    watcher = await sync_to_async(UserFactory)()
    socket = await _socket_for(watcher)
    await _subscribe(socket, f"groupbuy.campaign:{deal.pk}")

    def five_leaders_open_teams():
        for _ in range(5):
            team_open(actor=UserFactory(), campaign_id=deal.pk)

    await sync_to_async(five_leaders_open_teams)()
    frames = [await socket.receive_json_from(timeout=5)]
    while not await socket.receive_nothing(timeout=1.0):
        frames.append(await socket.receive_json_from(timeout=1))

    # Five openings (one frame each before coalescing) arrive as one frame, or two when a push
    # window happened to close mid-burst; the last one holds all five teams.
    assert {frame["type"] for frame in frames} == {"groupbuy.campaign.updated"}
    assert len(frames) <= 2
    assert len(frames[-1]["data"]["open_teams"]) == 5
    await socket.disconnect()
