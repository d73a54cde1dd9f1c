"""API.md "Conventions", Errors, across every section: edge inputs never give a 500 and always
give the error shape, with the exact status and code wherever API.md or docs/*.md define them."""

import pytest

from chat.services import room_direct_get_or_create
from tests.contract.helpers import app, assert_error, assert_error_shape, assert_page
from tests.factories import UserFactory
from tests.groupbuy import flashflow
from tests.groupbuy.orderflow import paid_order
from tests.groupbuy.orderflow import product as make_product

pytestmark = pytest.mark.django_db

# Where API.md and docs/*.md say nothing about the answer, ANY_4XX asks only for the error shape.
ANY_4XX = (None, None)
NOT_FOUND = (404, "not_found")
INVALID = (400, "validation_error")


def case(method, path, data, expected):
    return pytest.param(method, path, data, *expected, id=f"{method} {path} {data!r}"[:90])


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def room_id(member):
    room, _ = room_direct_get_or_create(actor=member, other=UserFactory())
    return room.pk


@pytest.mark.parametrize(
    "method,path,data,status,code",
    [
        case("get", "/api/v1/rooms/{room}/messages/?after_seq=abc", None, INVALID),
        case("get", "/api/v1/rooms/{room}/messages/?before_seq=x", None, INVALID),
        case("get", "/api/v1/rooms/{room}/messages/?limit=-1", None, INVALID),
        case("get", "/api/v1/notifications/?after_seq=-5", None, INVALID),
        case("get", "/api/v1/notifications/?after_seq=x", None, INVALID),
        case("get", "/api/v1/points/leaderboard/?community=abc", None, INVALID),
        # Search refuses queries it cannot run (none, or over 100 characters): invalid_query.
        case("get", "/api/v1/search/", None, (400, "invalid_query")),
        case("get", "/api/v1/search/?q=" + "x" * 200, None, (400, "invalid_query")),
        # architecture.md: a NUL in the query is refused before any view.
        case("get", "/api/v1/search/?q=%00", None, (400, "bad_request")),
        case("get", "/api/v1/feeds/trending/?cursor=garbage", None, ANY_4XX),
        case("get", "/api/v1/products/?cursor=garbage", None, ANY_4XX),
        case("post", "/api/v1/orders/", {"items": []}, INVALID),
        case("post", "/api/v1/orders/", {"items": "nope"}, INVALID),
        case(
            "post",
            "/api/v1/orders/",
            {"items": [{"product": 1, "quantity": 1}], "points": -1},
            INVALID,
        ),
        # commerce.md: 404 for products not on sale.
        case("post", "/api/v1/orders/", {"items": [{"product": 999999, "quantity": 1}]}, NOT_FOUND),
        case("post", "/api/v1/orders/999999/pay/", None, NOT_FOUND),
        case("post", "/api/v1/orders/999999/cancel/", None, NOT_FOUND),
        case("post", "/api/v1/orders/999999/refund/", None, NOT_FOUND),
        case("get", "/api/v1/orders/999999/after-sales/", None, NOT_FOUND),
        case("post", "/api/v1/payments/sandbox/999999/complete/", None, NOT_FOUND),
        # commerce.md lists coupon_unavailable among claim refusals but not what an unknown id gets.
        case("post", "/api/v1/coupons/999999/claim/", None, ANY_4XX),
        case("post", "/api/v1/flash-sales/999999/orders/", {"quantity": 1}, NOT_FOUND),
        case("post", "/api/v1/flash-sales/999999/reminder/", None, NOT_FOUND),
        case("post", "/api/v1/campaigns/999999/teams/", None, NOT_FOUND),
        case("post", "/api/v1/teams/999999/join/", None, NOT_FOUND),
        # chat.md names unknown_users for group members only; a direct room's peer is unspecified.
        case("post", "/api/v1/rooms/", {"kind": "direct", "user": "ghost"}, ANY_4XX),
        case(
            "post",
            "/api/v1/rooms/",
            {"kind": "group", "title": "x", "members": ["ghost"]},
            (400, "unknown_users"),
        ),
        case("post", "/api/v1/rooms/", {"kind": "weird"}, INVALID),
        case("post", "/api/v1/rooms/999999/read/", {"seq": 1}, NOT_FOUND),
        case("post", "/api/v1/rooms/{room}/read/", {"seq": "x"}, INVALID),
        case(
            "post",
            "/api/v1/rooms/{room}/messages/",
            {"body": "", "client_msg_id": "c", "card": {"kind": "zzz", "id": 1}},
            (400, "unknown_card_kind"),
        ),
        case(
            "post",
            "/api/v1/livestreams/999999/comments/",
            {"body": "x", "client_msg_id": "a"},
            NOT_FOUND,
        ),
        case("post", "/api/v1/livestreams/999999/likes/", None, NOT_FOUND),
        case("post", "/api/v1/support/conversations/", {"body": ""}, INVALID),
        case(
            "post",
            "/api/v1/support/conversations/",
            {"body": "x", "order": 999999},
            (400, "not_your_order"),
        ),
        case(
            "post",
            "/api/v1/share-links/",
            {"target_type": "post", "target_id": 999999},
            (400, "share_target_invalid"),
        ),
        case("post", "/api/v1/share-links/", {"target_type": "bogus", "target_id": 1}, INVALID),
        case("get", "/api/v1/share-links/NOPE/stats/", None, (404, "share_link_not_found")),
        case("post", "/api/v1/posts/999999/like/", None, (404, "post_not_found")),
        case("delete", "/api/v1/posts/999999/save/", None, (404, "post_not_found")),
        case("get", "/api/v1/posts/999999/comments/", None, (404, "post_not_found")),
        case("post", "/api/v1/posts/", {"title": ""}, INVALID),
        case("post", "/api/v1/users/nobody/follow/", None, NOT_FOUND),
        case("post", "/api/v1/communities/999999/join/", None, NOT_FOUND),
        case("put", "/api/v1/me/", {"bio": "x"}, (405, "method_not_allowed")),
    ],
)
def test_edge_inputs_never_give_a_500_and_always_give_the_error_shape(
    member, room_id, method, path, data, status, code
):
    client = app(member)
    url = path.format(room=room_id)

    response = (
        getattr(client, method)(url, data, format="json") if data else getattr(client, method)(url)
    )

    if status is None:
        assert_error_shape(response)
    else:
        assert_error(response, status, code)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/points/leaderboard/?period=week&community=999999",
        "/api/v1/topics/%20/posts/",
        # Unknown query parameters are ignored.
        "/api/v1/feeds/for-you/?page=abc",
    ],
)
def test_harmless_edge_queries_answer_an_empty_page(member, path):
    response = app(member).get(path)

    assert response.status_code == 200
    assert assert_page(response.json()) == []


