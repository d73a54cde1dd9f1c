"""Findings 3 and 4 of issue #17: hostile JSON is a 400, never a 500, and unknown /api/ paths
answer a JSON 404 whatever the method (never Django's HTML CSRF page)."""

import json

import pytest
from django.test import Client
from rest_framework import parsers as drf_parsers
from rest_framework.test import APIClient

from config.parsers import MAX_JSON_DEPTH, nested_too_deep
from tests.config.permission_cases import named_routes
from tests.config.test_permission_matrix import _api_methods, _dummy_path
from tests.factories import token_for
from tests.realtime.conftest import open_socket

DEEP_JSON = "[" * 3000 + "]" * 3000


def _member_client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login/", "/api/v1/auth/register/"], ids=["login", "register"]
)
def test_a_deeply_nested_body_is_a_parse_error_for_anonymous_callers(db, path):
    response = APIClient(raise_request_exception=False).post(
        path, DEEP_JSON, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_a_deeply_nested_object_is_a_parse_error_too(db, user):
    body = '{"display_name": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}"

    response = _member_client(user).patch("/api/v1/me/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    user.refresh_from_db()
    assert user.display_name != "1"


def test_nesting_that_parses_but_exceeds_the_depth_cap_is_refused(db, user):
    body = json.dumps({"bio": json.loads("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))})

    response = _member_client(user).patch("/api/v1/me/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_the_depth_check_counts_levels():
    assert not nested_too_deep(json.loads("[" * 64 + "]" * 64))
    assert nested_too_deep(json.loads("[" * 65 + "]" * 65))
    assert not nested_too_deep({"a": [1, {"b": "deep string [[[["}]})


WRITE_METHODS = sorted((n, m) for n, m in _api_methods() if m in {"POST", "PUT", "PATCH"})


@pytest.mark.parametrize(
    ("name", "method"), WRITE_METHODS, ids=[f"{m} {n}" for n, m in WRITE_METHODS]
)
def test_no_json_endpoint_answers_a_deep_body_with_a_server_error(db, user, name, method):
    client = _member_client(user)

    response = getattr(client, method.lower())(
        _dummy_path(name, api=True), DEEP_JSON, content_type="application/json"
    )

    # Some endpoints refuse earlier (a signature, their own batch check) or never read a body:
    # any answer but a 500, refusals in the API's error shape.
    assert response.status_code < 500, (name, response.status_code)
    if response.status_code >= 400:
        assert "code" in response.json()


def test_every_api_view_parses_json_with_the_guarded_parser():
    unguarded = []
    for _, pattern in named_routes():
        view = getattr(pattern.callback, "cls", None) or getattr(
            pattern.callback, "view_class", None
        )
        for parser in getattr(view, "parser_classes", []):
            if issubclass(parser, drf_parsers.JSONParser) and parser.__module__ != "config.parsers":
                unguarded.append(pattern.name)
    assert unguarded == []


@pytest.mark.django_db(transaction=True)
async def test_a_frame_nested_30000_deep_is_a_bad_frame_and_the_socket_stays_open(user, token):
    socket = await open_socket(token)

    await socket.send_to(text_data="[" * 30000 + "]" * 30000)
    error = await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "ping"})
    pong = await socket.receive_json_from(timeout=5)

    assert (error["type"], error["code"]) == ("realtime.error", "bad_frame")
    assert pong["type"] == "realtime.pong"
    await socket.disconnect()


# --- unknown /api/ paths ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "get"])
def test_an_unknown_api_path_is_a_json_404_for_every_method(db, user, method):
    # A browser session without a CSRF token: the case that answered an HTML "CSRF failed" 403.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    if method == "get":
        response = client.get("/api/v1/no-such-thing/")
    else:
        response = getattr(client, method)(
            "/api/v1/no-such-thing/", "{}", content_type="application/json"
        )

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "delete"])
def test_an_unknown_api_path_is_a_json_404_for_anonymous_callers(db, method):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/nope")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
