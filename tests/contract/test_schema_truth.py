"""Finding 8 of issue #17 (schema truth): /api/schema/ documents what these endpoints answer."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _answer(schema: dict, path: str, method: str, status: str) -> dict:
    responses = schema["paths"][path][method]["responses"]
    assert status in responses, (path, method, sorted(responses))
    return _resolve(schema, responses[status]["content"]["application/json"]["schema"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/categories/",
        "/api/v1/feedback/",
        "/api/v1/livestreams/{stream_id}/comments/",
        "/api/v1/users/{username}/followers/",
        "/api/v1/users/{username}/following/",
    ],
)
def test_lists_are_documented_in_the_list_shape(schema, path):
    page = _answer(schema, path, "get", "200")

    assert {"next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"


@pytest.mark.parametrize(
    "path", ["/api/v1/users/{username}/followers/", "/api/v1/users/{username}/following/"]
)
def test_follow_edges_carry_their_created_at(schema, path):
    edge = _resolve(schema, _answer(schema, path, "get", "200")["properties"]["results"]["items"])

    assert {"user", "created_at"} <= set(edge["required"])


@pytest.mark.parametrize("path", ["/api/v1/posts/{post_id}/like/", "/api/v1/posts/{post_id}/save/"])
def test_unlike_and_unsave_are_documented_with_the_200_they_answer(schema, path):
    responses = schema["paths"][path]["delete"]["responses"]

    assert set(responses) == {"200"}


def test_order_items_show_the_id_a_review_needs(schema):
    order = _answer(schema, "/api/v1/orders/{order_id}/", "get", "200")
    item = _resolve(schema, order["properties"]["items"]["items"])

    assert "id" in item["properties"]


def test_the_feedback_list_answers_what_the_schema_says(user):
    client = APIClient()
    client.force_authenticate(user)

    body = client.get("/api/v1/feedback/").json()

    assert body == {"next": None, "previous": None, "results": []}
