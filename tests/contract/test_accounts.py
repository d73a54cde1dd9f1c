"""API.md "Accounts (community)": register, login, logout, me, users and follows, check-ins,
points, communities and notifications."""

import pytest

from community.services import role_grant
from community.services.accounts import user_ensure_invite_code
from tests.contract.helpers import app, assert_error, assert_iso, assert_page
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ME_KEYS = {
    "id",
    "username",
    "display_name",
    "avatar_url",
    "bio",
    "tier",
    "growth_value",
    "next_tier",
    "points_balance",
    "roles",
}


def register(username, password=PASSWORD, **extra):
    return app().post(
        "/api/v1/auth/register/",
        {"username": username, "password": password, **extra},
        format="json",
    )


def login(username, password=PASSWORD):
    return app().post(
        "/api/v1/auth/login/", {"username": username, "password": password}, format="json"
    )


def test_register_answers_201_with_user_and_working_token():
    response = register("newbie")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["user"]["id"], int)
    assert body["user"]["username"] == "newbie"
    client = app()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/v1/me/").json()["id"] == body["user"]["id"]


def test_register_refuses_a_taken_username_in_any_case():
    register("newbie")

    assert_error(register("newbie"), 400, "username_taken")
    assert_error(register("NEWBIE"), 400, "username_taken")


def test_register_refuses_a_weak_password():
    assert_error(register("weakling", password="123"), 400, "weak_password")


def test_register_accepts_a_valid_invite_code():
    code = user_ensure_invite_code(user=UserFactory())

    assert register("invited", invite_code=code).status_code == 201


def test_register_refuses_an_unknown_invite_code():
    assert_error(register("invited", invite_code="NOPE"), 400, "invalid_invite_code")


def test_login_answers_user_and_token():
    person = UserFactory()

    response = login(person.username)

    assert response.status_code == 200
    assert response.json()["user"]["id"] == person.pk
    assert isinstance(response.json()["token"], str) and response.json()["token"]


@pytest.mark.parametrize("username", ["known", "ghost"])
def test_login_refuses_bad_credentials_without_telling_which_part(username):
    UserFactory(username="known")

    assert_error(login(username, password="nope"), 400, "invalid_credentials")


def test_logout_is_204_and_revokes_the_token():
    person = UserFactory()
    client = app()
    client.credentials(HTTP_AUTHORIZATION=f"Token {login(person.username).json()['token']}")

    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_me_has_the_contract_fields(user):
    response = app(user).get("/api/v1/me/")

    assert response.status_code == 200
    assert set(response.json()) >= ME_KEYS, ME_KEYS - set(response.json())
    assert response.json()["roles"] == []


def test_me_lists_granted_roles(user):
    role_grant(actor=None, user=user, role="staff")

    assert app(user).get("/api/v1/me/").json()["roles"] == ["staff"]


def test_patch_me_answers_the_updated_profile(user):
    response = app(user).patch("/api/v1/me/", {"bio": "hello"}, format="json")

    assert response.status_code == 200
    assert response.json()["bio"] == "hello"
    assert set(response.json()) >= ME_KEYS
    assert app(user).get("/api/v1/me/").json()["bio"] == "hello"


def test_user_profile_by_username(user, other_user):
    response = app(user).get(f"/api/v1/users/{other_user.username}/")

    assert response.status_code == 200
    assert response.json()["username"] == other_user.username


def test_unknown_username_is_404_not_found(user):
    assert_error(app(user).get("/api/v1/users/nobody-here/"), 404, "not_found")


def test_follow_and_unfollow_are_204_and_idempotent(user, other_user):
    client = app(user)
    url = f"/api/v1/users/{other_user.username}/follow/"

    assert [client.post(url).status_code for _ in range(2)] == [204, 204]
    assert [client.delete(url).status_code for _ in range(2)] == [204, 204]


def test_checkin_is_201_once_a_day_then_409(user):
    client = app(user)

    first = client.post("/api/v1/checkins/")

    assert first.status_code == 201
    assert first.json()["streak"] == 1
    assert first.json()["points_awarded"] > 0
    assert_error(client.post("/api/v1/checkins/"), 409, "already_checked_in")


def test_points_ledger_is_a_page_with_iso_times(user):
    client = app(user)
    awarded = client.post("/api/v1/checkins/").json()["points_awarded"]

    rows = assert_page(client.get("/api/v1/points/ledger/").json())

    assert [row["delta"] for row in rows if row["reason"] == "checkin"] == [awarded]
    for row in rows:
        assert_iso(row["created_at"])


@pytest.mark.parametrize("period", ["week", "month", "all"])
def test_leaderboard_ranks_earners_for_each_period(user, period):
    app(user).post("/api/v1/checkins/")

    response = app(user).get(f"/api/v1/points/leaderboard/?period={period}")

    assert response.status_code == 200
    rows = assert_page(response.json())
    assert rows[0]["user"]["id"] == user.pk


def test_leaderboard_refuses_an_unknown_period(user):
    body = assert_error(
        app(user).get("/api/v1/points/leaderboard/?period=year"), 400, "validation_error"
    )

    assert set(body["fields"]) == {"period"}


def test_leaderboard_of_a_community(user):
    client = app(user)
    community = client.post("/api/v1/communities/", {"name": "Tea lovers"}, format="json").json()

    response = client.get(f"/api/v1/points/leaderboard/?period=all&community={community['id']}")

    assert response.status_code == 200
    assert response.json()["community"] == community["id"]
    assert_page(response.json())


def test_create_community_then_list_it(user):
    client = app(user)

    created = client.post("/api/v1/communities/", {"name": "Hotpot club"}, format="json")

    assert created.status_code == 201, created.json()
    rows = assert_page(client.get("/api/v1/communities/").json())
    assert created.json()["id"] in [row["id"] for row in rows]


def test_join_a_public_community_is_201_then_409_already_member(user, other_user):
    cid = (
        app(user).post("/api/v1/communities/", {"name": "Hotpot club"}, format="json").json()["id"]
    )
    client = app(other_user)

    assert client.post(f"/api/v1/communities/{cid}/join/").status_code == 201
    assert_error(client.post(f"/api/v1/communities/{cid}/join/"), 409, "already_member")


def test_notifications_ascend_by_seq_after_the_given_seq(user):
    # Each new follower notifies the followee.
    for follower in (UserFactory(), UserFactory(), UserFactory()):
        app(follower).post(f"/api/v1/users/{user.username}/follow/")
    client = app(user)

    everything = assert_page(client.get("/api/v1/notifications/?after_seq=0").json())
    seqs = [row["seq"] for row in everything]
    later = assert_page(client.get(f"/api/v1/notifications/?after_seq={seqs[0]}").json())

    assert len(seqs) == 3
    assert seqs == sorted(seqs)
    assert [row["seq"] for row in later] == seqs[1:]
