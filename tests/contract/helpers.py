"""What every contract test needs: an app-style client and checks for API.md's Conventions."""

import re

from rest_framework.test import APIClient

from tests.factories import token_for

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
MONEY = re.compile(r"^-?\d+\.\d\d$")
SNAKE_CASE = re.compile(r"[a-z0-9_]+")


def app(user=None) -> APIClient:
    """A client the way mobile apps and scripts talk to us: `Authorization: Token <key>`."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def assert_error(response, status: int, code: str) -> dict:
    """API.md Conventions, Errors: `{code, detail, fields?}` with a snake_case code."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) >= {"code", "detail"}, body
    assert isinstance(body["code"], str) and SNAKE_CASE.fullmatch(body["code"]), body
    assert isinstance(body["detail"], str) and body["detail"], body
    assert body["code"] == code, body
    if code == "validation_error":
        assert isinstance(body.get("fields"), dict) and body["fields"], body
    return body


def assert_error_shape(response) -> dict:
    """The error shape for a refusal whose status and code API.md leaves open (any 4xx)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) >= {"code", "detail"}, body
    assert isinstance(body["code"], str) and SNAKE_CASE.fullmatch(body["code"]), body
    assert isinstance(body["detail"], str) and body["detail"], body
    return body


def assert_page(body) -> list:
    """API.md Conventions, Lists: `{next: url|null, previous: url|null, results: [...]}`."""
    assert isinstance(body, dict), body
    assert {"next", "previous", "results"} <= set(body), sorted(body)
    for link in ("next", "previous"):
        assert body[link] is None or body[link].startswith("http"), body[link]
    assert isinstance(body["results"], list), body["results"]
    return body["results"]


def assert_iso(value) -> None:
    assert isinstance(value, str) and ISO_WITH_OFFSET.match(value), value


def assert_money(value) -> None:
    assert isinstance(value, str) and MONEY.match(value), value
