"""The catalog over REST: listing, filters, detail visibility, staff writes, images."""

import io
import random
from decimal import Decimal

import pytest
from PIL import Image

from groupbuy.models import Product, ProductImage
from groupbuy.services import category_create, product_image_add
from tests.groupbuy.conftest import (
    client_for,
    image_bytes,
    make_product,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/products/"


def detail(product, suffix="") -> str:
    return f"/api/v1/products/{product.pk}/{suffix}"


# --- list and detail -------------------------------------------------------------------------


def test_list_shows_active_products_newest_first_to_everybody(staff, product, draft, member):
    newer = make_product(staff, title="Peppercorn", price="29.90")
    archived = make_product(staff, title="Old wok", status="archived")

    for viewer in (None, member):
        response = client_for(viewer).get(LIST)

        assert response.status_code == 200
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == [newer.pk, product.pk]
        assert draft.pk not in ids and archived.pk not in ids


def test_list_for_staff_includes_drafts_and_archived(staff, product, draft):
    response = client_for(staff).get(LIST)

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {product.pk, draft.pk}


def test_list_row_shape_uses_decimal_strings(product, media, staff):
    product_image_add(actor=staff, product=product, upload=upload(image_bytes()))

    row = client_for(None).get(LIST).json()["results"][0]

    assert row["price"] == "19.90"
    assert row["commission_rate"] == "0.100"
    assert row["in_stock"] is True
    assert row["category"] == {"id": product.category_id, "name": "Kitchen", "slug": "kitchen"}
    assert row["images"][0]["url"].startswith("/media/products/")


def test_list_filters_by_category_slug_and_title_text(staff, product, category):
    other = make_product(staff, title="Yoga mat")
    child = make_product(staff, title="Chili crisp")

    by_category = client_for(None).get(LIST, {"category": "kitchen"}).json()["results"]
    by_text = client_for(None).get(LIST, {"q": "chili"}).json()["results"]
    nothing = client_for(None).get(LIST, {"category": "nope"}).json()["results"]

    assert [row["id"] for row in by_category] == [product.pk]
    assert [row["id"] for row in by_text] == [child.pk, product.pk]
    assert other.pk not in [row["id"] for row in by_text]
    assert nothing == []


def test_list_paginates_with_a_cursor(staff):
    for n in range(5):
        make_product(staff, title=f"Item {n}")

    first = client_for(None).get(LIST, {"page_size": 2}).json()
    second = client_for(None).get(first["next"]).json()

    assert [row["title"] for row in first["results"]] == ["Item 4", "Item 3"]
    assert [row["title"] for row in second["results"]] == ["Item 2", "Item 1"]
    assert first["previous"] is None


@pytest.mark.parametrize("count", [5, 30])
def test_list_query_count_is_constant(staff, media, count, django_assert_max_num_queries):
    for n in range(count):
        product = make_product(staff, title=f"Item {n}")
        product_image_add(actor=staff, product=product, upload=upload(image_bytes()))
    client = client_for(staff)

    # session-less auth: roles (1), products (1), images (1)
    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"page_size": 50})

    assert response.status_code == 200
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [5, 30])
def test_list_query_count_is_constant_for_anonymous(staff, count, django_assert_max_num_queries):
    for n in range(count):
        make_product(staff, title=f"Item {n}")

    with django_assert_max_num_queries(2):
        response = client_for(None).get(LIST, {"page_size": 50})

    assert len(response.json()["results"]) == count


def test_detail_hides_drafts_and_archived_from_everybody_but_staff(staff, draft, member, creator):
    archived = make_product(staff, title="Old wok", status="archived")

    for viewer in (None, member, creator):
        for hidden in (draft, archived):
            response = client_for(viewer).get(detail(hidden))
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
    assert client_for(staff).get(detail(draft)).status_code == 200
    assert client_for(staff).get(detail(archived)).status_code == 200


def test_detail_of_active_product_is_public(product):
    response = client_for(None).get(detail(product))

    assert response.status_code == 200
    assert response.json()["title"] == "Chili oil"
    assert response.json()["stock"] == 10


def test_unknown_product_is_404(db):
    response = client_for(None).get("/api/v1/products/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- staff writes ----------------------------------------------------------------------------


def test_staff_creates_a_product(staff, category):
    body = {
        "title": "Bean paste",
        "price": "19.9",
        "stock": 5,
        "commission_rate": "0.15",
        "description": "Aged three years",
        "category": "kitchen",
    }

    response = client_for(staff).post(LIST, body)

    assert response.status_code == 201
    data = response.json()
    assert data["price"] == "19.90"
    assert data["status"] == "active"
    assert data["category"]["slug"] == "kitchen"
    product = Product.objects.get(pk=data["id"])
    assert product.price == Decimal("19.90")
    assert product.commission_rate == Decimal("0.150")
    assert product.created_by == staff


def test_staff_creates_a_minimal_draft(staff):
    response = client_for(staff).post(
        LIST, {"title": "Draft", "price": "1.00", "stock": 0, "status": "draft"}
    )

    assert response.status_code == 201
    assert response.json()["commission_rate"] == "0.000"
    assert response.json()["in_stock"] is False
    assert client_for(None).get(detail(Product.objects.get())).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("creator", 403, "permission_denied"),
    ],
)
def test_create_product_matrix_refuses_non_staff(request, viewer, status, code):
    user = request.getfixturevalue(viewer) if viewer else None

    response = client_for(user).post(LIST, {"title": "X", "price": "1.00", "stock": 1})

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "0.00"}, "price"),
        ({"price": "-5"}, "price"),
        ({"price": "1.005"}, "price"),
        ({"price": "abc"}, "price"),
        ({"stock": -1}, "stock"),
        ({"commission_rate": "0.31"}, "commission_rate"),
        ({"commission_rate": "-0.01"}, "commission_rate"),
        ({"title": ""}, "title"),
        ({"category": "missing"}, "category"),
        ({"status": "sold"}, "status"),
    ],
)
def test_create_product_validation_errors_change_nothing(staff, category, change, field):
    body = {"title": "Bean paste", "price": "19.90", "stock": 5, **change}

    response = client_for(staff).post(LIST, body)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not Product.objects.exists()


