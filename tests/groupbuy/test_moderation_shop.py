"""Moderation of the shop (PRODUCT.md §15): storefronts and products reported, hidden, approved
or removed; watched words at every storefront, listing and product submit point; trust-level-0
creators' storefronts and listings waiting for a moderator; a muted creator refused."""

import io

import pytest
from rest_framework.test import APIClient

from community.models import ModerationItem, Notification
from community.services import role_grant
from community.services.moderation.words import watched_word_add
from groupbuy.demo.catalog import seed_catalog
from groupbuy.models import Collection, CollectionItem, Order, Product, Storefront
from groupbuy.services import collection_item_add, order_create, storefront_create
from tests.factories import UserFactory, token_for
from tests.groupbuy.conftest import client_for, make_product
from tests.groupbuy.flashflow import make_sale
from tests.groupbuy.teamflow import campaign

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def store_url(slug: str) -> str:
    return f"/api/v1/storefronts/{slug}/"


def product_url(product) -> str:
    return f"{PRODUCTS}{product.pk}/"


def report(reporter, target_type: str, target_id: int, category="scam"):
    return client_for(reporter).post(
        "/api/v1/reports/",
        {"target_type": target_type, "target_id": target_id, "category": category},
        format="json",
    )


def report_until_hidden(target_type: str, target_id: int) -> list:
    """Three newcomers' reports reach the product default threshold (3.0)."""
    reporters = [UserFactory() for _ in range(3)]
    for reporter in reporters:
        assert report(reporter, target_type, target_id).status_code == 201
    return reporters


def item_of(target_type: str, target_id: int) -> ModerationItem:
    return ModerationItem.objects.filter(target_type=target_type, target_id=target_id).latest("id")


