from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from chat.models import Room
from chat.services import room_direct_get_or_create, room_group_create
from tests.factories import UserFactory


def member(**kwargs):
    """A member past the new-account window, so the normal flood limit applies."""
    kwargs.setdefault("date_joined", timezone.now() - timedelta(days=30))
    return UserFactory(**kwargs)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def alice(db):
    return member(username="alice")


@pytest.fixture
def bob(db):
    return member(username="bob")


@pytest.fixture
def carol(db):
    return member(username="carol")


@pytest.fixture
def outsider(db):
    return member(username="mallory")


@pytest.fixture
def direct_room(alice, bob) -> Room:
    room, _ = room_direct_get_or_create(actor=alice, other=bob)
    return room


@pytest.fixture
def group_room(alice, bob, carol) -> Room:
    """Alice owns it; Bob and Carol are members."""
    return room_group_create(actor=alice, title="Crew", members=[bob, carol])


@pytest.fixture
def pushed(monkeypatch):
    """Every broadcast that leaves on commit, as (topic, type, data, seq)."""
    events: list[tuple] = []

    def capture(topic, event_type, data, *, seq=None):
        events.append((topic, event_type, data, seq))

    monkeypatch.setattr("realtime.publish.broadcast_now", capture)
    return events


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def grant(user, role: str):
    from community.services import role_grant

    role_grant(actor=None, user=user, role=role)
    return user


@pytest.fixture
def staffer(db):
    return grant(member(username="staffer"), "staff")


@pytest.fixture
def agent(db):
    return grant(member(username="agent_ann"), "support_agent")


@pytest.fixture
def agent2(db):
    return grant(member(username="agent_ben"), "support_agent")


@pytest.fixture
def moderator(db):
    return grant(member(username="mod_max"), "moderator")


@pytest.fixture
def host(db):
    return grant(member(username="host_lily"), "creator")


@pytest.fixture
def product(staffer):
    from decimal import Decimal

    from groupbuy import services as shop
    from groupbuy.models import ProductStatus

    return shop.product_create(
        actor=staffer,
        title="Chili oil",
        price=Decimal("19.90"),
        stock=10,
        status=ProductStatus.ACTIVE,
    )


def order_for(buyer, product, quantity: int = 1):
    from groupbuy.services.orders import order_create

    return order_create(buyer=buyer, items=[(product.pk, quantity)])
