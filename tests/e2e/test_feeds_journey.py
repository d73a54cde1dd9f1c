"""Lily posts a note with two photos and a product; Mei, who follows her, sees it in her feed and
shares it; a visitor opens Mei's link and Mei watches her link's stats move."""

import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from community.models import Follow
from community.services import role_grant
from feeds.models import Post
from groupbuy.services import product_create
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def photo(colour: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, format="JPEG")
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def new_page(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_post_follow_share_and_watch_the_stats(page, browser, live_url):
    staff = UserFactory(username="staffer")
    role_grant(actor=None, user=staff, role="staff")
    product = product_create(
        actor=staff, title="Pixian bean paste", price=Decimal("19.90"), stock=50
    )
    lily = UserFactory(username="lily", display_name="Lily 美食家")
    mei = UserFactory(username="mei")
    UserFactory(username="visitor")
    Follow.objects.create(follower=mei, followee=lily)

    log_in(page, "lily")
    page.goto("/posts/new/")
    form = page.get_by_test_id("compose-form")
    form.locator("input[name=title]").fill("Mapo tofu, the slow way")
    form.locator("textarea[name=body]").fill("Fry the paste until the oil turns red #川菜")
    page.get_by_test_id("compose-images").set_input_files([photo("red"), photo("orange")])
    form.get_by_test_id("product-option").check()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("post-title")).to_have_text("Mapo tofu, the slow way")
    expect(page.get_by_test_id("post-images").locator("img")).to_have_count(2)
    expect(page.get_by_test_id("linked-products")).to_contain_text("Pixian bean paste")
    post = Post.objects.get(title="Mapo tofu, the slow way")
    assert post.images.count() == 2
    assert list(post.products.values_list("pk", flat=True)) == [product.pk]

    mei_context, mei_page = new_page(browser, live_url)
    visitor_context, visitor_page = new_page(browser, live_url)
    try:
        log_in(mei_page, "mei")
        mei_page.goto("/")
        card = mei_page.get_by_test_id("feed-posts").get_by_test_id("post-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("Mapo tofu, the slow way")
        card.get_by_test_id("post-title").click()
        mei_page.get_by_test_id("share").click()
        share = mei_page.get_by_test_id("share-result")
        expect(share).to_contain_text("/s/")
        link = share.text_content().strip()

        mei_page.goto("/me/share-links/")
        expect(mei_page.get_by_test_id("stat-clicks")).to_have_text("0")

        log_in(visitor_page, "visitor")
        visitor_page.goto(link)
        expect(visitor_page.get_by_test_id("post-title")).to_have_text("Mapo tofu, the slow way")
        assert visitor_page.url.endswith(f"/posts/{post.pk}/")

        mei_page.reload()
        expect(mei_page.get_by_test_id("stat-clicks")).to_have_text("1")
        expect(mei_page.get_by_test_id("stat-unique")).to_have_text("1")
        expect(mei_page.get_by_test_id("stat-points")).to_have_text("1")
    finally:
        mei_context.close()
        visitor_context.close()