def test_commission_rate_boundaries_are_accepted(staff):
    for rate in ("0", "0.30"):
        response = client_for(staff).post(
            LIST, {"title": f"r{rate}", "price": "1.00", "stock": 1, "commission_rate": rate}
        )
        assert response.status_code == 201


def test_staff_patches_and_archives_a_product(staff, product):
    response = client_for(staff).patch(detail(product), {"price": "17.5", "stock": 3})

    assert response.status_code == 200
    assert response.json()["price"] == "17.50"
    assert response.json()["stock"] == 3

    archived = client_for(staff).patch(detail(product), {"status": "archived"})

    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert client_for(None).get(detail(product)).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("creator", 403, "permission_denied"),
    ],
)
def test_patch_product_matrix_refuses_non_staff(request, product, viewer, status, code):
    user = request.getfixturevalue(viewer) if viewer else None

    response = client_for(user).patch(detail(product), {"price": "1.00"})

    assert response.status_code == status
    assert response.json()["code"] == code
    product.refresh_from_db()
    assert product.price == Decimal("19.90")


def test_patch_with_invalid_price_changes_nothing(staff, product):
    response = client_for(staff).patch(detail(product), {"price": "0"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    product.refresh_from_db()
    assert product.price == Decimal("19.90")


# --- images ----------------------------------------------------------------------------------


def test_staff_uploads_a_reencoded_image(staff, product, media):
    response = client_for(staff).post(
        detail(product, "images/"), {"image": upload(image_bytes())}, format="multipart"
    )

    assert response.status_code == 201
    assert response.json()["width"] == 64
    assert response.json()["url"].endswith(".png")
    assert len(stored_files(media)) == 1
    assert product.images.count() == 1


def _truncated_png() -> bytes:
    rng = random.Random(1)
    noise = Image.frombytes("RGB", (200, 200), bytes(rng.randrange(256) for _ in range(120000)))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    data = out.getvalue()
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("make", "name", "content_type", "code"),
    [
        (lambda: b"not an image at all\n" * 50, "note.png", "image/png", "invalid_image"),
        (_truncated_png, "cut.png", "image/png", "invalid_image"),
        (
            lambda: image_bytes("JPEG") + b"\0" * (5 * 1024 * 1024),
            "huge.jpg",
            "image/jpeg",
            "image_too_large",
        ),
        (lambda: image_bytes("GIF"), "anim.gif", "image/gif", "invalid_image"),
    ],
)
def test_image_refusals_store_nothing(staff, product, media, make, name, content_type, code):
    response = client_for(staff).post(
        detail(product, "images/"),
        {"image": upload(make(), name, content_type)},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not ProductImage.objects.exists()
    assert stored_files(media) == []


def test_image_without_file_is_a_validation_error(staff, product, media):
    response = client_for(staff).post(detail(product, "images/"), {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "image" in response.json()["fields"]


def test_a_tenth_image_is_refused(staff, product, media):
    for _ in range(9):
        product_image_add(actor=staff, product=product, upload=upload(image_bytes()))

    response = client_for(staff).post(
        detail(product, "images/"), {"image": upload(image_bytes())}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_images"
    assert product.images.count() == 9
    assert len(stored_files(media)) == 9


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("creator", 403, "permission_denied"),
    ],
)
def test_image_upload_matrix_refuses_non_staff(request, product, media, viewer, status, code):
    user = request.getfixturevalue(viewer) if viewer else None

    response = client_for(user).post(
        detail(product, "images/"), {"image": upload(image_bytes())}, format="multipart"
    )

    assert response.status_code == status
    assert response.json()["code"] == code
    assert stored_files(media) == []


def test_staff_removes_an_image_and_its_file(
    staff, product, media, django_capture_on_commit_callbacks
):
    image = product_image_add(actor=staff, product=product, upload=upload(image_bytes()))

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).delete(detail(product, f"images/{image.pk}/"))

    assert response.status_code == 204
    assert not ProductImage.objects.exists()
    assert stored_files(media) == []


def test_member_cannot_remove_an_image(staff, member, product, media):
    image = product_image_add(actor=staff, product=product, upload=upload(image_bytes()))

    response = client_for(member).delete(detail(product, f"images/{image.pk}/"))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert ProductImage.objects.filter(pk=image.pk).exists()


# --- categories ------------------------------------------------------------------------------


def test_categories_are_public_in_sort_order(staff):
    category_create(actor=staff, name="Beauty", slug="beauty", sort=2)
    kitchen = category_create(actor=staff, name="Kitchen", slug="kitchen", sort=1)
    category_create(actor=staff, name="Woks", slug="woks", parent=kitchen, sort=3)

    response = client_for(None).get("/api/v1/categories/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["slug"] for row in rows] == ["kitchen", "beauty", "woks"]
    assert rows[2]["parent"] == kitchen.pk


def test_category_filter_includes_subcategories(staff):
    kitchen = category_create(actor=staff, name="Kitchen", slug="kitchen")
    woks = category_create(actor=staff, name="Woks", slug="woks", parent=kitchen)
    wok = make_product(staff, title="Iron wok", category=woks)

    rows = client_for(None).get(LIST, {"category": "kitchen"}).json()["results"]

    assert [row["id"] for row in rows] == [wok.pk]
