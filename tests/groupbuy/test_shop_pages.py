"""The shop pages render from the selectors: list, product, storefront, creator console."""

import pytest

from groupbuy.services import (
    collection_item_add,
    creator_code_create,
    product_image_add,
    storefront_update,
)
from tests.groupbuy.conftest import image_bytes, make_product, upload

pytestmark = pytest.mark.django_db


def test_product_list_shows_active_products_with_price_and_filters(client, staff, product, draft):
    make_product(staff, title="Yoga mat", price="99")

    page = client.get("/products/").content.decode()
    filtered = client.get("/products/?category=kitchen").content.decode()
    searched = client.get("/products/?q=yoga").content.decode()

    assert "Chili oil" in page and "¥19.90" in page and "Yoga mat" in page
    assert "Secret sauce" not in page
    assert "Yoga mat" not in filtered and "Chili oil" in filtered
    assert "Yoga mat" in searched and "Chili oil" not in searched


def test_product_list_query_count_is_bounded(client, staff, media, django_assert_max_num_queries):
    for n in range(12):
        product = make_product(staff, title=f"P{n}")
        product_image_add(actor=staff, product=product, upload=upload(image_bytes()))

    with django_assert_max_num_queries(4):
        response = client.get("/products/")

    assert response.status_code == 200


def test_product_page_shows_gallery_price_stock_and_stores(
    client, staff, creator, product, collection, media
):
    product_image_add(actor=staff, product=product, upload=upload(image_bytes()))
    collection_item_add(actor=creator, collection=collection, product_id=product.pk)

    html = client.get(f"/products/{product.pk}/").content.decode()

    assert 'data-testid="gallery"' in html
    assert "¥19.90" in html
    assert "Only 10 left" in html
    assert "/store/lily-kitchen/" in html


def test_product_page_of_a_draft_is_404_for_visitors(client, draft):
    assert client.get(f"/products/{draft.pk}/").status_code == 404


def test_storefront_page_shows_collections_notes_and_prices(
    client, creator, storefront, collection, product
):
    collection_item_add(
        actor=creator, collection=collection, product_id=product.pk, note="On everything"
    )

    html = client.get("/store/lily-kitchen/").content.decode()

    assert "Lily&#x27;s kitchen" in html
    assert "Pantry" in html
    assert "On everything" in html
    assert "¥19.90" in html


def test_unpublished_storefront_page_is_404_for_visitors(client, creator, storefront):
    storefront_update(actor=creator, storefront=storefront, is_published=False)

    assert client.get("/store/lily-kitchen/").status_code == 404
    client.force_login(creator)
    assert client.get("/store/lily-kitchen/").status_code == 200


def test_console_requires_login(client):
    response = client.get("/store/manage/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_console_for_a_member_explains_the_creator_role(client, member):
    client.force_login(member)

    html = client.get("/store/manage/").content.decode()

    assert 'data-testid="not-creator"' in html


def test_console_for_a_creator_without_storefront_offers_to_open_one(client, creator):
    client.force_login(creator)

    html = client.get("/store/manage/").content.decode()

    assert 'data-testid="storefront-create"' in html


def test_console_lists_collections_items_and_codes(client, creator, collection, product):
    collection_item_add(actor=creator, collection=collection, product_id=product.pk, note="Yum")
    creator_code_create(actor=creator, code="LILY5", discount_percent=5)
    client.force_login(creator)

    html = client.get("/store/manage/").content.decode()

    assert 'data-testid="storefront-console"' in html
    assert "Pantry" in html and "Chili oil" in html and "Yum" in html
    assert "LILY5" in html
