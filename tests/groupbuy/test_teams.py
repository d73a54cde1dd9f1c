"""Group buying (PRODUCT.md §8): campaigns, opening and joining teams, seats, success, failure,
platform fill, leadership, and the API's codes."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from community.models import Notification
from community.services import role_grant
from community.services.communities import community_create
from groupbuy.models import Campaign, Order, Refund, Team, TeamEvent, TeamMember
from groupbuy.services import (
    order_cancel,
    order_refund_request,
    order_ship,
    orders_cancel_unpaid,
    team_expire,
    team_join,
    team_open,
    teams_expire_due,
)
from groupbuy.signals import team_failed, team_succeeded
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.orderflow import product, staff_member
from tests.groupbuy.teamflow import campaign, join_paid, open_paid, pay

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff(db):
    return staff_member()


@pytest.fixture
def heard():
    events = []

    def succeeded(sender, **kw):
        events.append(("succeeded", kw["team_id"], kw["platform_filled"]))

    def failed(sender, **kw):
        events.append(("failed", kw["team_id"], sorted(kw["member_ids"])))

    team_succeeded.connect(succeeded)
    team_failed.connect(failed)
    yield events
    team_succeeded.disconnect(succeeded)
    team_failed.disconnect(failed)


def _expire(team):
    Team.objects.filter(pk=team.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


# --- campaigns ------------------------------------------------------------------------------------


def test_staff_create_a_campaign_and_anyone_reads_it(staff):
    goods = product(price="59.90")
    now = timezone.now()
    body = {
        "product": goods.pk,
        "group_price": "39.90",
        "team_size": 3,
        "team_window_minutes": 120,
        "stock": 50,
        "per_user_limit": 2,
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
        "platform_fill": True,
    }

    created = client_for(staff).post("/api/v1/campaigns/", body, format="json")
    read = client_for(None).get(f"/api/v1/campaigns/{created.json()['id']}/")

    assert created.status_code == 201, created.json()
    assert read.status_code == 200
    data = read.json()
    assert (data["group_price"], data["team_size"], data["stock_remaining"]) == ("39.90", 3, 50)
    assert (data["status"], data["platform_fill"], data["open_teams"]) == ("live", True, [])
    assert "server_time" in data


@pytest.mark.parametrize(
    "change, field",
    [
        ({"team_size": 1}, "team_size"),
        ({"team_size": 11}, "team_size"),
        ({"group_price": "0"}, "group_price"),
        ({"stock": 0}, "stock"),
        ({"ends_at": "2020-01-01T00:00:00Z"}, "ends_at"),
        ({"product": 999999}, "product"),
        ({"leader_price": "45.00"}, "leader_price"),
    ],
)
def test_bad_campaigns_are_refused(staff, change, field):
    now = timezone.now()
    body = {
        "product": product().pk,
        "group_price": "39.90",
        "team_size": 3,
        "stock": 50,
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(),
        **change,
    }

    response = client_for(staff).post("/api/v1/campaigns/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert field in response.json()["fields"]
    assert not Campaign.objects.exists()


def test_members_cannot_create_campaigns_but_a_community_leader_runs_one_in_their_community():
    now = timezone.now()
    leader = UserFactory()
    role_grant(actor=None, user=leader, role="community_leader")
    runners = community_create(actor=leader, name="Sunday runners", join_policy="public")
    body = {
        "product": product().pk,
        "group_price": "39.90",
        "team_size": 2,
        "stock": 10,
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=1)).isoformat(),
    }

    member = client_for(UserFactory()).post("/api/v1/campaigns/", body, format="json")
    outside = client_for(leader).post("/api/v1/campaigns/", body, format="json")
    inside = client_for(leader).post(
        "/api/v1/campaigns/", {**body, "community": runners.pk}, format="json"
    )
    anonymous = client_for(None).post("/api/v1/campaigns/", body, format="json")

    assert (member.status_code, member.json()["code"]) == (403, "permission_denied")
    assert (outside.status_code, outside.json()["code"]) == (403, "permission_denied")
    assert anonymous.status_code == 401
    assert inside.status_code == 201
    assert Campaign.objects.get().community_id == runners.pk

    stranger = client_for(UserFactory()).post(f"/api/v1/campaigns/{inside.json()['id']}/teams/")
    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_member")


# --- opening, joining, success ---------------------------------------------------------------------


def test_open_join_pay_and_the_last_payment_completes_the_team_once(
    staff, heard, django_capture_on_commit_callbacks
):
    deal = campaign(staff, team_size=3, leader_price=D("35.00"))
    lead, bob, cat = UserFactory(username="lead"), UserFactory(), UserFactory()

    opened = client_for(lead).post(f"/api/v1/campaigns/{deal.pk}/teams/")
    assert opened.status_code == 201
    team_id = opened.json()["team"]["id"]
    order = opened.json()["order"]
    assert (order["status"], order["total"]) == ("pending_payment", "35.00")
    assert opened.json()["team"]["members"][0]["is_leader"] is True

    joined = client_for(bob).post(f"/api/v1/teams/{team_id}/join/")
    assert joined.status_code == 201
    assert joined.json()["order"]["total"] == "39.90"
    assert joined.json()["team"]["seats_left"] == 1
    pay(Order.objects.get(pk=order["id"]))
    pay(Order.objects.get(pk=joined.json()["order"]["id"]))
    assert Team.objects.get(pk=team_id).status == "forming"

    with django_capture_on_commit_callbacks(execute=True):
        last = join_paid(cat, team_id)

    team = Team.objects.get(pk=team_id)
    assert (team.status, team.seats_taken, team.seats_paid) == ("succeeded", 3, 3)
    assert heard == [("succeeded", team_id, False)]
    assert Notification.objects.filter(type="team_succeeded").count() == 3
    assert Campaign.objects.get(pk=deal.pk).stock_remaining == 97
    types = list(TeamEvent.objects.filter(team=team).order_by("seq").values_list("type", flat=True))
    assert types == [
        "opened",
        "joined",
        "member_paid",
        "member_paid",
        "joined",
        "member_paid",
        "succeeded",
    ]
    timeline = client_for(cat).get(f"/api/v1/orders/{last.order.pk}/").json()["events"]
    assert timeline[-1]["note"] == "team complete: ready to ship"
    order_ship(actor=staff, order_id=last.order.pk, carrier="SF", tracking_number="1")
    assert Order.objects.get(pk=last.order.pk).status == "shipped"


def test_a_team_order_cannot_ship_before_the_team_succeeds(staff):
    seat = open_paid(UserFactory(), campaign(staff).pk)

    response = client_for(staff).post(
        f"/api/v1/orders/{seat.order.pk}/ship/",
        {"carrier": "SF", "tracking_number": "1"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (409, "order_state_conflict")
    assert Order.objects.get(pk=seat.order.pk).status == "paid"


def test_a_full_team_answers_team_full_with_open_alternatives(staff):
    deal = campaign(staff, team_size=2)
    full = team_open(actor=UserFactory(), campaign_id=deal.pk).team
    team_join(actor=UserFactory(), team_id=full.pk)
    other = team_open(actor=UserFactory(), campaign_id=deal.pk).team

    response = client_for(UserFactory()).post(f"/api/v1/teams/{full.pk}/join/")

    assert response.status_code == 409
    assert response.json()["code"] == "team_full"
    assert response.json()["alternatives"] == [other.pk]
    assert Team.objects.get(pk=full.pk).seats_taken == 2


def test_join_refusals_have_their_codes_and_change_nothing(staff):
    deal = campaign(staff, team_size=3)
    lead, member = UserFactory(), UserFactory()
    team = team_open(actor=lead, campaign_id=deal.pk).team
    expired = team_open(actor=UserFactory(), campaign_id=deal.pk).team
    _expire(expired)
    team_open(actor=member, campaign_id=deal.pk)  # member's one seat in this campaign

    again = client_for(lead).post(f"/api/v1/teams/{team.pk}/join/")
    closed = client_for(UserFactory()).post(f"/api/v1/teams/{expired.pk}/join/")
    limit = client_for(member).post(f"/api/v1/teams/{team.pk}/join/")
    missing = client_for(UserFactory()).post("/api/v1/teams/999999/join/")
    anonymous = client_for(None).post(f"/api/v1/teams/{team.pk}/join/")

    assert (again.status_code, again.json()["code"]) == (409, "already_member")
    assert (closed.status_code, closed.json()["code"]) == (409, "team_closed")
    assert (limit.status_code, limit.json()["code"]) == (409, "limit_reached")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert anonymous.status_code == 401
    assert Team.objects.get(pk=team.pk).seats_taken == 1


def test_campaign_window_and_stock_refusals(staff):
    now = timezone.now()
    later = campaign(staff, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(days=1))
    over = campaign(staff, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    scarce = campaign(staff, stock=1)
    team_open(actor=UserFactory(), campaign_id=scarce.pk)
    client = client_for(UserFactory())

    responses = [client.post(f"/api/v1/campaigns/{c.pk}/teams/") for c in (later, over, scarce)]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (409, "not_started"),
        (409, "ended"),
        (409, "sold_out"),
    ]
    assert Team.objects.filter(campaign__in=[later, over]).count() == 0


# --- seats coming back, leadership ------------------------------------------------------------------


def test_an_unpaid_seat_times_out_and_frees_the_seat_and_the_unit(staff):
    deal = campaign(staff, team_size=3)
    team = open_paid(UserFactory(), deal.pk).team
    late = team_join(actor=UserFactory(), team_id=team.pk)
    Order.objects.filter(pk=late.order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert orders_cancel_unpaid() == 1

    team.refresh_from_db()
    assert (team.seats_taken, team.seats_paid) == (1, 1)
    assert TeamMember.objects.get(order=late.order).status == "left"
    assert Campaign.objects.get(pk=deal.pk).stock_remaining == 99
    assert TeamEvent.objects.filter(team=team, type="left").count() == 1


def test_leadership_passes_on_when_the_leader_cancels(staff):
    deal = campaign(staff, team_size=3)
    lead, second = UserFactory(), UserFactory()
    seat = team_open(actor=lead, campaign_id=deal.pk)
    join_paid(second, seat.team.pk)

    order_cancel(order_id=seat.order.pk, reason="buyer_cancelled", actor=lead)

    team = Team.objects.get(pk=seat.team.pk)
    assert (team.leader_id, team.status, team.seats_taken) == (second.pk, "forming", 1)
    snapshot = client_for(None).get(f"/api/v1/teams/{team.pk}/").json()
    assert [(m["user_id"], m["is_leader"]) for m in snapshot["members"]] == [(second.pk, True)]


def test_a_paid_member_refunding_while_forming_frees_the_seat(
    staff, django_capture_on_commit_callbacks
):
    deal = campaign(staff, team_size=3)
    team = open_paid(UserFactory(), deal.pk).team
    quitter = join_paid(UserFactory(), team.pk)

    with django_capture_on_commit_callbacks(execute=True):
        order_refund_request(actor=quitter.order.buyer, order_id=quitter.order.pk)

    team.refresh_from_db()
    assert (team.seats_taken, team.seats_paid, team.status) == (1, 1, "forming")
    assert Order.objects.get(pk=quitter.order.pk).status == "refunded"


# --- expiry ----------------------------------------------------------------------------------------


def test_a_team_that_does_not_fill_fails_and_everyone_gets_their_money_back_once(
    staff, heard, django_capture_on_commit_callbacks
):
    deal = campaign(staff, team_size=4)
    lead, payer, unpaid = UserFactory(), UserFactory(), UserFactory()
    team = open_paid(lead, deal.pk).team
    paid_seat = join_paid(payer, team.pk)
    held = team_join(actor=unpaid, team_id=team.pk)
    _expire(team)

    with django_capture_on_commit_callbacks(execute=True):
        assert teams_expire_due() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert teams_expire_due() == 0
        assert team_expire(team_id=team.pk) is None

    team.refresh_from_db()
    assert team.status == "failed"
    refunds = Refund.objects.filter(order__team_member__team=team)
    assert sorted(r.order.buyer_id for r in refunds) == sorted([lead.pk, payer.pk])
    assert all(r.status == "succeeded" for r in refunds)
    assert Order.objects.get(pk=paid_seat.order.pk).status == "refunded"
    assert Order.objects.get(pk=held.order.pk).status == "cancelled"
    assert Campaign.objects.get(pk=deal.pk).stock_remaining == 100
    assert heard == [("failed", team.pk, sorted([lead.pk, payer.pk, unpaid.pk]))]
    assert Notification.objects.filter(type="team_failed").count() == 3


def test_platform_fill_completes_a_team_one_seat_short_and_says_so(
    staff, heard, django_capture_on_commit_callbacks
):
    deal = campaign(staff, team_size=3, platform_fill=True)
    team = open_paid(UserFactory(), deal.pk).team
    join_paid(UserFactory(), team.pk)
    straggler = team_join(actor=UserFactory(), team_id=team.pk)  # holds the third seat, unpaid
    _expire(team)

    with django_capture_on_commit_callbacks(execute=True):
        assert team_expire(team_id=team.pk) == "succeeded"

    snapshot = client_for(None).get(f"/api/v1/teams/{team.pk}/").json()
    assert (snapshot["status"], snapshot["platform_filled"]) == ("succeeded", True)
    assert len(snapshot["members"]) == 2  # no fake member, ever
    assert Order.objects.get(pk=straggler.order.pk).status == "cancelled"
    assert heard == [("succeeded", team.pk, True)]


def test_platform_fill_does_not_apply_two_seats_short(staff):
    deal = campaign(staff, team_size=3, platform_fill=True)
    team = open_paid(UserFactory(), deal.pk).team
    _expire(team)

    assert team_expire(team_id=team.pk) == "failed"


def test_a_crash_midway_through_failing_a_team_leaves_nothing_half_done(staff):
    deal = campaign(staff, team_size=4)
    team = open_paid(UserFactory(), deal.pk).team
    join_paid(UserFactory(), team.pk)
    _expire(team)
    real = order_refund_request
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["order_id"])
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(**kwargs)

    with (
        mock.patch("groupbuy.services.teams.order_refund_request", dies_on_the_second),
        pytest.raises(SystemExit),
    ):
        team_expire(team_id=team.pk)

    assert Team.objects.get(pk=team.pk).status == "forming"
    assert not Refund.objects.exists()
    assert set(Order.objects.filter(team_member__team=team).values_list("status", flat=True)) == {
        "paid"
    }
    assert team_expire(team_id=team.pk) == "failed"  # the next sweep does all of it
    assert Refund.objects.count() == 2


# --- reading --------------------------------------------------------------------------------------


def test_team_page_data_and_the_event_stream(staff):
    deal = campaign(staff, team_size=2)
    seat = team_open(actor=UserFactory(username="lead"), campaign_id=deal.pk)
    team_join(actor=UserFactory(), team_id=seat.team.pk)

    detail = client_for(None).get(f"/api/v1/teams/{seat.team.pk}/").json()
    events = client_for(UserFactory()).get(f"/api/v1/teams/{seat.team.pk}/events/?after_seq=1")
    mine = client_for(seat.order.buyer).get("/api/v1/me/teams/").json()["results"]

    assert detail["share_url"] == f"/teams/{seat.team.pk}/"
    assert detail["server_time"] and detail["expires_at"]
    assert detail["members"][0]["username"] == "lead"
    assert [(e["type"], e["seq"]) for e in events.json()["results"]] == [
        ("groupbuy.team.joined", 2)
    ]
    assert events.json()["results"][0]["data"]["team"]["seats_taken"] == 2
    assert mine == [
        {
            "team": seat.team.pk,
            "campaign": deal.title,
            "team_status": "forming",
            "seat": "held",
            "order": seat.order.pk,
            "order_status": "pending_payment",
        }
    ]
    assert client_for(None).get("/api/v1/me/teams/").status_code == 401
    assert client_for(None).get("/api/v1/teams/999999/").status_code == 404


def test_a_team_opened_near_the_campaign_end_closes_with_it(staff):
    ends = timezone.now() + timedelta(minutes=30)
    deal = campaign(staff, team_window_minutes=24 * 60, ends_at=ends)

    team = team_open(actor=UserFactory(), campaign_id=deal.pk).team

    assert team.expires_at == ends


def test_a_member_whose_team_failed_or_who_was_refunded_may_buy_again(
    staff, django_capture_on_commit_callbacks
):
    deal = campaign(staff, team_size=3, per_user_limit=1)
    unlucky, quitter = UserFactory(), UserFactory()
    failed = open_paid(unlucky, deal.pk).team
    _expire(failed)
    with django_capture_on_commit_callbacks(execute=True):
        team_expire(team_id=failed.pk)
    other = team_open(actor=UserFactory(), campaign_id=deal.pk).team
    seat = join_paid(quitter, other.pk)
    with django_capture_on_commit_callbacks(execute=True):
        order_refund_request(actor=quitter, order_id=seat.order.pk)

    again = client_for(unlucky).post(f"/api/v1/campaigns/{deal.pk}/teams/")
    rejoin = client_for(quitter).post(f"/api/v1/teams/{other.pk}/join/")

    assert again.status_code == 201, again.json()
    assert rejoin.status_code == 201, rejoin.json()


def test_a_seat_whose_refund_is_pending_cannot_complete_the_team(staff):
    deal = campaign(staff, team_size=2)
    lead = open_paid(UserFactory(), deal.pk)
    with mock.patch("groupbuy.services.refunds.enqueue_on_commit"):  # the worker is late
        order_refund_request(actor=lead.order.buyer, order_id=lead.order.pk)

    team = Team.objects.get(pk=lead.team.pk)
    assert (team.seats_taken, team.seats_paid, team.status) == (0, 0, "failed")


def test_a_refund_request_frees_the_seat_at_once_so_the_team_waits_for_a_real_buyer(staff):
    deal = campaign(staff, team_size=3)
    team = open_paid(UserFactory(), deal.pk).team
    leaving = join_paid(UserFactory(), team.pk)
    with mock.patch("groupbuy.services.refunds.enqueue_on_commit"):  # refund not processed yet
        order_refund_request(actor=leaving.order.buyer, order_id=leaving.order.pk)
    join_paid(UserFactory(), team.pk)

    team.refresh_from_db()
    assert (team.status, team.seats_taken, team.seats_paid) == ("forming", 2, 2)
    assert TeamMember.objects.get(order=leaving.order).status == "left"


def test_a_fully_paid_team_still_forming_at_its_deadline_succeeds_on_settling(staff):
    deal = campaign(staff, team_size=2)
    team = open_paid(UserFactory(), deal.pk).team
    late = team_join(actor=UserFactory(), team_id=team.pk)
    # Every seat paid but nobody completed the team (the last payment raced the deadline).
    TeamMember.objects.filter(order=late.order).update(status="paid")
    Team.objects.filter(pk=team.pk).update(seats_paid=2)
    Order.objects.filter(pk=late.order.pk).update(status="paid")
    _expire(team)

    assert team_expire(team_id=team.pk) == "succeeded"
    assert not Refund.objects.exists()


def test_the_campaign_list_costs_the_same_queries_for_1_or_6_campaigns(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = campaign(staff, team_size=2)
    team_open(actor=UserFactory(), campaign_id=first.pk)
    client = client_for(None)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/campaigns/").json()["results"]) == 1
    for _ in range(5):
        deal = campaign(staff, team_size=3)
        team_open(actor=UserFactory(), campaign_id=deal.pk)
    with CaptureQueriesContext(connection) as six:
        body = client.get("/api/v1/campaigns/").json()["results"]

    assert len(body) == 6
    assert all(len(c["open_teams"]) == 1 for c in body)
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_campaign_list_is_cursor_paginated_soonest_start_first(staff):
    made = [campaign(staff, team_size=2).pk for _ in range(23)]
    client = client_for(None)

    first = client.get("/api/v1/campaigns/").json()
    second = client.get(first["next"]).json()

    assert first["previous"] is None and second["next"] is None
    assert len(first["results"]) == 20
    assert [c["id"] for c in first["results"] + second["results"]] == made


# --- pinned defaults ------------------------------------------------------------------------------


def _campaign_without_a_window(now) -> dict:
    return {
        "product": product(price="59.90").pk,
        "group_price": "39.90",
        "team_size": 2,
        "stock": 5,
        "starts_at": (now - timedelta(minutes=1)).isoformat(),
        "ends_at": (now + timedelta(days=3)).isoformat(),
    }


def test_a_campaign_created_without_a_team_window_gives_teams_24_hours(staff):
    now = timezone.now()
    body = _campaign_without_a_window(now)

    created = client_for(staff).post("/api/v1/campaigns/", body, format="json")

    assert created.status_code == 201, created.json()
    deal = Campaign.objects.get(pk=created.json()["id"])
    assert deal.team_window_minutes == 24 * 60
    seat = team_open(actor=UserFactory(), campaign_id=deal.pk, now=now)
    assert seat.team.expires_at == now + timedelta(hours=24)


def test_the_default_team_window_follows_the_setting(staff, settings):
    settings.GROUPBUY_TEAM_WINDOW_MINUTES = 90
    body = _campaign_without_a_window(timezone.now())

    via_api = client_for(staff).post("/api/v1/campaigns/", body, format="json").json()["id"]
    via_service = campaign(staff, team_window_minutes=None)

    assert Campaign.objects.get(pk=via_api).team_window_minutes == 90
    assert Campaign.objects.get(pk=via_service.pk).team_window_minutes == 90
