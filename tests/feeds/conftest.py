import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from community.services import role_grant
from feeds.services import posts as post_services
from groupbuy.models import Order, OrderItem, Product
from groupbuy.services import order_create, product_create
from tests.factories import UserFactory


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def image_bytes(fmt="PNG", size=(64, 48), colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes | None = None, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type)


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def make_post(author, title="Mapo tofu at home", body="", **extra):
    data = post_services.PostInput(title=title, body=body, **extra)
    return post_services.post_create(actor=author, data=data)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff(db):
    person = UserFactory(username="staffer")
    role_grant(actor=None, user=person, role="staff")
    return person


@pytest.fixture
def author(db):
    return UserFactory(username="lily", display_name="Lily 美食家")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def sharer(db):
    return UserFactory(username="sharer")


@pytest.fixture
def post(author, media):
    return make_post(author, title="Hotpot night")


def _product_for(staff) -> Product:
    return product_create(
        actor=staff, title="Pixian bean paste 郫县豆瓣", price=Decimal("19.90"), stock=100
    )


@pytest.fixture
def product(staff) -> Product:
    return _product_for(staff)


def completed_item(buyer, product, quantity=1) -> OrderItem:
    """An item of a completed order. Completion is commerce's business: tests set the state."""
    order = order_create(buyer=buyer, items=[(product.pk, quantity)])
    Order.objects.filter(pk=order.pk).update(
        status="completed", paid_at=timezone.now(), completed_at=timezone.now()
    )
    return order.items.get()


# --- moderation (tests/feeds/test_moderation_*.py) -------------------------------------------------


@pytest.fixture
def hide_at_two_reports(settings):
    """Two members' reports hide content (the product default, 3.0, needs three newcomers)."""
    settings.MODERATION_HIDE_THRESHOLD = 2.0


@pytest.fixture
def reporters(db):
    return [UserFactory(username="reporter_a"), UserFactory(username="reporter_b")]


def report(target_type: str, target_id: int, *members, category: str = "spam"):
    """Each member reports the content over REST (201 asserted); the last response."""
    response = None
    for member in members:
        response = client_for(member).post(
            "/api/v1/reports/",
            {"target_type": target_type, "target_id": target_id, "category": category},
            format="json",
        )
        assert response.status_code == 201, response.json()
    return response


def queue_item(moderator, target_type: str, target_id: int) -> dict:
    """The open queue item of a target, as a moderator reads it."""
    page = client_for(moderator).get("/api/v1/moderation/queue/", {"type": target_type})
    assert page.status_code == 200, page.json()
    items = [i for i in page.json()["results"] if i["target_id"] == target_id]
    assert len(items) == 1, page.json()
    return items[0]


def decide(moderator, item: dict, action: str, reason: str = "Against the rules", **extra):
    response = client_for(moderator).post(
        f"/api/v1/moderation/items/{item['id']}/decide/",
        {"action": action, "reason": reason, "version": item["version"], **extra},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def watch(moderator, word: str, action: str) -> None:
    response = client_for(moderator).post(
        "/api/v1/moderation/watched-words/", {"word": word, "action": action}, format="json"
    )
    assert response.status_code == 201, response.json()


def outcomes(member) -> list[dict]:
    """The ``moderation_outcome`` notifications in the member's inbox (oldest first)."""
    inbox = client_for(member).get("/api/v1/notifications/").json()["results"]
    found = [n for n in inbox if n["type"] == "moderation_outcome"]
    return sorted(found, key=lambda n: n["seq"])
