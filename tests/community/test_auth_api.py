import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import User
from community.services import role_grant
from tests.factories import PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"


# --- register ----------------------------------------------------------------------------------


def test_register_creates_member_with_token_and_session(api_client):
    response = api_client.post(REGISTER, {"username": "meimei", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["username"] == "meimei"
    assert body["user"]["tier"] == "regular"
    assert body["user"]["points_balance"] == 0
    assert body["user"]["roles"] == []
    assert body["user"]["next_tier"] == {"tier": "silver", "threshold": 1000, "growth_needed": 1000}
    assert Token.objects.get(user__username="meimei").key == body["token"]
    # the browser that registered is logged in
    assert api_client.get(ME).json()["username"] == "meimei"


def test_register_refuses_taken_username_regardless_of_case(api_client, user):
    response = api_client.post(REGISTER, {"username": user.username.upper(), "password": PASSWORD})

    assert response.status_code == 400
    assert response.json()["code"] == "username_taken"
    assert User.objects.count() == 1


def test_register_refuses_weak_password_and_creates_nothing(api_client):
    response = api_client.post(REGISTER, {"username": "weakling", "password": "12345678"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "weak_password"
    assert "password" in body["fields"]
    assert not User.objects.filter(username="weakling").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"username": "ab", "password": PASSWORD},
        {"username": "has space", "password": PASSWORD},
        {"username": "x" * 151, "password": PASSWORD},
        {"username": "nopass"},
    ],
)
def test_register_refuses_malformed_input_with_field_errors(api_client, payload):
    response = api_client.post(REGISTER, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["fields"]
    assert User.objects.count() == 0


def test_register_refuses_non_json_body(api_client):
    response = api_client.post(REGISTER, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


# --- login / logout ------------------------------------------------------------------------------


def test_login_returns_token_and_opens_session(api_client, user):
    response = api_client.post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=user).key
    assert response.json()["user"]["id"] == user.id
    assert api_client.get(ME).status_code == 200  # session cookie works


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_login_refuses_bad_credentials(api_client, user, password):
    response = api_client.post(LOGIN, {"username": user.username, "password": password})

    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_credentials", "validation_error"}
    assert not Token.objects.filter(user=user).exists()


def test_login_refuses_wrong_password_with_contract_code(api_client, user):
    response = api_client.post(LOGIN, {"username": user.username, "password": "nope-nope-nope"})

    assert response.json() == {
        "code": "invalid_credentials",
        "detail": "Username or password is wrong.",
    }


def test_login_refuses_inactive_user(api_client):
    inactive = UserFactory(is_active=False)

    response = api_client.post(LOGIN, {"username": inactive.username, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_logout_revokes_token(api_client, user):
    key = token_for(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api_client.post(LOGOUT).status_code == 204

    assert not Token.objects.filter(key=key).exists()
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_logout_ends_session(api_client, user):
    api_client.post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert api_client.post(LOGOUT).status_code == 204

    assert api_client.get(ME).status_code in (401, 403)


def test_logout_requires_authentication(api_client):
    response = api_client.post(LOGOUT)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_session_writes_require_csrf(user):
    browser = APIClient(enforce_csrf_checks=True)
    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})

    response = browser.patch(ME, {"bio": "forged"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    user.refresh_from_db()
    assert user.bio != "forged"


def test_login_is_throttled_with_retry_after(api_client, user, settings):
    cache.clear()
    # A different (unknown) account each time: the per-account lockout must not be what stops it.
    codes = [
        api_client.post(LOGIN, {"username": f"nobody{i}", "password": "wrong"}).status_code
        for i in range(25)
    ]

    assert codes[:20] == [400] * 20
    assert codes[20:] == [429] * 5
    refused = api_client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


# --- me ----------------------------------------------------------------------------------------


def test_me_matrix_anonymous_is_refused(api_client):
    for method in ("get", "patch"):
        response = getattr(api_client, method)(ME)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_me_shows_own_account_with_token(api_client, user):
    role_grant(actor=None, user=user, role="creator")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")

    body = api_client.get(ME).json()

    assert body["id"] == user.id
    assert set(body) >= {
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
    assert body["roles"] == ["creator"]


def test_me_patch_changes_only_own_profile(auth_client, user, other_user):
    response = auth_client.patch(ME, {"display_name": "新名字", "bio": "hello"})

    assert response.status_code == 200
    assert response.json()["display_name"] == "新名字"
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert (user.display_name, user.bio) == ("新名字", "hello")
    assert other_user.bio == ""


def test_me_patch_ignores_fields_that_are_not_editable(auth_client, user):
    response = auth_client.patch(
        ME, {"points_balance": 99999, "tier": "platinum", "username": "boss"}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.points_balance, user.tier, user.username) == (0, "regular", user.username)


def test_me_patch_refuses_too_long_bio_and_changes_nothing(auth_client, user):
    response = auth_client.patch(ME, {"bio": "x" * 281})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "bio" in response.json()["fields"]
    user.refresh_from_db()
    assert user.bio == ""


# --- public profile -----------------------------------------------------------------------------


def test_public_profile_is_readable_by_anyone_without_private_fields(api_client, user):
    response = api_client.get(f"/api/v1/users/{user.username}/")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert "points_balance" not in body
    assert "roles" not in body


def test_public_profile_of_unknown_user_is_404(api_client):
    response = api_client.get("/api/v1/users/nobody-here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_api_path_answers_in_error_shape(api_client):
    response = api_client.get("/api/v1/does-not-exist/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No such endpoint."}
