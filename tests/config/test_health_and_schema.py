import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["channel_layer"] == ("ok" if settings.REDIS_URL else "in_memory")
    assert body["broker"] == ("ok" if settings.REDIS_URL else "embedded")


def test_healthz_is_503_and_names_the_broken_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


def test_healthz_is_503_when_the_channel_layer_redis_is_down(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0"}]},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["channel_layer"].startswith("error")


def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/login/",
        "/api/v1/auth/logout/",
        "/api/v1/me/",
        "/api/v1/users/{username}/",
    ]:
        assert f"{path}:" in text


def test_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def test_schema_endpoint_serves_openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_responses_carry_a_request_id_and_echo_a_safe_incoming_one(client):
    generated = client.get("/healthz")["X-Request-ID"]
    echoed = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"]
    unsafe = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]

    assert len(generated) == 32
    assert echoed == "abc-123"
    assert unsafe != "bad id\n" and len(unsafe) == 32