def test_checkin_ignores_a_body_it_does_not_take(member):
    response = app(member).post("/api/v1/checkins/", "not-json-object", format="json")

    assert response.status_code == 201


def test_following_yourself_is_400_cannot_follow_self(member):
    assert_error(
        app(member).post(f"/api/v1/users/{member.username}/follow/"), 400, "cannot_follow_self"
    )


def test_direct_room_with_yourself_is_400_cannot_message_self(member):
    response = app(member).post(
        "/api/v1/rooms/", {"kind": "direct", "user": member.username}, format="json"
    )

    assert_error(response, 400, "cannot_message_self")


def test_after_sales_of_an_unknown_kind_is_400_validation_error(member):
    order = paid_order(member, [(make_product(stock=5).pk, 1)])

    response = app(member).post(
        f"/api/v1/orders/{order.pk}/after-sales/", {"kind": "x", "reason": "other"}, format="json"
    )

    body = assert_error(response, 400, "validation_error")
    assert set(body["fields"]) == {"kind"}


def test_flash_order_of_zero_is_400_validation_error(member):
    sale = flashflow.make_sale(stock=10, limit=2)

    response = app(member).post(
        f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 0}, format="json"
    )

    body = assert_error(response, 400, "validation_error")
    assert set(body["fields"]) == {"quantity"}
