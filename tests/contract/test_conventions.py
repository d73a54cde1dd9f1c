"""API.md "Conventions" and "Health and docs": auth, the error shape, cursor pages, throttling,
/healthz, the OpenAPI schema and Swagger UI."""

import pytest
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from groupbuy.models import Product
from tests.contract.helpers import app, assert_error, assert_page
from tests.factories import PASSWORD, UserFactory
from tests.groupbuy.orderflow import product as make_product

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_dependency_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # Without REDIS_URL the app runs embedded: in-memory channel layer, filesystem broker.
    assert body["channel_layer"] == ("ok" if settings.REDIS_URL else "in_memory")
    assert body["broker"] == ("ok" if settings.REDIS_URL else "embedded")


def test_healthz_is_503_naming_the_broken_dependency(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_openapi_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_swagger_ui_is_served(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_unknown_api_path_is_json_not_found(client):
    assert_error(client.get("/api/v1/nope/"), 404, "not_found")


def test_anonymous_request_to_member_endpoint_is_401_not_authenticated():
    assert_error(app().get("/api/v1/me/"), 401, "not_authenticated")


def test_unknown_token_is_401_authentication_failed():
    client = app()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_session_cookie_authenticates_like_a_token(client):
    person = UserFactory()
    client.login(username=person.username, password=PASSWORD)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == person.username


def test_validation_error_names_each_bad_field():
    body = assert_error(
        app().post("/api/v1/auth/login/", {}, format="json"), 400, "validation_error"
    )

    assert set(body["fields"]) == {"username", "password"}


def test_wrong_method_is_405_method_not_allowed(user):
    assert_error(app(user).delete("/api/v1/products/"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/products/",
        "/api/v1/orders/",
        "/api/v1/rooms/",
        "/api/v1/communities/",
        "/api/v1/campaigns/",
        "/api/v1/livestreams/",
        "/api/v1/coupons/available/",
        "/api/v1/notifications/",
        "/api/v1/points/ledger/",
        "/api/v1/points/leaderboard/?period=week",
        "/api/v1/feeds/following/",
        "/api/v1/feeds/for-you/",
        "/api/v1/feeds/trending/",
        "/api/v1/topics/hotpot/posts/",
        "/api/v1/search/?q=tea&type=post",
    ],
)
def test_every_list_endpoint_answers_a_cursor_page(user, path):
    response = app(user).get(path)

    assert response.status_code == 200, response.content[:300]
    assert_page(response.json())


def test_cursor_links_page_forwards_and_back():
    Product.objects.bulk_create(
        [Product(title=f"Tea {i}", price="9.90", stock=1, status="active") for i in range(20)]
    )
    make_product(title="One more")

    first = app().get("/api/v1/products/").json()
    second = app().get(first["next"]).json()
    back = app().get(second["previous"]).json()

    assert first["previous"] is None
    assert len(assert_page(first)) == 20
    assert len(assert_page(second)) == 1
    assert second["next"] is None
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_throttled_request_is_429_with_retry_after(user, monkeypatch):
    # A low member rate keeps this fast; the production rate is an env setting.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/min"}
    )
    client = app(user)

    statuses = [client.get("/api/v1/me/").status_code for _ in range(3)]
    refused = client.get("/api/v1/me/")

    assert statuses == [200, 200, 200]
    assert_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/coupons/mine/",
        "/api/v1/coupons/available/",
        "/api/v1/me/teams/",
        "/api/v1/tasks/",
        "/api/v1/tiers/",
        "/api/v1/topics/trending/",
        "/api/v1/notifications/",
        "/api/v1/points/ledger/",
        "/api/v1/points/leaderboard/",
        "/api/v1/orders/",
        "/api/v1/rooms/",
        "/api/v1/campaigns/",
        "/api/v1/flash-sales/",
        "/api/v1/livestreams/",
        "/api/v1/share-links/",
        "/api/v1/feeds/following/",
    ],
)
def test_every_list_a_member_reads_has_the_page_shape(path):
    response = app(UserFactory()).get(path)

    assert response.status_code == 200, response.content[:300]
    assert_page(response.json())