def decide(moderator, item: ModerationItem, action: str, reason="Fake goods", **extra):
    item.refresh_from_db()
    response = client_for(moderator).post(
        f"/api/v1/moderation/items/{item.pk}/decide/",
        {"action": action, "reason": reason, "version": item.version, **extra},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response


def outcomes(target_type: str, target_id: int) -> dict[int, str]:
    told = Notification.objects.filter(type="moderation_outcome")
    return {
        n.user_id: n.data["action"]
        for n in told
        if (n.data["target_type"], n.data["target_id"]) == (target_type, target_id)
    }


def listed_ids(viewer, slug: str) -> list[int]:
    body = client_for(viewer).get(store_url(slug)).json()
    return [item["product"]["id"] for c in body["collections"] for item in c["items"]]


def product_ids(viewer, **params) -> list[int]:
    return [row["id"] for row in client_for(viewer).get(PRODUCTS, params).json()["results"]]


def searched_ids(viewer, q: str) -> list[int]:
    body = client_for(viewer).get("/api/v1/search/", {"q": q, "type": "product"}).json()
    return [row["id"] for row in body["results"]]


@pytest.fixture
def listed(staff, creator, storefront, collection, product):
    """The creator's storefront lists the product."""
    collection_item_add(actor=creator, collection=collection, product_id=product.pk, note="Hot")
    return product


@pytest.fixture
def words(staff):
    watched_word_add(actor=staff, word="假货", action="block")
    watched_word_add(actor=staff, word="加微信", action="censor")
    watched_word_add(actor=staff, word="代购", action="require_approval")
    watched_word_add(actor=staff, word="秒杀价", action="flag")


# --- storefronts: reported and hidden ------------------------------------------------------------


def test_reports_hide_a_storefront_from_others_but_not_from_its_owner_or_moderators(
    creator, storefront, listed, member, moderator
):
    reporters = report_until_hidden("storefront", storefront.pk)

    assert client_for(member).get(store_url(storefront.slug)).status_code == 404
    assert client_for(None).get(store_url(storefront.slug)).status_code == 404
    assert client_for(reporters[0]).get(store_url(storefront.slug)).status_code == 404
    own = client_for(creator).get(store_url(storefront.slug))
    assert own.status_code == 200 and own.json()["hidden"] is True
    assert client_for(moderator).get(store_url(storefront.slug)).status_code == 200
    # The product page no longer points to the hidden storefront; the product stays on sale.
    page = client_for(member).get(f"/products/{listed.pk}/")
    assert page.status_code == 200 and "/store/lily-kitchen/" not in page.content.decode()
    assert product_ids(member) == [listed.pk]
    item = item_of("storefront", storefront.pk)
    assert item.hidden is True
    queued = client_for(moderator).get("/api/v1/moderation/queue/", {"type": "storefront"}).json()
    assert [row["preview"]["url"] for row in queued["results"]] == ["/store/lily-kitchen/"]
    assert queued["results"][0]["preview"]["author"] == "lily"


def test_a_hidden_storefront_cannot_be_shared(creator, storefront, member):
    report_until_hidden("storefront", storefront.pk)

    shared = client_for(member).post(
        "/api/v1/share-links/",
        {"target_type": "storefront", "target_id": storefront.pk},
        format="json",
    )

    # The same answer as for a storefront that does not exist.
    assert shared.status_code == 400
    assert shared.json()["code"] == "share_target_invalid"


def test_a_moderator_approving_a_hidden_storefront_brings_it_back(
    creator, storefront, listed, member, moderator
):
    reporters = report_until_hidden("storefront", storefront.pk)

    decide(moderator, item_of("storefront", storefront.pk), "approve", reason="")

    assert client_for(member).get(store_url(storefront.slug)).status_code == 200
    assert listed_ids(member, storefront.slug) == [listed.pk]
    assert (
        "/store/lily-kitchen/" in client_for(member).get(f"/products/{listed.pk}/").content.decode()
    )
    # The reporters hear that nothing was wrong; the owner never lost anything for good.
    assert outcomes("storefront", storefront.pk) == {
        reporter.pk: "approve" for reporter in reporters
    }


def test_a_moderator_removing_a_storefront_keeps_it_hidden_and_tells_owner_and_reporters(
    creator, storefront, listed, member, moderator
):
    reporters = report_until_hidden("storefront", storefront.pk)

    decide(moderator, item_of("storefront", storefront.pk), "remove", reason="Sells fakes")

    assert client_for(member).get(store_url(storefront.slug)).status_code == 404
    assert client_for(creator).get(store_url(storefront.slug)).json()["hidden"] is True
    assert outcomes("storefront", storefront.pk) == {
        creator.pk: "remove",
        **{reporter.pk: "remove" for reporter in reporters},
    }
    told = Notification.objects.get(user=creator, type="moderation_outcome")
    assert told.data["reason"] == "Sells fakes"


def test_approving_does_not_publish_a_storefront_its_owner_unpublished_meanwhile(
    creator, storefront, member, moderator
):
    report_until_hidden("storefront", storefront.pk)
    unpublish = client_for(creator).patch(store_url(storefront.slug), {"is_published": False})
    assert unpublish.status_code == 200

    decide(moderator, item_of("storefront", storefront.pk), "approve", reason="")

    assert client_for(member).get(store_url(storefront.slug)).status_code == 404
    storefront.refresh_from_db()
    assert (storefront.is_published, storefront.hidden_at) == (False, None)


def test_a_member_cannot_report_a_storefront_they_cannot_see(creator, storefront, member):
    client_for(creator).patch(store_url(storefront.slug), {"is_published": False})

    response = report(member, "storefront", storefront.pk)

    assert (response.status_code, response.json()["code"]) == (400, "bad_target")
    assert not ModerationItem.objects.exists()


# --- products: reported and hidden ---------------------------------------------------------------


def test_reports_hide_a_product_from_lists_search_detail_and_storefronts(
    staff, storefront, listed, member, moderator
):
    report_until_hidden("product", listed.pk)

    assert client_for(member).get(product_url(listed)).status_code == 404
    assert client_for(None).get(product_url(listed)).status_code == 404
    assert product_ids(member) == [] and product_ids(None, q="Chili") == []
    assert searched_ids(member, "Chili") == []
    assert listed_ids(member, storefront.slug) == []
    assert client_for(member).get(f"/products/{listed.pk}/").status_code == 404
    seen = client_for(moderator).get(product_url(listed))
    assert seen.status_code == 200 and seen.json()["hidden"] is True
    assert client_for(staff).get(product_url(listed)).json()["hidden"] is True


def test_a_hidden_product_cannot_be_bought_but_its_orders_stay(staff, listed, member):
    earlier = order_create(buyer=member, items=[(listed.pk, 1)])
    report_until_hidden("product", listed.pk)

    refused = client_for(member).post(
        "/api/v1/orders/", {"items": [{"product": listed.pk, "quantity": 1}]}, format="json"
    )

    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert Order.objects.filter(buyer=member).count() == 1
    listed.refresh_from_db()
    assert listed.stock == 9  # only the earlier order's unit is reserved
    kept = client_for(member).get(f"/api/v1/orders/{earlier.pk}/")
    assert kept.status_code == 200 and kept.json()["status"] == "pending_payment"


def test_a_hidden_product_cannot_be_bought_in_a_flash_sale_or_a_group_buy(staff, member):
    sale = make_sale(stock=5)
    deal = campaign(staff)
    report_until_hidden("product", sale.product_id)
    report_until_hidden("product", deal.product_id)

    flash = client_for(member).post(
        f"/api/v1/flash-sales/{sale.pk}/orders/", {"quantity": 1}, format="json"
    )
    team = client_for(member).post(f"/api/v1/campaigns/{deal.pk}/teams/")

    assert (flash.status_code, flash.json()["code"]) == (409, "product_unavailable")
    assert (team.status_code, team.json()["code"]) == (409, "product_unavailable")
    assert not Order.objects.filter(buyer=member).exists()
    sale.refresh_from_db()
    deal.refresh_from_db()
    assert (sale.stock_remaining, deal.stock_remaining) == (5, 100)


def test_approving_a_hidden_product_puts_it_back_on_sale(staff, listed, member, moderator):
    reporters = report_until_hidden("product", listed.pk)

    decide(moderator, item_of("product", listed.pk), "approve", reason="")

    assert client_for(member).get(product_url(listed)).status_code == 200
    assert product_ids(member) == [listed.pk]
    assert searched_ids(member, "Chili") == [listed.pk]
    bought = client_for(member).post(
        "/api/v1/orders/", {"items": [{"product": listed.pk, "quantity": 1}]}, format="json"
    )
    assert bought.status_code == 201
    assert set(outcomes("product", listed.pk)) == {r.pk for r in reporters}


def test_removing_a_product_keeps_it_hidden_and_tells_its_author_and_the_reporters(
    staff, listed, member, moderator
):
    reporters = report_until_hidden("product", listed.pk)

    decide(moderator, item_of("product", listed.pk), "remove", reason="Counterfeit")

    assert client_for(member).get(product_url(listed)).status_code == 404
    assert product_ids(member) == []
    assert outcomes("product", listed.pk) == {
        staff.pk: "remove",
        **{reporter.pk: "remove" for reporter in reporters},
    }


def test_approving_an_archived_product_does_not_put_it_back_on_sale(
    staff, listed, member, moderator
):
    report_until_hidden("product", listed.pk)
    archived = client_for(staff).patch(product_url(listed), {"status": "archived"}, format="json")
    assert archived.status_code == 200

    decide(moderator, item_of("product", listed.pk), "approve", reason="")

    assert client_for(member).get(product_url(listed)).status_code == 404
    listed.refresh_from_db()
    assert (listed.status, listed.hidden_at) == ("archived", None)


# --- watched words at the submit points ----------------------------------------------------------


def test_a_blocked_word_is_refused_on_storefront_create_and_update(
    words, creator, other_creator, storefront
):
    created = client_for(other_creator).post(
        "/api/v1/storefronts/", {"slug": "mia-shop", "title": "Mia", "bio": "正品 假货 都有"}
    )
    updated = client_for(creator).patch(store_url(storefront.slug), {"title": "假 货 专卖"})

    assert (created.status_code, created.json()["code"]) == (400, "blocked_word")
    assert (updated.status_code, updated.json()["code"]) == (400, "blocked_word")
    assert not Storefront.objects.filter(owner=other_creator).exists()
    storefront.refresh_from_db()
    assert storefront.title == "Lily's kitchen"


def test_a_blocked_word_is_refused_on_product_create_and_update(words, staff, product):
    created = client_for(staff).post(
        PRODUCTS, {"title": "名牌包", "description": "高仿假货", "price": "99.00", "stock": 5}
    )
    updated = client_for(staff).patch(product_url(product), {"title": "假货"}, format="json")

    assert (created.status_code, created.json()["code"]) == (400, "blocked_word")
    assert (updated.status_code, updated.json()["code"]) == (400, "blocked_word")
    assert list(Product.objects.values_list("title", flat=True)) == ["Chili oil"]


def test_a_blocked_word_is_refused_on_collections_and_listings(
    words, staff, creator, storefront, collection
):
    product = make_product(staff)
    base = store_url(storefront.slug)

    new_collection = client_for(creator).post(f"{base}collections/", {"title": "假货区"})
    listing = client_for(creator).post(
        f"{base}collections/{collection.pk}/items/", {"product": product.pk, "note": "假货便宜"}
    )

    assert (new_collection.status_code, new_collection.json()["code"]) == (400, "blocked_word")
    assert (listing.status_code, listing.json()["code"]) == (400, "blocked_word")
    assert list(Collection.objects.values_list("title", flat=True)) == ["Pantry"]
    assert not CollectionItem.objects.exists()


def test_a_censored_word_is_masked_in_the_storefront_and_the_listing_note(
    words, staff, creator, storefront, collection, member
):
    product = make_product(staff)
    base = store_url(storefront.slug)

    bio = client_for(creator).patch(base, {"bio": "下单请加微信"})
    listing = client_for(creator).post(
        f"{base}collections/{collection.pk}/items/",
        {"product": product.pk, "note": "加 微 信 优惠"},
    )

    assert bio.status_code == 200 and listing.status_code == 201
    seen = client_for(member).get(base).json()
    assert seen["bio"] == "下单请***"
    assert seen["collections"][0]["items"][0]["note"] == "* * * 优惠"


def test_a_word_asking_for_approval_holds_a_storefront_edit_until_approved(
    words, creator, storefront, member, moderator
):
    response = client_for(creator).patch(store_url(storefront.slug), {"bio": "海外代购"})

    assert response.status_code == 200 and response.json()["hidden"] is True
    assert client_for(member).get(store_url(storefront.slug)).status_code == 404
    item = item_of("storefront", storefront.pk)
    assert (item.source, item.hidden) == ("watched_word", True)

    decide(moderator, item, "approve", reason="")

    assert client_for(member).get(store_url(storefront.slug)).json()["bio"] == "海外代购"


def test_a_word_asking_for_approval_holds_a_new_product_and_a_flag_only_queues_it(
    words, staff, member
):
    held = client_for(staff).post(
        PRODUCTS, {"title": "日本代购面膜", "price": "59.00", "stock": 5}, format="json"
    )
    flagged = client_for(staff).post(
        PRODUCTS, {"title": "面膜 秒杀价", "price": "59.00", "stock": 5}, format="json"
    )

    assert held.status_code == 201 and held.json()["hidden"] is True
    assert flagged.status_code == 201 and flagged.json()["hidden"] is False
    assert product_ids(member) == [flagged.json()["id"]]
    held_item = item_of("product", held.json()["id"])
    flagged_item = item_of("product", flagged.json()["id"])
    assert (held_item.source, held_item.hidden) == ("watched_word", True)
    assert (flagged_item.source, flagged_item.hidden) == ("watched_word", False)


def test_a_flagged_listing_note_is_published_and_queued(
    words, staff, creator, storefront, collection, member
):
    product = make_product(staff)

    response = client_for(creator).post(
        f"{store_url(storefront.slug)}collections/{collection.pk}/items/",
        {"product": product.pk, "note": "今天秒杀价"},
    )

    assert response.status_code == 201 and response.json()["pending_review"] is False
    assert listed_ids(member, storefront.slug) == [product.pk]
    item = item_of("storefront", storefront.pk)
    assert (item.source, item.hidden) == ("watched_word", False)


# --- trust-level-0 creators are pre-moderated ----------------------------------------------------


def test_a_trust_level_0_creators_listing_waits_for_a_moderator(
    staff, creator, storefront, collection, premoderation, member, moderator
):
    product = make_product(staff)

    response = client_for(creator).post(
        f"{store_url(storefront.slug)}collections/{collection.pk}/items/",
        {"product": product.pk, "note": "My favourite"},
    )

    assert response.status_code == 201 and response.json()["pending_review"] is True
    assert listed_ids(member, storefront.slug) == []
    assert listed_ids(creator, storefront.slug) == [product.pk]
    assert (
        "/store/lily-kitchen/"
        not in client_for(member).get(f"/products/{product.pk}/").content.decode()
    )
    item = item_of("storefront", storefront.pk)
    assert (item.source, item.hidden) == ("pre_moderation", True)
    detail = client_for(moderator).get(f"/api/v1/moderation/items/{item.pk}/").json()
    assert detail["preview"]["pending_listings"] == 1
    assert [(row["kind"], row["note"]) for row in detail["context"] if row.get("pending")] == [
        ("listing", "My favourite")
    ]

    decide(moderator, item, "approve", reason="")

    assert listed_ids(member, storefront.slug) == [product.pk]
    assert outcomes("storefront", storefront.pk) == {creator.pk: "approve"}


def test_a_trust_level_0_creators_new_storefront_opens_only_after_approval(
    creator, premoderation, member, moderator
):
    response = client_for(creator).post(
        "/api/v1/storefronts/", {"slug": "lily-new", "title": "Lily's new shop"}
    )

    assert response.status_code == 201 and response.json()["hidden"] is True
    assert client_for(member).get(store_url("lily-new")).status_code == 404
    storefront = Storefront.objects.get(slug="lily-new")
    item = item_of("storefront", storefront.pk)
    assert (item.source, item.hidden) == ("pre_moderation", True)

    decide(moderator, item, "approve", reason="")

    assert client_for(member).get(store_url("lily-new")).status_code == 200


def test_removing_a_pre_moderated_listing_keeps_it_unpublished_with_its_storefront(
    staff, creator, storefront, collection, premoderation, member, moderator
):
    # The storefront's queue item is about the storefront and its waiting listings together.
    product = make_product(staff)
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)

    decide(moderator, item_of("storefront", storefront.pk), "remove", reason="Not allowed")

    assert client_for(member).get(store_url(storefront.slug)).status_code == 404
    assert listed_ids(creator, storefront.slug) == [product.pk]
    assert CollectionItem.objects.get().pending_review is True
    assert outcomes("storefront", storefront.pk) == {creator.pk: "remove"}


