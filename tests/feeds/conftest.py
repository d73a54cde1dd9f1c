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
