"""Lily opens her storefront, adds a collection and a product with her note; a visitor sees it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from community.services import role_grant
from groupbuy.models import CollectionItem, Storefront
from groupbuy.services import product_create
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def test_creator_builds_a_storefront_and_a_visitor_sees_it(page, browser, live_url):
    staff = UserFactory(username="staffer")
    role_grant(actor=None, user=staff, role="staff")
    lily = UserFactory(username="lily", display_name="Lily 美食家")
    role_grant(actor=None, user=lily, role="creator")
    product = product_create(
        actor=staff, title="Pixian bean paste", price=Decimal("19.90"), stock=50
    )
    product_create(actor=staff, title="Yoga mat", price=Decimal("99.00"), stock=5)

    log_in(page, "lily")
    page.goto("/store/manage/")
    form = page.get_by_test_id("storefront-create")
    form.locator("input[name=slug]").fill("lily-kitchen")
    form.locator("input[name=title]").fill("Lily's kitchen")
    form.locator("textarea[name=bio]").fill("Home cooking from Chengdu")
    form.get_by_role("button", name="Open storefront").click()
    expect(page.get_by_test_id("storefront-console")).to_be_visible()

    collection_form = page.get_by_test_id("collection-create")
    collection_form.locator("input[name=title]").fill("Sichuan pantry")
    collection_form.locator("input[name=note]").fill("The jars I cook with every day")
    collection_form.get_by_role("button", name="Add collection").click()
    collection = page.get_by_test_id("manage-collection")
    expect(collection).to_contain_text("Sichuan pantry")

    collection.get_by_placeholder("Search the catalog").fill("bean")
    collection.get_by_placeholder("Why you love it").fill("Fry it slowly until the oil turns red")
    expect(collection.get_by_test_id("picker-result")).to_have_count(1)
    expect(collection.get_by_test_id("picker-result")).to_contain_text("¥19.90")
    collection.get_by_test_id("picker-add").click()
    expect(page.get_by_test_id("manage-item")).to_contain_text("Pixian bean paste")

    storefront = Storefront.objects.get(owner=lily)
    assert storefront.slug == "lily-kitchen"
    item = CollectionItem.objects.get(collection__storefront=storefront)
    assert item.product_id == product.pk
    assert item.note == "Fry it slowly until the oil turns red"

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        visitor = context.new_page()
        visitor.goto("/store/lily-kitchen/")
        expect(visitor.get_by_test_id("storefront-title")).to_have_text("Lily's kitchen")
        card = visitor.get_by_test_id("product-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("Pixian bean paste")
        expect(card.get_by_test_id("price")).to_have_text("¥19.90")
        expect(card.get_by_test_id("creator-note")).to_contain_text(
            "Fry it slowly until the oil turns red"
        )
        expect(visitor.get_by_test_id("collection")).to_contain_text(
            "The jars I cook with every day"
        )
    finally:
        context.close()
    assert storefront.visits.filter(visitor__isnull=True).count() == 1
