"""A viewer watches a livestream: comments reach the host live (in batches), the viewer buys the
pinned product and pays through the sandbox."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chat.models import LiveComment
from chat.services.live import livestream_create, livestream_start, livestream_update
from community.services import role_grant
from groupbuy import services as shop
from groupbuy.models import Order, ProductStatus
from tests.e2e.conftest import outside_event_loop
from tests.e2e.test_chat_journey import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    host = UserFactory(username="lily", display_name="Lily 厨房")
    role_grant(actor=None, user=host, role="creator")
    staff = UserFactory(username="staffer")
    role_grant(actor=None, user=staff, role="staff")
    UserFactory(username="vivian", display_name="Vivian")
    product = shop.product_create(
        actor=staff,
        title="Sichuan chili oil",
        price=Decimal("29.90"),
        stock=5,
        status=ProductStatus.ACTIVE,
    )
    stream = livestream_create(
        actor=host,
        title="Chili oil live",
        starts_at=timezone.now() + timedelta(minutes=1),
        stream_url="https://media.example.com/chili.m3u8",
    )
    stream = livestream_start(actor=host, stream=stream)
    livestream_update(actor=host, stream=stream, pinned_product_id=product.pk)
    return stream, product


def test_viewer_comments_and_buys_the_pinned_product(page, browser, live_url):
    stream, product = outside_event_loop(_setup)

    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        host_page = context.new_page()
        log_in(host_page, "lily")
        host_page.goto(f"/live/{stream.pk}/")
        expect(host_page.locator("[data-realtime-state=open]")).to_have_count(1)

        log_in(page, "vivian")
        page.goto(f"/live/{stream.pk}/")
        expect(page.get_by_test_id("live-title")).to_have_text("Chili oil live")
        expect(page.get_by_test_id("live-video")).to_have_attribute(
            "data-stream-url", "https://media.example.com/chili.m3u8"
        )
        expect(page.get_by_test_id("live-video")).to_have_attribute("data-player", "hls.js")
        expect(page.get_by_test_id("pinned")).to_contain_text("Sichuan chili oil")
        expect(page.get_by_test_id("pinned")).to_contain_text("¥29.90")
        expect(page.locator("[data-realtime-state=open]")).to_have_count(1)
        # Both sockets are watching: the host's page counts two viewers.
        expect(host_page.get_by_test_id("viewers")).to_have_text("2")

        page.get_by_test_id("live-composer").fill("看起来好辣! 🌶")
        page.get_by_test_id("live-send").click()

        expect(host_page.get_by_test_id("live-comment")).to_have_count(1)
        expect(host_page.get_by_test_id("live-comment")).to_contain_text("Vivian: 看起来好辣! 🌶")
        expect(page.get_by_test_id("live-comment")).to_have_count(1)

        page.get_by_test_id("like").click()
        expect(host_page.get_by_test_id("likes")).to_have_text("1")

        page.get_by_test_id("buy").click()
        page.wait_for_url(re.compile(r".*/orders/\d+/$"))
        expect(page.get_by_test_id("order-status")).to_have_text("Waiting for payment")
        page.get_by_test_id("pay").click()
        expect(page.get_by_test_id("order-status")).to_have_text("Paid")
    finally:
        context.close()

    order = Order.objects.get()
    assert (order.buyer.username, order.status, order.total) == ("vivian", "paid", Decimal("29.90"))
    assert list(order.items.values_list("product_id", "quantity")) == [(product.pk, 1)]
    assert list(LiveComment.objects.values_list("user__username", "body")) == [
        ("vivian", "看起来好辣! 🌶")
    ]


@pytest.mark.parametrize(
    "media_source, stream_url, player",
    [
        (True, "https://media.example.com/live/tea.m3u8", "hls.js"),  # Chromium, Firefox, Safari
        (False, "https://media.example.com/live/tea.m3u8", None),  # no MSE: native HLS (old iOS)
        (True, "https://media.example.com/v.mp4", None),
    ],
)
def test_an_hls_stream_plays_through_hls_js_or_natively(page, media_source, stream_url, player):
    host = UserFactory(username="hoster")
    role_grant(actor=None, user=host, role="creator")
    stream = livestream_create(
        actor=host,
        title="Tea tasting",
        starts_at=timezone.now() + timedelta(minutes=1),
        stream_url=stream_url,
    )
    livestream_start(actor=host, stream=stream)
    if not media_source:
        # A browser without Media Source Extensions, where hls.js cannot run.
        page.add_init_script(
            "delete window.MediaSource; delete window.ManagedMediaSource;"
            " delete window.WebKitMediaSource;"
        )
    log_in(page, "hoster")

    page.goto(f"/live/{stream.pk}/")

    video = page.get_by_test_id("live-video")
    expect(video).to_be_attached()
    assert video.get_attribute("data-player") == player
    if player is None:
        assert video.get_attribute("src") == stream_url


def test_a_viewer_asks_to_be_reminded_of_a_scheduled_stream(page, live_url):
    def schedule():
        host = UserFactory(username="lily", display_name="Lily 厨房")
        role_grant(actor=None, user=host, role="creator")
        UserFactory(username="vivian")
        return livestream_create(
            actor=host,
            title="Dumpling night",
            starts_at=timezone.now() + timedelta(hours=2),
            stream_url="https://media.example.com/dumplings.m3u8",
        )

    stream = outside_event_loop(schedule)

    log_in(page, "vivian")
    page.goto(f"/live/{stream.pk}/")
    page.get_by_test_id("live-subscribe").click()
    expect(page.get_by_test_id("live-subscribe")).to_have_text("Reminder set ✓")
    page.reload()
    expect(page.get_by_test_id("live-subscribe")).to_have_text("Reminder set ✓")
    page.get_by_test_id("live-subscribe").click()
    expect(page.get_by_test_id("live-subscribe")).to_have_text("Remind me when it starts")
    assert not stream.subscriptions.exists()