def test_moderators_and_staff_are_never_pre_moderated(moderator, premoderation, member):
    role_grant(actor=None, user=moderator, role="creator")

    storefront = storefront_create(actor=moderator, slug="mod-picks", title="Picks")

    assert storefront.hidden_at is None
    assert client_for(member).get(store_url("mod-picks")).status_code == 200
    assert not ModerationItem.objects.exists()


# --- sanctions -----------------------------------------------------------------------------------


def test_a_muted_creator_cannot_edit_their_storefront_or_list_products(
    staff, creator, storefront, collection, moderator
):
    product = make_product(staff, title="Tea")
    report(UserFactory(), "storefront", storefront.pk)
    decide(moderator, item_of("storefront", storefront.pk), "mute", duration_hours=24)
    # Signed in by token: each request loads the member afresh, as in production.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(creator)}")

    edit = client.patch(store_url(storefront.slug), {"title": "Back again"})
    listing = client.post(
        f"{store_url(storefront.slug)}collections/{collection.pk}/items/", {"product": product.pk}
    )
    unpublish = client.patch(store_url(storefront.slug), {"is_published": False})

    assert (edit.status_code, edit.json()["code"]) == (403, "sanctioned")
    assert "until" in edit.json()["detail"]
    assert (listing.status_code, listing.json()["code"]) == (403, "sanctioned")
    assert not CollectionItem.objects.exists()
    # Taking the storefront down is not publishing: a muted creator may still do it.
    assert unpublish.status_code == 200
    storefront.refresh_from_db()
    assert (storefront.title, storefront.is_published) == ("Lily's kitchen", False)


# --- demo data -----------------------------------------------------------------------------------


def test_the_demo_storefront_is_open_even_where_new_creators_are_pre_moderated(
    settings, tmp_path, premoderation
):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="admin", is_superuser=True)
    role_grant(actor=None, user=UserFactory(username="creator"), role="creator")
    role_grant(actor=None, user=UserFactory(username="mod"), role="moderator")

    seed_catalog(io.StringIO())

    visitor = client_for(None).get(store_url("lily-kitchen"))
    assert visitor.status_code == 200 and visitor.json()["hidden"] is False
    assert sum(len(c["items"]) for c in visitor.json()["collections"]) > 0
    assert not CollectionItem.objects.filter(pending_review=True).exists()
