"""A product hidden by moderation leaves every livestream that pins it (issue #12): groupbuy
announces ``product_hidden``, chat unpins it and open live pages get ``live.product.pinned`` with
``product`` null, so nobody keeps a buy button for it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from chat.services.live import livestream_create, livestream_start, livestream_update
from community.services.moderation.decisions import content_act
from community.services.moderation.reports import report_create
from groupbuy import services as shop
from groupbuy.models import ProductStatus
from tests.chat.conftest import client_for, grant, member

pytestmark = pytest.mark.django_db


def _pinning(host, product, title: str):
    stream = livestream_create(
        actor=host,
        title=title,
        starts_at=timezone.now() + timedelta(minutes=5),
        stream_url="https://media.example.com/live/x.m3u8",
    )
    stream = livestream_start(actor=host, stream=stream)
    return livestream_update(actor=host, stream=stream, pinned_product_id=product.pk)


def _pinned(viewer, stream):
    return client_for(viewer).get(f"/api/v1/livestreams/{stream.pk}/").json()["pinned_product"]


def test_reports_that_hide_a_pinned_product_unpin_it_on_every_stream_live(
    host, product, staffer, bob, pushed, django_capture_on_commit_callbacks
):
    other_host = grant(member(username="host_mei"), "creator")
    first = _pinning(host, product, "辣椒油直播")
    second = _pinning(other_host, product, "厨房直播")
    tea = shop.product_create(
        actor=staffer, title="Tea", price=Decimal("9.90"), stock=5, status=ProductStatus.ACTIVE
    )
    third = _pinning(grant(member(username="host_tea"), "creator"), tea, "茶叶直播")
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            report_create(
                reporter=member(), target_type="product", target_id=product.pk, category="scam"
            )

    unpinned = sorted(
        (topic, data["product"]) for topic, kind, data, _ in pushed if kind == "live.product.pinned"
    )
    assert unpinned == [(f"live.stream:{first.pk}", None), (f"live.stream:{second.pk}", None)]
    assert _pinned(bob, first) is None and _pinned(bob, second) is None
    assert _pinned(bob, third)["title"] == "Tea"


def test_a_moderator_removing_the_product_unpins_it_and_a_restore_leaves_the_host_to_repin(
    host, product, moderator, bob, pushed, django_capture_on_commit_callbacks
):
    stream = _pinning(host, product, "辣椒油直播")
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        content_act(
            moderator=moderator,
            target_type="product",
            target_id=product.pk,
            action="remove",
            reason="假冒商品",
        )

    assert [data for _, kind, data, _ in pushed if kind == "live.product.pinned"] == [
        {"stream": stream.pk, "product": None}
    ]
    assert _pinned(bob, stream) is None
    # Pinning a hidden product again is refused to the host; nothing changes.
    again = client_for(host).patch(
        f"/api/v1/livestreams/{stream.pk}/", {"pinned_product": product.pk}, format="json"
    )
    assert again.status_code == 400
    assert _pinned(bob, stream) is None
