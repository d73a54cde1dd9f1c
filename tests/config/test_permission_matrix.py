"""The permission matrix: nobody reads or changes what is not theirs.

Four tables pin who may call what:

* every (URL name, method) under ``/api/v1/`` against an anonymous caller (401
  ``not_authenticated`` unless the endpoint is public); the table is checked against the URLconf,
  so a new endpoint fails here until it gets a row;
* every object endpoint called by somebody who does not own the object, or lacks the role it
  needs (``OBJECT_CASES`` in ``permission_cases.py``), with the refusal's status and code, and for
  state-changing calls a check that nothing changed;
* list endpoints, which must never show another member's rows;
* HTML pages (anonymous: redirect to the login page; others: 403/404) and the WebSocket topics
  and actions of ``realtime`` (``realtime.error`` ``forbidden`` for someone else's topic).
"""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from community.models import Notification
from tests.config.permission_cases import (
    ANONYMOUS_API,
    MEMBER,
    OBJECT_CASES,
    PUBLIC,
    Case,
    World,
    named_routes,
    path_for,
    route_of,
)
from tests.factories import token_for
from tests.groupbuy.conftest import client_for
from tests.realtime.conftest import open_socket

# Placeholder values for URL arguments: an anonymous caller must be refused before any lookup.
DUMMY_KWARGS = {"int": 999999, "str": "nobody", "slug": "no-such-store"}


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path  # uploads made by the world or by a leaked request stay here
    return World()


def _dummy_path(name: str, *, api: bool) -> str:
    _, pattern = route_of(name, api=api)
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        kwargs[key] = DUMMY_KWARGS.get(kind, "x")
    return path_for(name, api=api, **kwargs)


def _api_methods() -> set[tuple[str, str]]:
    found = set()
    for route, pattern in named_routes():
        if not route.startswith("api/v1/"):
            continue
        view = getattr(pattern.callback, "view_class", None) or pattern.callback.cls
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                found.add((pattern.name, method.upper()))
    return found


def _send(client, method: str, path: str, body=None, multipart=False):
    call = getattr(client, method.lower())
    if body is None:
        return call(path)
    return call(path, body, format="multipart" if multipart else "json")


# --- anonymous callers -----------------------------------------------------------------------------


def test_the_anonymous_table_lists_every_api_endpoint_and_method():
    # Why: the team rule is "every endpoint has a permission test"; this keeps the table honest.
    table = {(name, method) for name, method, _ in ANONYMOUS_API}
    assert table == _api_methods()


@pytest.mark.parametrize(
    ("name", "method", "access"),
    [pytest.param(*row, id=f"{row[1]} {row[0]}") for row in ANONYMOUS_API],
)
def test_anonymous_api_access(db, api_client, name, method, access):
    response = _send(api_client, method, _dummy_path(name, api=True))

    if access == MEMBER:
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "not_authenticated"
    else:
        assert access == PUBLIC
        assert response.status_code not in (401, 403), response.content


