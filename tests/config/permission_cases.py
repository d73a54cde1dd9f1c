"""The permission matrix's data: who owns what (``World``) and the tables of requests that must be
refused. ``tests/config/test_permission_matrix.py`` runs them.

Every object is built lazily, so a case pays only for the objects its URL names.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from chat.services import message_send, room_direct_get_or_create, room_group_create
from chat.services.live import livestream_create
from chat.services.support import feedback_create, support_conversation_open
from community.models import Campaign, Experiment
from community.services import role_grant
from community.services.communities import community_create, community_join
from community.services.insights.campaigns import campaign_create
from community.services.insights.experiments import experiment_create
from community.services.moderation.decisions import item_decide
from community.services.moderation.reports import report_create
from community.services.moderation.words import watched_word_add
from community.services.notifications import notification_send
from feeds.services.interactions import comment_create
from feeds.services.posts import post_image_add
from feeds.services.reviews import review_create
from feeds.services.shares import share_link_create
from groupbuy import services as shop
from groupbuy.services import after_sales_open, order_create, payment_create
from tests.chat.conftest import member
from tests.feeds.conftest import completed_item, image_bytes, make_post, upload
from tests.groupbuy.orderflow import delivered_order, paid_order, product

# --- the world ------------------------------------------------------------------------------------


class World:
    """Alice owns things; Bob shares a group chat with her; Mallory is a plain member with no tie
    to anything; staff, a creator (Lily), a rival creator and a support agent hold roles."""

    def _role(self, username: str, role: str):
        person = member(username=username)
        role_grant(actor=None, user=person, role=role)
        return person

    # people
    @cached_property
    def alice(self):
        return member(username="alice")

    @cached_property
    def bob(self):
        return member(username="bob")

    @cached_property
    def carol(self):
        return member(username="carol")

    @cached_property
    def mallory(self):
        return member(username="mallory")

    @cached_property
    def staff(self):
        return self._role("warehouse", "staff")

    @cached_property
    def lily(self):
        return self._role("lily", "creator")

    @cached_property
    def rival(self):
        return self._role("rival", "creator")

    @cached_property
    def agent(self):
        return self._role("agent_ann", "support_agent")

    # commerce
    @cached_property
    def product(self):
        return product(stock=100)

    def _items(self):
        return [(self.product.pk, 1)]

    @cached_property
    def address(self):
        from groupbuy.services.addresses import address_create

        return address_create(
            actor=self.alice, name="Alice", phone="13800138000", region="上海市", detail="1 号"
        )

    @cached_property
    def pending_order(self):
        return order_create(buyer=self.alice, items=self._items())

    @cached_property
    def payment(self):
        return payment_create(actor=self.alice, order_id=self.pending_order.pk)

    @cached_property
    def paid_order(self):
        return paid_order(self.alice, self._items())

    @cached_property
    def delivered_order(self):
        return delivered_order(self.alice, self._items(), self.staff)

    @cached_property
    def after_sales(self):
        return after_sales_open(
            actor=self.alice, order_id=self.delivered_order.pk, kind="return", reason="damaged"
        )

    @cached_property
    def storefront(self):
        return shop.storefront_create(actor=self.lily, slug="lily-kitchen", title="Lily's kitchen")

    @cached_property
    def collection(self):
        return shop.collection_create(actor=self.lily, storefront=self.storefront, title="Pantry")

    @cached_property
    def collection_item(self):
        return shop.collection_item_add(
            actor=self.lily, collection=self.collection, product_id=self.product.pk
        )

    @cached_property
    def creator_code(self):
        return shop.creator_code_create(actor=self.lily, code="LILY10", discount_percent=10)

    # chat and support
    @cached_property
    def group_room(self):
        """Alice owns it; Bob and Carol are plain members."""
        return room_group_create(actor=self.alice, title="Crew", members=[self.bob, self.carol])

    @cached_property
    def direct_room(self):
        return room_direct_get_or_create(actor=self.alice, other=self.bob)[0]

    @cached_property
    def mallory_room(self):
        """Mallory's own direct room, to try sharing what is not hers."""
        return room_direct_get_or_create(actor=self.mallory, other=self.bob)[0]

    @cached_property
    def message(self):
        return message_send(actor=self.alice, room=self.group_room, body="hi", client_msg_id="m1")[
            0
        ]

    @cached_property
    def conversation(self):
        return support_conversation_open(actor=self.alice, body="Where is my parcel?")

    @cached_property
    def feedback(self):
        return feedback_create(actor=self.alice, body="Love the chili oil")

    @cached_property
    def stream(self):
        return livestream_create(
            actor=self.lily,
            title="Cooking with Lily",
            starts_at=timezone.now() + timedelta(hours=1),
            stream_url="https://video.example.com/lily.m3u8",
        )

    # community and feeds
    @cached_property
    def community(self):
        """Alice owns an approval-only community; Bob has asked to join."""
        community = community_create(actor=self.alice, name="Hotpot lovers", join_policy="approval")
        community_join(actor=self.bob, community=community)
        return community

    @cached_property
    def post(self):
        return make_post(self.alice)

    @cached_property
    def draft(self):
        return make_post(self.alice, title="Secret recipe", publish=False)

    @cached_property
    def post_image(self):
        return post_image_add(actor=self.alice, post=self.post, upload=upload())

    @cached_property
    def comment(self):
        return comment_create(actor=self.alice, post=self.post, body="Yum")

    @cached_property
    def review(self):
        item = completed_item(self.alice, self.product)
        return review_create(actor=self.alice, order_item_id=item.pk, rating=5, body="Great")

    @cached_property
    def share_link(self):
        return share_link_create(
            actor=self.alice, target_type="product", target_id=self.product.pk
        )[0]

    @cached_property
    def notification(self):
        return notification_send(user_id=self.alice.pk, type="tier_changed", title="Gold!")

    @cached_property
    def moderation_item(self):
        """Bob's report of Alice's profile, open in the queue."""
        report = report_create(
            reporter=self.bob, target_type="user", target_id=self.alice.pk, category="spam"
        )
        return report.item

    @cached_property
    def decision(self):
        """A warning to Alice (hers to appeal, nobody else's)."""
        item = item_decide(
            moderator=self.staff,
            item_id=self.moderation_item.pk,
            action="warn",
            reason="Please keep it civil.",
            version=self.moderation_item.version,
        )
        return item.decisions.get()

    @cached_property
    def watched_word(self):
        return watched_word_add(actor=self.staff, word="spamword", action="flag")


