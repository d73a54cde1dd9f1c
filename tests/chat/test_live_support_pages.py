"""Live and support pages render from selectors and refuse who the API refuses."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chat.services.live import livestream_create
from chat.services.support import support_claim, support_conversation_open

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def stream(host):
    return livestream_create(
        actor=host,
        title="Dumpling class",
        starts_at=timezone.now() + timedelta(hours=2),
        stream_url="https://media.example.com/d.m3u8",
    )


def test_live_pages_matrix(host, alice, stream):
    listed = _browser(None).get("/live/")
    anonymous = _browser(None).get(f"/live/{stream.pk}/")
    viewer = _browser(alice).get(f"/live/{stream.pk}/")
    console_by_viewer = _browser(alice).get(f"/live/{stream.pk}/console/")
    console = _browser(host).get(f"/live/{stream.pk}/console/")
    new_by_member = _browser(alice).get("/live/new/")
    new_by_creator = _browser(host).get("/live/new/")

    assert "Dumpling class" in listed.content.decode()
    assert anonymous.status_code == 302
    assert viewer.status_code == 200
    html = viewer.content.decode()
    assert '<video src="https://media.example.com/d.m3u8"' in html
    assert 'data-testid="buy"' in html
    assert (console_by_viewer.status_code, console.status_code) == (403, 200)
    assert 'data-testid="go-live"' in console.content.decode()
    assert (new_by_member.status_code, new_by_creator.status_code) == (403, 200)
    assert _browser(alice).get("/live/999999/").status_code == 404


def test_support_pages_matrix(alice, outsider, agent):
    conversation = support_conversation_open(actor=alice, body="my parcel is late")
    mine = _browser(alice).get(f"/support/{conversation.pk}/")
    theirs = _browser(outsider).get(f"/support/{conversation.pk}/")
    agent_before_claim = _browser(agent).get(f"/support/{conversation.pk}/")
    queue = _browser(agent).get("/support/agent/")
    queue_by_member = _browser(alice).get("/support/agent/")
    support_claim(actor=agent, conversation=conversation)
    agent_after_claim = _browser(agent).get(f"/support/{conversation.pk}/")

    assert mine.status_code == 200
    assert f'data-chat-room="{conversation.room_id}"' in mine.content.decode()
    assert theirs.status_code == 403
    assert agent_before_claim.status_code == 403  # claim first, then read
    assert queue.status_code == 200 and "my parcel is late" in queue.content.decode()
    assert queue_by_member.status_code == 403
    assert agent_after_claim.status_code == 200
    assert _browser(None).get("/support/").status_code == 302
    assert _browser(alice).get("/support/").status_code == 200


def test_the_console_offers_the_hosts_storefront_products_by_name(host, stream):
    from decimal import Decimal

    from groupbuy.models import ProductStatus
    from groupbuy.services import (
        collection_create,
        collection_item_add,
        product_create,
        storefront_create,
    )
    from tests.groupbuy.orderflow import staff_member

    staff = staff_member()
    oil = product_create(
        actor=staff, title="Chili oil", price=Decimal("29.90"), stock=5, status=ProductStatus.ACTIVE
    )
    product_create(actor=staff, title="Not in my shop", price=Decimal("9.90"), stock=5)
    shop = storefront_create(actor=host, slug="host-shop", title="Host's shop")
    shelf = collection_create(actor=host, storefront=shop, title="Pantry")
    collection_item_add(actor=host, collection=shelf, product_id=oil.pk)

    html = _browser(host).get(f"/live/{stream.pk}/console/").content.decode()

    assert f'<option value="{oil.pk}" label="Chili oil · ¥29.90">' in html
    assert "Not in my shop" not in html
