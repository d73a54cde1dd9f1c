"""API.md "Commerce", "Group buying": staff create campaigns, members open and join teams, the
team's shape and its refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groupbuy.models import Order, Team
from tests.contract.helpers import app, assert_error, assert_iso, assert_money, assert_page
from tests.factories import UserFactory
from tests.groupbuy import teamflow
from tests.groupbuy.orderflow import product as make_product
from tests.groupbuy.orderflow import staff_member

pytestmark = pytest.mark.django_db

TEAM_KEYS = {
    "id",
    "campaign",
    "status",
    "team_size",
    "seats_taken",
    "members",
    "expires_at",
    "server_time",
    "share_url",
}


def campaign_payload(product, **extra):
    now = timezone.now()
    return {
        "product": product.pk,
        "group_price": "39.90",
        "team_size": 2,
        "team_window_minutes": 60,
        "stock": 10,
        "per_user_limit": 1,
        "starts_at": (now - timedelta(minutes=1)).isoformat(),
        "ends_at": (now + timedelta(days=1)).isoformat(),
        **extra,
    }


@pytest.fixture
def staff(db):
    return staff_member(username="campaign-staff")


@pytest.fixture
def crabs(db):
    return make_product(title="Crabs", price="59.90", stock=100)


def test_staff_creates_a_campaign(staff, crabs):
    response = app(staff).post("/api/v1/campaigns/", campaign_payload(crabs), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["group_price"] == "39.90"


def test_staff_creates_a_campaign_with_platform_fill(staff, crabs):
    payload = campaign_payload(crabs, platform_fill=True)

    response = app(staff).post("/api/v1/campaigns/", payload, format="json")

    assert response.status_code == 201, response.json()


def test_member_cannot_create_a_campaign(crabs):
    refused = app(UserFactory()).post("/api/v1/campaigns/", campaign_payload(crabs), format="json")

    assert_error(refused, 403, "permission_denied")


def test_campaign_list_is_a_page(staff):
    created = teamflow.campaign(staff)

    rows = assert_page(app().get("/api/v1/campaigns/").json())

    assert [row["id"] for row in rows] == [created.pk]


def test_campaign_detail_shows_open_teams():
    campaign = teamflow.campaign(team_size=2)
    seat = teamflow.open_paid(UserFactory(), campaign.pk)

    response = app().get(f"/api/v1/campaigns/{campaign.pk}/")

    assert response.status_code == 200
    assert_money(response.json()["group_price"])
    assert [team["id"] for team in response.json()["open_teams"]] == [seat.team.pk]


def test_unknown_campaign_is_404_not_found():
    assert_error(app().get("/api/v1/campaigns/999999/"), 404, "not_found")


def test_opening_a_team_is_201_with_team_and_pending_order():
    campaign = teamflow.campaign(team_size=2)
    leader = UserFactory()

    response = app(leader).post(f"/api/v1/campaigns/{campaign.pk}/teams/")

    assert response.status_code == 201, response.json()
    team, order = response.json()["team"], response.json()["order"]
    assert set(team) >= TEAM_KEYS, TEAM_KEYS - set(team)
    assert (team["campaign"], team["status"], team["seats_taken"]) == (campaign.pk, "forming", 1)
    assert order["status"] == "pending_payment"


def test_opening_a_second_team_past_the_member_limit_is_409_limit_reached():
    campaign = teamflow.campaign(team_size=2, per_user_limit=1)
    leader = UserFactory()
    app(leader).post(f"/api/v1/campaigns/{campaign.pk}/teams/")

    assert_error(app(leader).post(f"/api/v1/campaigns/{campaign.pk}/teams/"), 409, "limit_reached")


def test_team_detail_has_the_contract_shape():
    campaign = teamflow.campaign(team_size=2)
    seat = teamflow.open_paid(UserFactory(), campaign.pk)

    response = app().get(f"/api/v1/teams/{seat.team.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= TEAM_KEYS, TEAM_KEYS - set(body)
    assert (body["status"], body["team_size"], body["seats_taken"]) == ("forming", 2, 1)
    assert len(body["members"]) == 1
    assert_iso(body["expires_at"])
    assert_iso(body["server_time"])


def test_unknown_team_is_404_not_found():
    assert_error(app().get("/api/v1/teams/999999/"), 404, "not_found")


def test_joining_a_team_is_201_with_team_and_order():
    campaign = teamflow.campaign(team_size=2)
    seat = teamflow.open_paid(UserFactory(), campaign.pk)

    response = app(UserFactory()).post(f"/api/v1/teams/{seat.team.pk}/join/")

    assert response.status_code == 201, response.json()
    assert response.json()["team"]["seats_taken"] == 2
    assert response.json()["order"]["status"] == "pending_payment"


def test_joining_your_own_team_is_409_already_member():
    campaign = teamflow.campaign(team_size=2)
    leader = UserFactory()
    seat = teamflow.open_paid(leader, campaign.pk)

    assert_error(app(leader).post(f"/api/v1/teams/{seat.team.pk}/join/"), 409, "already_member")


def test_joining_a_full_team_is_409_team_full_with_open_alternatives():
    campaign = teamflow.campaign(team_size=2)
    full = teamflow.open_paid(UserFactory(), campaign.pk)
    teamflow.join_paid(UserFactory(), full.team.pk)
    spare = teamflow.open_paid(UserFactory(), campaign.pk)
    # A team still forming but with every seat held: the joiner has not paid yet.
    held = teamflow.open_paid(UserFactory(), campaign.pk)
    app(UserFactory()).post(f"/api/v1/teams/{held.team.pk}/join/")

    body = assert_error(
        app(UserFactory()).post(f"/api/v1/teams/{held.team.pk}/join/"), 409, "team_full"
    )

    assert body["alternatives"] == [spare.team.pk]


def test_joining_past_the_member_limit_is_409_limit_reached():
    campaign = teamflow.campaign(team_size=2, per_user_limit=1)
    first = teamflow.open_paid(UserFactory(), campaign.pk)
    other = teamflow.open_paid(UserFactory(), campaign.pk)
    joiner = UserFactory()
    teamflow.join_paid(joiner, first.team.pk)

    assert_error(app(joiner).post(f"/api/v1/teams/{other.team.pk}/join/"), 409, "limit_reached")


def test_joining_a_failed_team_is_409_team_closed():
    campaign = teamflow.campaign(team_size=2)
    seat = teamflow.open_paid(UserFactory(), campaign.pk)
    Team.objects.filter(pk=seat.team.pk).update(status="failed")

    assert_error(app(UserFactory()).post(f"/api/v1/teams/{seat.team.pk}/join/"), 409, "team_closed")


def test_team_succeeds_once_every_member_has_paid():
    campaign = teamflow.campaign(team_size=2)
    seat = teamflow.open_paid(UserFactory(), campaign.pk)
    joined = app(UserFactory()).post(f"/api/v1/teams/{seat.team.pk}/join/")
    url = f"/api/v1/teams/{seat.team.pk}/"

    # Holding every seat is not enough: the team succeeds on the last payment.
    before_paying = app().get(url).json()["status"]
    teamflow.pay(Order.objects.get(pk=joined.json()["order"]["id"]))

    assert before_paying == "forming"
    assert app().get(url).json()["status"] == "succeeded"