# --- cases ----------------------------------------------------------------------------------------

# URL keyword arguments name World attributes; these keywords take a field other than the pk.
_FIELD_OF = {"username": "username", "slug": "slug", "code": "code"}


def named_routes(patterns=None, prefix=""):
    """(route, pattern) for every named URL outside the admin, in URLconf order."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if "admin" not in str(pattern.pattern):
                yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern


def route_of(name: str, *, api: bool) -> tuple[str, URLPattern]:
    """The route of a URL name among the API's URLs or the pages. Several pages share their
    name with an endpoint ("me", "chat-room", ...), so reverse() alone would pick either."""
    for route, pattern in named_routes():
        if pattern.name == name and route.startswith("api/v1/") == api:
            return route, pattern
    raise LookupError(f"no {'API' if api else 'page'} URL named {name!r}")


def path_for(name: str, /, *, api: bool = True, **kwargs) -> str:
    """The path of a named URL; an unknown name or a missing argument fails loudly, so a typo
    can never pass as a 404."""
    route, pattern = route_of(name, api=api)
    assert set(kwargs) == set(pattern.pattern.converters), (name, kwargs)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(str(kwargs[m.group(1)])), route)
    assert resolve("/" + path).url_name == name, path
    return "/" + path


def url(name: str, **kwargs: str) -> Callable[[World], str]:
    """An API path whose arguments name World attributes (their pk, or username/slug/code)."""

    def build(world: World) -> str:
        resolved = {}
        for key, attr in kwargs.items():
            resolved[key] = getattr(getattr(world, attr), _FIELD_OF.get(key, "pk"))
        return path_for(name, **resolved)

    return build


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    who: str  # a World attribute, or "anon"
    status: int
    code: str | None = None
    body: Callable[[World], Any] | None = None
    multipart: bool = False
    # A check that the refused request changed nothing, when a status alone would not show it.
    unchanged: Callable[[World], bool] | None = field(default=None, compare=False)


def image_body(_world: World) -> dict:
    return {"image": upload(image_bytes()), "client_msg_id": "img1"}


def _in_an_hour() -> str:
    return (timezone.now() + timedelta(hours=1)).isoformat()


def _in_a_day() -> str:
    return (timezone.now() + timedelta(days=1)).isoformat()


def campaign_body(world: World) -> dict:
    return {
        "product": world.product.pk,
        "group_price": "39.90",
        "team_size": 3,
        "stock": 10,
        "per_user_limit": 1,
        "starts_at": _in_an_hour(),
        "ends_at": _in_a_day(),
    }


def flash_body(world: World) -> dict:
    return {
        "product": world.product.pk,
        "price": "9.90",
        "stock": 10,
        "starts_at": _in_an_hour(),
        "ends_at": _in_a_day(),
        "per_user_limit": 1,
    }


def deal_body(world: World) -> dict:
    return {
        "kind": "flash_sale",
        "product": world.product.pk,
        "price": "50.00",
        "stock": 5,
        "minutes": 10,
    }


def product_body(_world: World) -> dict:
    return {"title": "Stolen goods", "price": "1.00", "stock": 1}


def status_of(model_obj) -> str:
    model_obj.refresh_from_db()
    return model_obj.status


PUBLIC, MEMBER = "public", "member"

# Every (url name, method) under /api/v1/, and whether an anonymous caller may use it. The test
# module checks this table against the URLconf, so a new endpoint cannot ship without a row.
ANONYMOUS_API = [
    ("auth-register", "POST", PUBLIC),
    ("auth-login", "POST", PUBLIC),
    ("auth-logout", "POST", MEMBER),
    ("me", "GET", MEMBER),
    ("me", "PATCH", MEMBER),
    ("me", "DELETE", MEMBER),
    ("user-detail", "GET", PUBLIC),
    ("checkins", "GET", MEMBER),
    ("checkins", "POST", MEMBER),
    ("points-summary", "GET", MEMBER),
    ("points-ledger", "GET", MEMBER),
    ("points-leaderboard", "GET", MEMBER),
    ("points-adjust", "POST", MEMBER),
    ("reports", "POST", MEMBER),
    ("moderation-queue", "GET", MEMBER),
    ("moderation-item", "GET", MEMBER),
    ("moderation-claim", "POST", MEMBER),
    ("moderation-decide", "POST", MEMBER),
    ("moderation-act", "POST", MEMBER),
    ("moderation-words", "GET", MEMBER),
    ("moderation-words", "POST", MEMBER),
    ("moderation-word", "DELETE", MEMBER),
    ("moderation-log", "GET", PUBLIC),
    ("events", "POST", PUBLIC),
    ("insights-overview", "GET", MEMBER),
    ("insights-retention", "GET", MEMBER),
    ("insights-funnel", "GET", MEMBER),
    ("insights-lifecycle", "GET", MEMBER),
    ("insights-channels", "GET", MEMBER),
    ("insights-business", "GET", MEMBER),
    ("experiments", "GET", MEMBER),
    ("experiments", "POST", MEMBER),
    # Anonymous visitors are assigned by their X-Visitor-Id (400 visitor_id_required without).
    ("experiment-assignment", "GET", PUBLIC),
    ("experiment-results", "GET", MEMBER),
    ("insights-segments", "GET", MEMBER),
    ("insights-churn-risk", "GET", MEMBER),
    ("insights-campaigns", "GET", MEMBER),
    ("insights-campaigns", "POST", MEMBER),
    ("insights-campaign-rewards", "GET", MEMBER),
    ("insights-campaign", "GET", MEMBER),
    ("insights-campaign-send", "POST", MEMBER),
    ("insights-campaign-results", "GET", MEMBER),
    ("me-moderation", "GET", MEMBER),
    ("appeals", "POST", MEMBER),
    ("tasks", "GET", MEMBER),
    ("tiers", "GET", PUBLIC),
    ("me-invite", "GET", MEMBER),
    ("notifications", "GET", MEMBER),
    ("notifications-unread", "GET", MEMBER),
    ("notifications-read", "POST", MEMBER),
    ("notifications-preferences", "GET", MEMBER),
    ("notifications-preferences", "PUT", MEMBER),
    ("user-follow", "POST", MEMBER),
    ("user-follow", "DELETE", MEMBER),
    ("user-block", "POST", MEMBER),
    ("user-block", "DELETE", MEMBER),
    ("user-profile", "GET", PUBLIC),
    ("user-followers", "GET", PUBLIC),
    ("user-following", "GET", PUBLIC),
    ("me-blocks", "GET", MEMBER),
    ("me-avatar", "POST", MEMBER),
    ("me-interests", "GET", MEMBER),
    ("me-interests", "PUT", MEMBER),
    ("me-suggestions", "GET", MEMBER),
    ("me-export", "GET", MEMBER),
    ("me-account", "POST", MEMBER),
    ("me-account", "DELETE", MEMBER),
    ("community-list", "GET", PUBLIC),
    ("community-list", "POST", MEMBER),
    ("community-detail", "GET", PUBLIC),
    ("community-join", "POST", MEMBER),
    ("community-leave", "POST", MEMBER),
    ("community-members", "GET", PUBLIC),
    ("community-requests", "GET", MEMBER),
    ("community-request-approve", "POST", MEMBER),
    ("community-request-reject", "POST", MEMBER),
    ("community-member-role", "POST", MEMBER),
    ("community-member-remove", "POST", MEMBER),
    ("flash-sale-list", "GET", PUBLIC),
    ("flash-sale-list", "POST", MEMBER),
    ("flash-sale-detail", "GET", PUBLIC),
    ("flash-sale-orders", "POST", MEMBER),
    ("flash-sale-reminder", "POST", MEMBER),
    ("flash-sale-reminder", "DELETE", MEMBER),
    ("campaign-list", "GET", PUBLIC),
    ("campaign-list", "POST", MEMBER),
    ("campaign", "GET", PUBLIC),
    ("campaign-teams", "POST", MEMBER),
    ("team", "GET", PUBLIC),
    ("team-join", "POST", MEMBER),
    ("team-events", "GET", MEMBER),
    ("my-teams", "GET", MEMBER),
    ("my-addresses", "GET", MEMBER),
    ("my-addresses", "POST", MEMBER),
    ("my-address", "GET", MEMBER),
    ("my-address", "PATCH", MEMBER),
    ("my-address", "DELETE", MEMBER),
    ("order-list", "GET", MEMBER),
    ("order-list", "POST", MEMBER),
    ("order-detail", "GET", MEMBER),
    ("order-cancel", "POST", MEMBER),
    ("order-pay", "POST", MEMBER),
    ("order-quote", "POST", MEMBER),
    ("order-refund", "POST", MEMBER),
    ("order-confirm-receipt", "POST", MEMBER),
    ("order-ship", "POST", MEMBER),
    ("order-tracking", "POST", MEMBER),
    ("order-after-sales", "GET", MEMBER),
    ("order-after-sales", "POST", MEMBER),
    ("after-sales-queue", "GET", MEMBER),
    ("after-sales-decide", "POST", MEMBER),
    ("after-sales-withdraw", "POST", MEMBER),
    ("creator-commissions", "GET", MEMBER),
    ("creator-dashboard", "GET", MEMBER),
    ("payments-webhook-sandbox", "POST", PUBLIC),
    ("payments-sandbox-complete", "POST", MEMBER),
    ("coupons-available", "GET", PUBLIC),
    ("coupons-mine", "GET", MEMBER),
    ("coupons-redeem", "POST", MEMBER),
    ("coupons-best", "POST", MEMBER),
    ("coupon-claim", "POST", MEMBER),
    ("coupon-exchange", "POST", MEMBER),
    ("product-list", "GET", PUBLIC),
    ("product-list", "POST", MEMBER),
    ("product-detail", "GET", PUBLIC),
    ("product-detail", "PATCH", MEMBER),
    ("product-images", "POST", MEMBER),
    ("product-image-detail", "DELETE", MEMBER),
    ("category-list", "GET", PUBLIC),
    ("storefront-create", "POST", MEMBER),
    ("storefront-detail", "GET", PUBLIC),
    ("storefront-detail", "PATCH", MEMBER),
    ("storefront-banner", "POST", MEMBER),
    ("storefront-collections", "POST", MEMBER),
    ("storefront-collection-detail", "PATCH", MEMBER),
    ("storefront-collection-detail", "DELETE", MEMBER),
    ("storefront-collection-items", "POST", MEMBER),
    ("storefront-collection-item-detail", "PATCH", MEMBER),
    ("storefront-collection-item-detail", "DELETE", MEMBER),
    ("creator-code-list", "GET", MEMBER),
    ("creator-code-list", "POST", MEMBER),
    ("chat-rooms", "GET", MEMBER),
    ("chat-rooms", "POST", MEMBER),
    ("chat-room", "GET", MEMBER),
    ("chat-messages", "GET", MEMBER),
    ("chat-messages", "POST", MEMBER),
    ("chat-message", "PATCH", MEMBER),
    ("chat-message", "DELETE", MEMBER),
    ("chat-images", "POST", MEMBER),
    ("chat-reactions", "POST", MEMBER),
    ("chat-reaction", "DELETE", MEMBER),
    ("chat-presence", "GET", MEMBER),
    ("chat-read", "POST", MEMBER),
    ("chat-members", "POST", MEMBER),
    ("chat-member", "DELETE", MEMBER),
    ("support-conversations", "GET", MEMBER),
    ("support-conversations", "POST", MEMBER),
    ("support-conversation", "GET", MEMBER),
    ("support-handoff", "POST", MEMBER),
    ("support-claim", "POST", MEMBER),
    ("support-transfer", "POST", MEMBER),
    ("support-close", "POST", MEMBER),
    ("support-rate", "POST", MEMBER),
    ("support-queue", "GET", MEMBER),
    ("support-faq", "GET", MEMBER),
    ("feedback", "GET", MEMBER),
    ("feedback", "POST", MEMBER),
    ("feedback-accept", "POST", MEMBER),
    ("feedback-reject", "POST", MEMBER),
    ("livestreams", "GET", PUBLIC),
    ("livestreams", "POST", MEMBER),
    ("livestream", "GET", PUBLIC),
    ("livestream", "PATCH", MEMBER),
    ("livestream-start", "POST", MEMBER),
    ("livestream-ingest", "GET", MEMBER),
    ("livestream-ingest", "POST", MEMBER),
    ("livestream-end", "POST", MEMBER),
    ("livestream-comments", "GET", PUBLIC),
    ("livestream-comments", "POST", MEMBER),
    ("livestream-comment", "DELETE", MEMBER),
    ("livestream-likes", "POST", MEMBER),
    ("livestream-subscription", "POST", MEMBER),
    ("livestream-subscription", "DELETE", MEMBER),
    ("livestream-deals", "POST", MEMBER),
    ("livestream-mutes", "POST", MEMBER),
    ("livestream-mute", "DELETE", MEMBER),
    ("post-list", "GET", PUBLIC),
    ("post-list", "POST", MEMBER),
    ("post-detail", "GET", PUBLIC),
    ("post-detail", "PATCH", MEMBER),
    ("post-detail", "DELETE", MEMBER),
    ("post-images", "POST", MEMBER),
    ("post-image-detail", "DELETE", MEMBER),
    ("post-like", "POST", MEMBER),
    ("post-like", "DELETE", MEMBER),
    ("post-save", "POST", MEMBER),
    ("post-save", "DELETE", MEMBER),
    ("post-pin", "POST", MEMBER),
    ("post-pin", "DELETE", MEMBER),
    ("post-comments", "GET", PUBLIC),
    ("post-comments", "POST", MEMBER),
    ("comment-detail", "DELETE", MEMBER),
    ("feed-following", "GET", MEMBER),
    ("feed-for-you", "GET", MEMBER),
    ("feed-trending", "GET", PUBLIC),
    ("feed-featured", "GET", PUBLIC),
    ("topics-trending", "GET", PUBLIC),
    ("topic-posts", "GET", PUBLIC),
    ("community-posts", "GET", PUBLIC),
    ("review-create", "POST", MEMBER),
    ("review-detail", "DELETE", MEMBER),
    ("product-reviews", "GET", PUBLIC),
    ("product-review-summary", "GET", PUBLIC),
    ("product-questions", "GET", PUBLIC),
    ("product-questions", "POST", MEMBER),
    ("question-answers", "POST", MEMBER),
    ("search", "GET", PUBLIC),
    ("share-links", "GET", MEMBER),
    ("share-links", "POST", MEMBER),
    ("share-link-stats", "GET", MEMBER),
]


def _experiment_path(world: World, name: str) -> str:
    experiment_create(
        actor=world.staff,
        key="perm_check",
        variants=[{"name": "a", "weight": 1}, {"name": "b", "weight": 1}],
        goal_event="order_paid",
    )
    return path_for(name, key="perm_check")


def _campaign_path(world: World, name: str) -> str:
    campaign = campaign_create(
        actor=world.staff, name="x", segment="active", title="hi", goal_event="order_paid"
    )
    return path_for(name, campaign_id=campaign.pk)


def P(case: Case, id: str):
    """One row of the table, with a readable test id."""
    return pytest.param(case, id=id)


NOT_FOUND = (404, "not_found")
DENIED = (403, "permission_denied")
FORBIDDEN = (403, "forbidden")


def c(method, path, who, expected, body=None, **extra) -> Case:
    status, code = expected
    return Case(method, path, who, status, code, body, **extra)


# Requests on someone else's objects, or needing a role the caller lacks. Orders hide existence
# (404 not_found); chat, support, feeds and livestreams answer 403 with a specific code.
OBJECT_CASES = [
    # --- orders and payments: buyer only -------------------------------------------------------
    P(c("GET", url("order-detail", order_id="pending_order"), "mallory", NOT_FOUND), "order-read"),
    P(c("GET", url("my-address", address_id="address"), "mallory", NOT_FOUND), "address-read"),
    P(
        c(
            "PATCH",
            url("my-address", address_id="address"),
            "mallory",
            NOT_FOUND,
            lambda w: {"name": "Mallory"},
            unchanged=lambda w: type(w.address).objects.get(pk=w.address.pk).name == "Alice",
        ),
        "address-edit",
    ),
    P(
        c(
            "DELETE",
            url("my-address", address_id="address"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: type(w.address).objects.filter(pk=w.address.pk).exists(),
        ),
        "address-delete",
    ),
    P(
        c(
            "POST",
            url("order-cancel", order_id="pending_order"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: status_of(w.pending_order) == "pending_payment",
        ),
        "order-cancel",
    ),
    P(c("POST", url("order-pay", order_id="pending_order"), "mallory", NOT_FOUND), "order-pay"),
    P(
        c(
            "POST",
            url("payments-sandbox-complete", payment_id="payment"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: status_of(w.payment) == "pending",
        ),
        "payment-sandbox-complete",
    ),
    P(
        c(
            "POST",
            url("order-refund", order_id="paid_order"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: status_of(w.paid_order) == "paid",
        ),
        "order-refund",
    ),
    P(
        c(
            "POST",
            url("order-confirm-receipt", order_id="delivered_order"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: status_of(w.delivered_order) == "delivered",
        ),
        "order-confirm-receipt",
    ),
    P(
        c("GET", url("order-after-sales", order_id="delivered_order"), "mallory", NOT_FOUND),
        "after-sales-list",
    ),
    P(
        c(
            "POST",
            url("order-after-sales", order_id="delivered_order"),
            "mallory",
            NOT_FOUND,
            lambda w: {"kind": "return", "reason": "damaged"},
        ),
        "after-sales-open",
    ),
    P(
        c(
            "POST",
            url("after-sales-withdraw", request_id="after_sales"),
            "mallory",
            NOT_FOUND,
            unchanged=lambda w: status_of(w.after_sales) == "open",
        ),
        "after-sales-withdraw",
    ),
    # --- staff fulfilment: the buyer herself is refused (as for a missing order: 404) -----------
    P(
        c(
            "POST",
            url("order-ship", order_id="paid_order"),
            "alice",
            NOT_FOUND,
            lambda w: {"carrier": "SF Express", "tracking_number": "SF1"},
        ),
        "staff-ship-by-buyer",
    ),
    P(
        c(
            "POST",
            url("order-tracking", order_id="paid_order"),
            "alice",
            NOT_FOUND,
            lambda w: {"status": "delivered"},
        ),
        "staff-tracking-by-buyer",
    ),
    P(c("GET", url("after-sales-queue"), "alice", NOT_FOUND), "staff-after-sales-queue"),
    P(
        c(
            "POST",
            url("after-sales-decide", request_id="after_sales"),
            "alice",
            NOT_FOUND,
            lambda w: {"action": "approve"},
            unchanged=lambda w: status_of(w.after_sales) == "open",
        ),
        "staff-after-sales-decide-by-buyer",
    ),
    # --- insights metrics: staff only ------------------------------------------------------------
    P(c("GET", url("insights-overview"), "mallory", FORBIDDEN), "staff-insights-overview"),
    P(c("GET", url("insights-retention"), "mallory", FORBIDDEN), "staff-insights-retention"),
    P(c("GET", url("insights-funnel"), "mallory", FORBIDDEN), "staff-insights-funnel"),
    P(c("GET", url("insights-lifecycle"), "mallory", FORBIDDEN), "staff-insights-lifecycle"),
    P(c("GET", url("insights-channels"), "mallory", FORBIDDEN), "staff-insights-channels"),
    P(c("GET", url("insights-business"), "mallory", FORBIDDEN), "staff-insights-business"),
    # --- experiments, segments and campaigns: staff only ----------------------------------------
    P(c("GET", url("experiments"), "mallory", FORBIDDEN), "staff-experiments-list"),
    P(
        c(
            "POST",
            url("experiments"),
            "mallory",
            FORBIDDEN,
            lambda w: {
                "key": "sneaky",
                "variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}],
                "goal_event": "order_paid",
            },
            unchanged=lambda w: not Experiment.objects.exists(),
        ),
        "staff-experiment-create",
    ),
    P(
        c("GET", lambda w: _experiment_path(w, "experiment-results"), "mallory", FORBIDDEN),
        "staff-experiment-results",
    ),
    P(c("GET", url("insights-segments"), "mallory", FORBIDDEN), "staff-insights-segments"),
    P(c("GET", url("insights-churn-risk"), "mallory", FORBIDDEN), "staff-insights-churn-risk"),
    P(c("GET", url("insights-campaigns"), "mallory", FORBIDDEN), "staff-campaigns-list"),
    P(
        c(
            "POST",
            url("insights-campaigns"),
            "mallory",
            FORBIDDEN,
            lambda w: {"name": "x", "segment": "active", "title": "hi", "goal_event": "order_paid"},
            unchanged=lambda w: not Campaign.objects.exists(),
        ),
        "staff-campaign-create",
    ),
    P(c("GET", url("insights-campaign-rewards"), "mallory", FORBIDDEN), "staff-campaign-rewards"),
    P(
        c("GET", lambda w: _campaign_path(w, "insights-campaign"), "mallory", FORBIDDEN),
        "staff-campaign-read",
    ),
    P(
        c(
            "POST",
            lambda w: _campaign_path(w, "insights-campaign-send"),
            "mallory",
            FORBIDDEN,
            unchanged=lambda w: Campaign.objects.get().status == "draft",
        ),
        "staff-campaign-send",
    ),
    P(
        c("GET", lambda w: _campaign_path(w, "insights-campaign-results"), "mallory", FORBIDDEN),
        "staff-campaign-results",
    ),
    # --- catalog, campaigns, flash sales: staff only --------------------------------------------
    P(c("POST", url("product-list"), "mallory", DENIED, product_body), "staff-product-create"),
    P(
        c("PATCH", url("product-detail", product_id="product"), "mallory", DENIED, product_body),
        "staff-product-edit",
    ),
    P(
        c(
            "POST",
            url("product-images", product_id="product"),
            "mallory",
            DENIED,
            lambda w: {"image": upload()},
            multipart=True,
        ),
        "staff-product-image-add",
    ),
    P(c("POST", url("campaign-list"), "mallory", DENIED, campaign_body), "staff-campaign-create"),
    P(c("POST", url("flash-sale-list"), "mallory", DENIED, flash_body), "staff-flash-create"),
    P(
        c(
            "POST",
            url("points-adjust"),
            "mallory",
            DENIED,
            lambda w: {"username": "mallory", "delta": 1000, "note": "gift"},
        ),
        "staff-points-adjust",
    ),
    P(
        c("POST", url("feedback-accept", feedback_id="feedback"), "alice", DENIED),
        "staff-feedback-accept",
    ),
    P(
        c("POST", url("feedback-reject", feedback_id="feedback"), "alice", DENIED),
        "staff-feedback-reject",
    ),
    # --- moderation: moderators and staff only; appeals by the author only ---------------------
    P(c("GET", url("moderation-queue"), "mallory", FORBIDDEN), "moderation-queue"),
    P(
        c("GET", url("moderation-item", item_id="moderation_item"), "mallory", FORBIDDEN),
        "moderation-item-read",
    ),
    P(
        c(
            "POST",
            url("moderation-claim", item_id="moderation_item"),
            "mallory",
            FORBIDDEN,
            unchanged=lambda w: status_of(w.moderation_item) == "pending",
        ),
        "moderation-claim",
    ),
    P(
        c(
            "POST",
            url("moderation-decide", item_id="moderation_item"),
            "mallory",
            FORBIDDEN,
            lambda w: {"action": "remove", "reason": "mine now", "version": 2},
            unchanged=lambda w: status_of(w.moderation_item) == "pending",
        ),
        "moderation-decide",
    ),
    P(
        c(
            "POST",
            url("moderation-act"),
            "mallory",
            FORBIDDEN,
            lambda w: {
                "target_type": "comment",
                "target_id": w.comment.pk,
                "action": "remove",
                "reason": "I do not like it",
            },
            unchanged=lambda w: status_of(w.comment) != "hidden",
        ),
        "moderation-act",
    ),
    P(c("GET", url("moderation-words"), "mallory", FORBIDDEN), "moderation-words-read"),
    P(
        c(
            "POST",
            url("moderation-words"),
            "mallory",
            FORBIDDEN,
            lambda w: {"word": "anything", "action": "block"},
        ),
        "moderation-words-add",
    ),
    P(
        c(
            "DELETE",
            url("moderation-word", word_id="watched_word"),
            "mallory",
            FORBIDDEN,
            unchanged=lambda w: type(w.watched_word).objects.filter(pk=w.watched_word.pk).exists(),
        ),
        "moderation-word-delete",
    ),
    P(
        c(
            "POST",
            url("appeals"),
            "mallory",
            FORBIDDEN,
            lambda w: {"decision": w.decision.pk, "body": "Not me, but unfair"},
            unchanged=lambda w: not hasattr(w.decision, "appeal"),
        ),
        "appeal-someone-elses-decision",
    ),
    # --- storefronts and creator codes: the owner creator only ----------------------------------
    P(
        c(
            "POST",
            url("storefront-create"),
            "mallory",
            DENIED,
            lambda w: {"slug": "mallory", "title": "M"},
        ),
        "creator-storefront-create",
    ),
    P(
        c(
            "PATCH",
            url("storefront-detail", slug="storefront"),
            "rival",
            DENIED,
            lambda w: {"title": "Hijacked"},
        ),
        "storefront-edit",
    ),
    P(
        c(
            "POST",
            url("storefront-banner", slug="storefront"),
            "rival",
            DENIED,
            lambda w: {"banner": upload()},
            multipart=True,
        ),
        "storefront-banner",
    ),
    P(
        c(
            "POST",
            url("storefront-collections", slug="storefront"),
            "rival",
            DENIED,
            lambda w: {"title": "Mine now"},
        ),
        "storefront-collection-create",
    ),
    P(
        c(
            "PATCH",
            url("storefront-collection-detail", slug="storefront", collection_id="collection"),
            "rival",
            DENIED,
            lambda w: {"title": "Mine now"},
        ),
        "storefront-collection-edit",
    ),
    P(
        c(
            "DELETE",
            url("storefront-collection-detail", slug="storefront", collection_id="collection"),
            "rival",
            DENIED,
        ),
        "storefront-collection-delete",
    ),
    P(
        c(
            "POST",
            url("storefront-collection-items", slug="storefront", collection_id="collection"),
            "rival",
            DENIED,
            lambda w: {"product": w.product.pk},
        ),
        "storefront-item-add",
    ),
    P(
        c(
            "PATCH",
            url(
                "storefront-collection-item-detail",
                slug="storefront",
                collection_id="collection",
                item_id="collection_item",
            ),
            "rival",
            DENIED,
            lambda w: {"note": "x"},
        ),
        "storefront-item-edit",
    ),
    P(
        c(
            "DELETE",
            url(
                "storefront-collection-item-detail",
                slug="storefront",
                collection_id="collection",
                item_id="collection_item",
            ),
            "rival",
            DENIED,
        ),
        "storefront-item-delete",
    ),
    P(
        c(
            "POST",
            url("creator-code-list"),
            "mallory",
            DENIED,
            lambda w: {"code": "MAL10", "discount_percent": 10},
        ),
        "creator-code-create",
    ),
    P(c("GET", url("creator-dashboard"), "mallory", NOT_FOUND), "creator-dashboard"),
    P(c("GET", url("creator-commissions"), "mallory", NOT_FOUND), "creator-commissions"),
    # --- chat rooms: members only; a plain member cannot manage the group -----------------------
    P(
        c("GET", url("chat-room", room_id="group_room"), "mallory", (403, "not_a_member")),
        "room-read",
    ),
    P(
        c("GET", url("chat-room", room_id="direct_room"), "mallory", (403, "not_a_member")),
        "room-direct-read",
    ),
    P(
        c("GET", url("chat-messages", room_id="group_room"), "mallory", (403, "not_a_member")),
        "room-messages-read",
    ),
    P(
        c(
            "POST",
            url("chat-messages", room_id="group_room"),
            "mallory",
            (403, "not_a_member"),
            lambda w: {"body": "hello", "client_msg_id": "x1"},
        ),
        "room-message-send",
    ),
    P(
        c(
            "POST",
            url("chat-images", room_id="group_room"),
            "mallory",
            (403, "not_a_member"),
            image_body,
            multipart=True,
        ),
        "room-image-send",
    ),
    P(
        c(
            "PATCH",
            url("chat-message", room_id="group_room", message_id="message"),
            "mallory",
            (403, "not_a_member"),
            lambda w: {"body": "edited"},
        ),
        "room-message-edit-outsider",
    ),
    P(
        c(
            "PATCH",
            url("chat-message", room_id="group_room", message_id="message"),
            "bob",
            (403, "not_message_sender"),
            lambda w: {"body": "edited"},
        ),
        "room-message-edit-other-member",
    ),
    P(
        c(
            "DELETE",
            url("chat-message", room_id="group_room", message_id="message"),
            "bob",
            DENIED,
        ),
        "room-message-delete-other-member",
    ),
    P(
        c(
            "POST",
            url("chat-reactions", room_id="group_room", message_id="message"),
            "mallory",
            (403, "not_a_member"),
            lambda w: {"emoji": "👍"},
        ),
        "room-reaction-add",
    ),
    P(
        c(
            "POST",
            url("chat-read", room_id="group_room"),
            "mallory",
            (403, "not_a_member"),
            lambda w: {"seq": 1},
        ),
        "room-read-mark",
    ),
    P(
        c(
            "POST",
            url("chat-members", room_id="group_room"),
            "mallory",
            (403, "not_a_member"),
            lambda w: {"members": ["mallory"]},
        ),
        "room-members-add-outsider",
    ),
    P(
        c(
            "POST",
            url("chat-members", room_id="group_room"),
            "bob",
            DENIED,
            lambda w: {"members": [w.mallory.username]},
        ),
        "room-members-add-plain-member",
    ),
    P(
        c(
            "DELETE",
            url("chat-member", room_id="group_room", username="carol"),
            "bob",
            DENIED,
        ),
        "room-member-remove-plain-member",
    ),
    P(
        c(
            "DELETE",
            url("chat-member", room_id="group_room", username="carol"),
            "mallory",
            (403, "not_a_member"),
        ),
        "room-member-remove-outsider",
    ),
    P(
        c(
            "POST",
            url("chat-messages", room_id="mallory_room"),
            "mallory",
            (400, "invalid_card"),
            lambda w: {
                "body": "look",
                "client_msg_id": "c1",
                "card": {"kind": "order", "id": w.pending_order.pk},
            },
        ),
        "room-share-card-of-anothers-order",
    ),
    # --- support: the member (and agents) only ---------------------------------------------------
    P(
        c(
            "POST",
            url("support-conversations"),
            "mallory",
            (400, "not_your_order"),
            lambda w: {"body": "Refund this", "order": w.pending_order.pk},
        ),
        "support-open-about-anothers-order",
    ),
    P(
        c("GET", url("support-conversation", conversation_id="conversation"), "mallory", DENIED),
        "support-read",
    ),
    P(
        c("POST", url("support-handoff", conversation_id="conversation"), "mallory", DENIED),
        "support-handoff",
    ),
    P(
        c(
            "POST",
            url("support-close", conversation_id="conversation"),
            "mallory",
            DENIED,
            unchanged=lambda w: status_of(w.conversation) != "closed",
        ),
        "support-close",
    ),
    P(
        c(
            "POST",
            url("support-rate", conversation_id="conversation"),
            "mallory",
            DENIED,
            lambda w: {"rating": 1},
        ),
        "support-rate",
    ),
    P(
        c(
            "POST",
            url("support-claim", conversation_id="conversation"),
            "alice",
            (403, "not_an_agent"),
        ),
        "support-claim-by-member",
    ),
    P(
        c(
            "POST",
            url("support-transfer", conversation_id="conversation"),
            "alice",
            (403, "not_an_agent"),
            lambda w: {"agent": w.agent.username},
        ),
        "support-transfer-by-member",
    ),
    P(c("GET", url("support-queue"), "mallory", (403, "not_an_agent")), "support-queue"),
    # --- livestreams: the host (or moderators) only ----------------------------------------------
    P(
        c("POST", url("livestreams"), "mallory", (403, "not_a_creator"), lambda w: {}),
        "live-create",
    ),
    P(
        c(
            "PATCH",
            url("livestream", stream_id="stream"),
            "rival",
            (403, "not_the_host"),
            lambda w: {"title": "Hijacked"},
        ),
        "live-patch",
    ),
    P(
        c(
            "POST",
            url("livestream-start", stream_id="stream"),
            "rival",
            (403, "not_the_host"),
            unchanged=lambda w: status_of(w.stream) == "scheduled",
        ),
        "live-start",
    ),
    P(
        c("POST", url("livestream-end", stream_id="stream"), "rival", (403, "not_the_host")),
        "live-end",
    ),
    P(
        c("GET", url("livestream-ingest", stream_id="stream"), "rival", (403, "not_the_host")),
        "live-ingest-read",
    ),
    P(
        c(
            "POST",
            url("livestream-ingest", stream_id="stream"),
            "rival",
            (403, "not_the_host"),
            unchanged=lambda w: not type(w.stream).objects.get(pk=w.stream.pk).ingest_key_hash,
        ),
        "live-ingest-rotate",
    ),
    P(
        c(
            "POST",
            url("livestream-deals", stream_id="stream"),
            "rival",
            (403, "not_the_host"),
            deal_body,
        ),
        "live-deal",
    ),
    P(
        c(
            "POST",
            url("livestream-mutes", stream_id="stream"),
            "mallory",
            (403, "not_the_host"),
            lambda w: {"user": w.bob.username},
        ),
        "live-mute",
    ),
    P(
        c(
            "DELETE",
            url("livestream-mute", stream_id="stream", username="bob"),
            "mallory",
            (403, "not_the_host"),
        ),
        "live-unmute",
    ),
    P(
        c(
            "DELETE",
            lambda w: path_for("livestream-comment", stream_id=w.stream.pk, seq=1),
            "mallory",
            (403, "not_the_host"),
        ),
        "live-comment-delete",
    ),
    # --- feeds: the author (or staff / community leaders) only -----------------------------------
    P(
        c(
            "PATCH",
            url("post-detail", post_id="post"),
            "mallory",
            DENIED,
            lambda w: {"title": "Defaced"},
        ),
        "post-edit",
    ),
    P(
        c(
            "DELETE",
            url("post-detail", post_id="post"),
            "mallory",
            DENIED,
            unchanged=lambda w: status_of(w.post) == "published",
        ),
        "post-delete",
    ),
    P(
        c("GET", url("post-detail", post_id="draft"), "mallory", (404, "post_not_found")),
        "post-draft-read",
    ),
    P(
        c(
            "POST",
            url("post-images", post_id="post"),
            "mallory",
            DENIED,
            lambda w: {"image": upload()},
            multipart=True,
        ),
        "post-image-add",
    ),
    P(
        c(
            "DELETE",
            url("post-image-detail", post_id="post", image_id="post_image"),
            "mallory",
            DENIED,
        ),
        "post-image-delete",
    ),
    P(c("POST", url("post-pin", post_id="post"), "mallory", DENIED), "post-pin"),
    P(
        c("DELETE", url("comment-detail", comment_id="comment"), "mallory", DENIED),
        "comment-delete",
    ),
    P(c("DELETE", url("review-detail", review_id="review"), "mallory", DENIED), "review-delete"),
    P(
        c("GET", url("share-link-stats", code="share_link"), "mallory", DENIED),
        "share-link-stats",
    ),
    # --- communities: leaders only ---------------------------------------------------------------
    P(
        c("GET", url("community-requests", community_id="community"), "mallory", DENIED),
        "community-requests",
    ),
    P(
        c(
            "POST",
            lambda w: path_for(
                "community-request-approve",
                community_id=w.community.pk,
                user_id=w.bob.pk,
            ),
            "mallory",
            DENIED,
        ),
        "community-approve",
    ),
    P(
        c(
            "POST",
            lambda w: path_for(
                "community-request-reject",
                community_id=w.community.pk,
                user_id=w.bob.pk,
            ),
            "mallory",
            DENIED,
        ),
        "community-reject",
    ),
    P(
        c(
            "POST",
            lambda w: path_for(
                "community-member-role",
                community_id=w.community.pk,
                user_id=w.mallory.pk,
            ),
            "mallory",
            DENIED,
            lambda w: {"role": "leader"},
        ),
        "community-role",
    ),
    P(
        c(
            "POST",
            lambda w: path_for(
                "community-member-remove",
                community_id=w.community.pk,
                user_id=w.alice.pk,
            ),
            "mallory",
            DENIED,
        ),
        "community-remove",
    ),
    P(
        c("GET", url("community-members", community_id="community"), "mallory", DENIED),
        "community-members-private",
    ),
]
