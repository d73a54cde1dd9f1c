"""Creator storefronts over REST: create, read, edit, banner, collections, items."""

import pytest

from groupbuy.models import Collection, CollectionItem, Storefront
from groupbuy.services import (
    collection_create,
    collection_item_add,
    product_image_add,
    storefront_create,
)
from tests.groupbuy.conftest import client_for, image_bytes, make_product, stored_files, upload

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/storefronts/"


def url(storefront, suffix="") -> str:
    return f"/api/v1/storefronts/{storefront.slug}/{suffix}"


def viewer_of(request, name):
    return request.getfixturevalue(name) if name else None


# --- create ----------------------------------------------------------------------------------


def test_creator_opens_a_storefront(creator):
    response = client_for(creator).post(
        CREATE, {"slug": "Lily-Kitchen", "title": "Lily's kitchen", "bio": "Chengdu home cook"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "lily-kitchen"
    assert body["owner"]["username"] == "lily"
    assert body["is_published"] is True
    assert body["collections"] == []
    assert body["banner_url"] is None
    assert Storefront.objects.get().owner == creator


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_creators_open_storefronts(request, viewer, status, code):
    response = client_for(viewer_of(request, viewer)).post(
        CREATE, {"slug": "shop", "title": "Shop"}
    )

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Storefront.objects.exists()


def test_second_storefront_is_a_conflict(creator, storefront):
    response = client_for(creator).post(CREATE, {"slug": "another", "title": "Another"})

    assert response.status_code == 409
    assert response.json()["code"] == "storefront_exists"
    assert Storefront.objects.count() == 1


@pytest.mark.parametrize("slug", ["lily-kitchen", "LILY-KITCHEN", "manage"])
def test_taken_or_reserved_slug_is_refused(other_creator, storefront, slug):
    response = client_for(other_creator).post(CREATE, {"slug": slug, "title": "Mine"})

    assert response.status_code == 400
    assert response.json()["code"] == "slug_taken"
    assert not Storefront.objects.filter(owner=other_creator).exists()


@pytest.mark.parametrize("slug", ["ab", "has space", "-dash", "ü-shop", "x" * 51])
def test_malformed_slug_is_a_validation_error(creator, slug):
    response = client_for(creator).post(CREATE, {"slug": slug, "title": "Mine"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "slug" in response.json()["fields"]
    assert not Storefront.objects.exists()


# --- read ------------------------------------------------------------------------------------


def test_published_storefront_is_public_with_collections_and_notes(
    staff, creator, storefront, collection, product, media
):
    product_image_add(actor=staff, product=product, upload=upload(image_bytes()))
    collection_item_add(
        actor=creator, collection=collection, product_id=product.pk, note="On everything"
    )

    response = client_for(None).get(url(storefront))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Lily's kitchen"
    [row] = body["collections"]
    assert row["title"] == "Pantry"
    assert row["note"] == "Every day"
    [item] = row["items"]
    assert item["note"] == "On everything"
    assert item["product"]["id"] == product.pk
    assert item["product"]["price"] == "19.90"
    assert item["product"]["in_stock"] is True
    assert item["product"]["image_url"].startswith("/media/products/")


def test_visitors_do_not_see_products_off_sale_but_the_owner_does(
    staff, creator, storefront, collection, product
):
    other = make_product(staff, title="Peppercorn")
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)
    collection_item_add(actor=creator, collection=collection, product_id=other.pk)
    client_for(staff).patch(f"/api/v1/products/{other.pk}/", {"status": "archived"})

    public = client_for(None).get(url(storefront)).json()
    own = client_for(creator).get(url(storefront)).json()

    assert [i["product"]["id"] for i in public["collections"][0]["items"]] == [product.pk]
    assert [i["product"]["id"] for i in own["collections"][0]["items"]] == [product.pk, other.pk]


@pytest.mark.parametrize(
    ("viewer", "status"),
    [(None, 404), ("member", 404), ("other_creator", 404), ("creator", 200), ("staff", 200)],
)
def test_unpublished_storefront_is_seen_only_by_owner_and_staff(
    request, storefront, creator, viewer, status
):
    client_for(creator).patch(url(storefront), {"is_published": False})

    response = client_for(viewer_of(request, viewer)).get(url(storefront))

    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


def test_unknown_storefront_is_404(db):
    response = client_for(None).get("/api/v1/storefronts/nobody/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("count", [5, 30])
def test_storefront_detail_query_count_is_constant(
    staff, creator, storefront, media, count, django_assert_max_num_queries
):
    for c in range(2):
        collection = collection_create(actor=creator, storefront=storefront, title=f"C{c}")
        for n in range(count // 2 if c == 0 else count - count // 2):
            product = make_product(staff, title=f"P{c}-{n}")
            product_image_add(actor=staff, product=product, upload=upload(image_bytes()))
            collection_item_add(actor=creator, collection=collection, product_id=product.pk)
    client = client_for(staff)

    # roles, storefront, collections, items+products, images, visit insert (+ savepoint pair)
    with django_assert_max_num_queries(8):
        response = client.get(url(storefront))

    assert response.status_code == 200
    assert sum(len(c["items"]) for c in response.json()["collections"]) == count


# --- edit ------------------------------------------------------------------------------------


def test_owner_edits_title_bio_and_publication(creator, storefront):
    response = client_for(creator).patch(
        url(storefront), {"title": "New", "bio": "Hello", "is_published": False}
    )

    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["is_published"] is False
    storefront.refresh_from_db()
    assert (storefront.title, storefront.bio, storefront.is_published) == ("New", "Hello", False)


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("other_creator", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_the_owner_edits_the_storefront(request, storefront, viewer, status, code):
    response = client_for(viewer_of(request, viewer)).patch(url(storefront), {"title": "Hacked"})

    assert response.status_code == status
    assert response.json()["code"] == code
    storefront.refresh_from_db()
    assert storefront.title == "Lily's kitchen"


def test_staff_may_unpublish_a_storefront(staff, storefront):
    response = client_for(staff).patch(url(storefront), {"is_published": False})

    assert response.status_code == 200
    storefront.refresh_from_db()
    assert storefront.is_published is False
    assert client_for(None).get(url(storefront)).status_code == 404


def test_owner_uploads_a_banner(creator, storefront, media):
    response = client_for(creator).post(
        url(storefront, "banner/"),
        {"banner": upload(image_bytes(size=(900, 300)))},
        format="multipart",
    )

    assert response.status_code == 200
    assert response.json()["banner_url"].startswith("/media/storefronts/")
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<svg onload=alert(1)></svg>", "invalid_image"),
        (image_bytes("JPEG") + b"\0" * (5 * 1024 * 1024), "image_too_large"),
    ],
)
def test_banner_refusals_store_nothing(creator, storefront, media, data, code):
    response = client_for(creator).post(
        url(storefront, "banner/"),
        {"banner": upload(data, "b.jpg", "image/jpeg")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    storefront.refresh_from_db()
    assert not storefront.banner
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("viewer", "status"),
    [(None, 401), ("member", 403), ("other_creator", 403), ("staff", 403)],
)
def test_only_the_owner_uploads_a_banner(request, storefront, media, viewer, status):
    response = client_for(viewer_of(request, viewer)).post(
        url(storefront, "banner/"), {"banner": upload(image_bytes())}, format="multipart"
    )

    assert response.status_code == status
    assert stored_files(media) == []


# --- collections -----------------------------------------------------------------------------


def test_owner_creates_edits_and_deletes_a_collection(creator, storefront):
    created = client_for(creator).post(
        url(storefront, "collections/"), {"title": "Pantry", "note": "Daily", "sort": 2}
    )

    assert created.status_code == 201
    assert created.json()["title"] == "Pantry"
    assert created.json()["sort"] == 2
    collection_id = created.json()["id"]

    patched = client_for(creator).patch(
        url(storefront, f"collections/{collection_id}/"), {"note": "Every single day"}
    )

    assert patched.status_code == 200
    assert patched.json()["note"] == "Every single day"
    assert patched.json()["title"] == "Pantry"

    deleted = client_for(creator).delete(url(storefront, f"collections/{collection_id}/"))

    assert deleted.status_code == 204
    assert not Collection.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("other_creator", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_collection_writes_matrix(request, storefront, collection, viewer, status, code):
    client = client_for(viewer_of(request, viewer))

    responses = [
        client.post(url(storefront, "collections/"), {"title": "Mine"}),
        client.patch(url(storefront, f"collections/{collection.pk}/"), {"title": "Mine"}),
        client.delete(url(storefront, f"collections/{collection.pk}/")),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(status, code)] * 3
    assert list(Collection.objects.values_list("title", flat=True)) == ["Pantry"]


def test_collection_of_another_storefront_is_404(creator, other_creator, collection):
    mine = storefront_create(actor=other_creator, slug="mia", title="Mia")

    response = client_for(other_creator).patch(
        url(mine, f"collections/{collection.pk}/"), {"title": "Stolen"}
    )

    assert response.status_code == 404
    collection.refresh_from_db()
    assert collection.title == "Pantry"


def test_collection_without_title_is_a_validation_error(creator, storefront):
    response = client_for(creator).post(url(storefront, "collections/"), {"note": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert not Collection.objects.exists()


# --- items -----------------------------------------------------------------------------------


def items_url(storefront, collection, suffix="") -> str:
    return url(storefront, f"collections/{collection.pk}/items/{suffix}")


def test_owner_adds_a_product_with_a_note(creator, storefront, collection, product):
    response = client_for(creator).post(
        items_url(storefront, collection), {"product": product.pk, "note": "Love it", "sort": 1}
    )

    assert response.status_code == 201
    assert response.json()["note"] == "Love it"
    assert response.json()["product"]["title"] == "Chili oil"
    assert response.json()["product"]["image_url"] is None


def test_adding_the_same_product_twice_is_a_conflict(creator, storefront, collection, product):
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)

    response = client_for(creator).post(items_url(storefront, collection), {"product": product.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "already_in_collection"
    assert CollectionItem.objects.count() == 1


def test_only_products_on_sale_can_be_added(staff, creator, storefront, collection, draft):
    archived = make_product(staff, title="Old", status="archived")

    for product_id in (draft.pk, archived.pk, 999_999):
        response = client_for(creator).post(
            items_url(storefront, collection), {"product": product_id}
        )
        assert response.status_code == 409
        assert response.json()["code"] == "product_unavailable"
    assert not CollectionItem.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("other_creator", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_item_writes_matrix(
    request, creator, storefront, collection, product, viewer, status, code
):
    item = collection_item_add(
        actor=creator, collection=collection, product_id=product.pk, note="mine"
    )
    other = make_product(request.getfixturevalue("staff"), title="Other")
    client = client_for(viewer_of(request, viewer))

    responses = [
        client.post(items_url(storefront, collection), {"product": other.pk}),
        client.patch(items_url(storefront, collection, f"{item.pk}/"), {"note": "x"}),
        client.delete(items_url(storefront, collection, f"{item.pk}/")),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(status, code)] * 3
    assert list(CollectionItem.objects.values_list("note", flat=True)) == ["mine"]


def test_owner_edits_and_removes_an_item(creator, storefront, collection, product):
    item = collection_item_add(actor=creator, collection=collection, product_id=product.pk)

    patched = client_for(creator).patch(
        items_url(storefront, collection, f"{item.pk}/"), {"note": "Better now"}
    )
    deleted = client_for(creator).delete(items_url(storefront, collection, f"{item.pk}/"))

    assert patched.status_code == 200
    assert patched.json()["note"] == "Better now"
    assert deleted.status_code == 204
    assert not CollectionItem.objects.exists()