def test_anonymous_relay_push_needs_the_signature(db, api_client, settings):
    # Mounted as the embedded mode mounts it (config.urls leaves it out with Redis).
    settings.REALTIME_RELAY_ENABLED = True
    settings.ROOT_URLCONF = "tests.realtime.relay_urls"
    response = api_client.post("/internal/realtime/relay", b"{}", content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (403, "bad_signature")


# --- someone else's objects, or a missing role ----------------------------------------------------


@pytest.mark.parametrize("case", OBJECT_CASES)
def test_object_access_is_refused(world, case: Case):
    path = case.path(world)  # build the objects first, as their owners
    body = case.body(world) if case.body else None
    caller = getattr(world, case.who)

    response = _send(client_for(caller), case.method, path, body, case.multipart)

    assert response.status_code == case.status, response.content
    if case.code is not None:
        assert response.json()["code"] == case.code
    if case.unchanged is not None:
        assert case.unchanged(world)


# --- lists show only the caller's own rows ------------------------------------------------------

LIST_CASES = [
    pytest.param("order-list", "pending_order", id="orders"),
    pytest.param("chat-rooms", "group_room", id="rooms"),
    pytest.param("support-conversations", "conversation", id="support-conversations"),
    pytest.param("feedback", "feedback", id="feedback"),
    pytest.param("share-links", "share_link", id="share-links"),
    pytest.param("notifications", "notification", id="notifications"),
    pytest.param("creator-code-list", "creator_code", id="creator-codes"),
]


@pytest.mark.parametrize(("name", "owned"), LIST_CASES)
def test_lists_never_show_another_members_rows(world, name, owned):
    getattr(world, owned)  # somebody else's row exists
    response = client_for(world.mallory).get(path_for(name))

    assert response.status_code == 200
    body = response.json()
    # Every list answers {results: [...]} (support adds "assigned", empty for non-agents).
    assert body["results"] == []
    assert body.get("assigned", []) == []


def test_marking_notifications_read_touches_only_my_own(world):
    notification = world.notification

    response = client_for(world.mallory).post(
        path_for("notifications-read"), {"up_to_seq": 10**6}, format="json"
    )

    assert response.status_code == 200
    assert Notification.objects.get(pk=notification.pk).read_at is None


# --- pages -----------------------------------------------------------------------------------------

# Pages behind @login_required; every other named page is public (200, or 404 for a dummy id).
LOGIN_PAGES = {
    "me",
    "addresses",
    "leaderboard",
    "notifications",
    "settings",
    "store-manage",
    "cart",
    "orders",
    "order",
    "creator-dashboard",
    "my-group-buys",
    "chat",
    "chat-new",
    "chat-room",
    "live-new",
    "live",
    "live-console",
    "support",
    "support-agent",
    "support-conversation",
    "post-compose",
    "share-links",
    "moderation-console",
    "my-moderation",
    "insights-dashboard",
    "insights-experiments",
    "insights-campaigns",
}
PUBLIC_PAGES = {
    "home",
    "login",
    "register",
    "profile",
    "communities",
    "community",
    "products",
    "product",
    "coupons",
    "storefront",
    "flash-sales",
    "flash-sale",
    "campaigns",
    "campaign",
    "team",
    "live-list",
    "feed",
    "post",
    "topic",
    "search",
    "share-redirect",
    "moderation-log",
}
# Not pages: JSON endpoints outside /api/v1/ with their own tests (health, schema, relay, and
# live-ingest: nginx-rtmp's callbacks, tests/chat/test_live_ingest_api.py).
NOT_PAGES = {"healthz", "realtime-relay", "live-ingest", "api-schema", "api-docs"}


def _page_names() -> set[str]:
    return {p.name for route, p in named_routes() if not route.startswith(("api/", "^api/"))}


def test_every_page_is_classified():
    assert _page_names() - NOT_PAGES == LOGIN_PAGES | PUBLIC_PAGES


@pytest.mark.parametrize("name", sorted(LOGIN_PAGES))
def test_private_pages_send_anonymous_visitors_to_login(db, name):
    path = _dummy_path(name, api=False)
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


PAGE_CASES = [
    pytest.param("order", "pending_order", "mallory", 404, id="order-of-another"),
    pytest.param("chat-room", "group_room", "mallory", 403, id="chat-room-of-others"),
    pytest.param("creator-dashboard", None, "mallory", 404, id="creator-dashboard-non-creator"),
    pytest.param("support-agent", None, "mallory", 403, id="support-console-non-agent"),
    pytest.param("support-conversation", "conversation", "mallory", 403, id="support-of-another"),
    pytest.param("live-console", "stream", "rival", 403, id="live-console-of-another-host"),
    pytest.param("live-new", None, "mallory", 403, id="live-new-non-creator"),
    pytest.param("post", "draft", "mallory", 404, id="draft-post-of-another"),
    pytest.param("moderation-console", None, "mallory", 403, id="moderation-console-non-moderator"),
    pytest.param("insights-dashboard", None, "mallory", 403, id="insights-dashboard-non-staff"),
    pytest.param("insights-experiments", None, "mallory", 403, id="experiments-page-non-staff"),
    pytest.param("insights-campaigns", None, "mallory", 403, id="campaigns-page-non-staff"),
]


@pytest.mark.parametrize(("name", "owned", "who", "status"), PAGE_CASES)
def test_private_pages_refuse_other_members(world, name, owned, who, status):
    if owned is None:
        path = path_for(name, api=False)
    else:
        (key,) = route_of(name, api=False)[1].pattern.converters
        path = path_for(name, api=False, **{key: getattr(world, owned).pk})
    client = Client()
    client.force_login(getattr(world, who))

    assert client.get(path).status_code == status


# --- WebSocket topics and actions -------------------------------------------------------------------


def _socket_world():
    world = World()
    return world, token_for(world.mallory)


SOCKET_TOPICS = [
    pytest.param(lambda w: f"chat.room:{w.group_room.pk}", id="chat.room-of-others"),
    pytest.param(lambda w: f"chat.room:{w.conversation.room_id}", id="support-room-of-another"),
    pytest.param(lambda w: f"user:{w.alice.pk}", id="user-of-another"),
    pytest.param(lambda w: "insights.live", id="insights.live-non-staff"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("topic_of", SOCKET_TOPICS)
async def test_subscribing_to_another_members_topic_is_forbidden(topic_of):
    world, token = await sync_to_async(_socket_world)()
    topic = await sync_to_async(topic_of)(world)
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": topic})
    error = await socket.receive_json_from(timeout=5)

    assert (error["type"], error["code"], error["topic"]) == ("realtime.error", "forbidden", topic)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_socket_actions_in_another_members_room_are_refused():
    world, token = await sync_to_async(_socket_world)()
    room_id = await sync_to_async(lambda: world.group_room.pk)()
    socket = await open_socket(token)

    await socket.send_json_to({"action": "typing", "topic": f"chat.room:{room_id}"})
    typing = await socket.receive_json_from(timeout=5)
    await socket.send_json_to(
        {"action": "chat.send", "room": room_id, "body": "let me in", "client_msg_id": "x1"}
    )
    sent = await socket.receive_json_from(timeout=5)

    assert (typing["type"], typing["code"]) == ("realtime.error", "forbidden")
    assert (sent["type"], sent["code"]) == ("realtime.error", "not_a_member")
    await socket.disconnect()
