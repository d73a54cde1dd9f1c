"""Findings 2 and 5 of issue #17: login CSRF (a foreign page signing a browser in) and the
per-account lockout after repeated failed sign-ins."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from community.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"


# --- login CSRF ---------------------------------------------------------------------------------


def test_a_form_post_from_a_foreign_page_does_not_sign_the_browser_in(user):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code in (403, 415)
    assert "sessionid" not in response.cookies
    assert browser.get("/api/v1/me/").status_code in (401, 403)


def test_a_form_post_without_an_origin_is_refused_as_unsupported(user):
    response = Client(enforce_csrf_checks=True).post(
        LOGIN, {"username": user.username, "password": PASSWORD}
    )

    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("path", [LOGIN, REGISTER])
def test_json_from_a_foreign_origin_is_refused(user, path):
    response = Client().post(
        path,
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        headers={"Origin": "https://evil.example"},
    )

    assert (response.status_code, response.json()["code"]) == (403, "foreign_origin")
    assert "sessionid" not in response.cookies
    assert User.objects.count() == 1


def test_the_site_itself_and_apps_still_sign_in(user, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://tuanju.example"]
    same_site = Client().post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        headers={"Origin": "http://testserver"},
    )
    trusted = Client().post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        headers={"Origin": "https://tuanju.example"},
    )
    app = APIClient().post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert [same_site.status_code, trusted.status_code, app.status_code] == [200, 200, 200]
    assert "sessionid" in same_site.cookies


# --- per-account lockout ------------------------------------------------------------------------


def _login(password: str, ip: str, username: str) -> object:
    return APIClient(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def test_repeated_failures_lock_the_account_whatever_the_address(user, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    for attempt in range(3):
        refused = _login("wrong", f"10.0.0.{attempt}", user.username)
        assert refused.json()["code"] == "invalid_credentials"

    locked = _login(PASSWORD, "10.9.9.9", user.username.upper())

    # Locked even for the right password, from a fresh address, in another letter case.
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")
    assert 0 < locked.json()["retry_after"] <= settings.LOGIN_LOCKOUT_MINUTES * 60
    assert int(locked["Retry-After"]) == locked.json()["retry_after"]
    assert "sessionid" not in locked.cookies


def test_the_lock_ends_with_its_window_and_touches_no_other_account(user, other_user, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 2
    _login("wrong", "10.0.0.1", user.username)
    _login("wrong", "10.0.0.1", user.username)

    assert _login(PASSWORD, "10.0.0.1", other_user.username).status_code == 200
    assert _login(PASSWORD, "10.0.0.1", user.username).status_code == 429


def test_a_success_clears_earlier_failures(user, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    _login("wrong", "10.0.0.1", user.username)
    _login("wrong", "10.0.0.1", user.username)
    assert _login(PASSWORD, "10.0.0.1", user.username).status_code == 200

    _login("wrong", "10.0.0.1", user.username)
    _login("wrong", "10.0.0.1", user.username)

    assert _login(PASSWORD, "10.0.0.1", user.username).status_code == 200
