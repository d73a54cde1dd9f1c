import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from community.services import role_grant
from groupbuy import services
from groupbuy.models import Category, Product, ProductStatus
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


def upload(data: bytes, name="photo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


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
def creator(db):
    person = UserFactory(username="lily")
    role_grant(actor=None, user=person, role="creator")
    return person


@pytest.fixture
def other_creator(db):
    person = UserFactory(username="mia")
    role_grant(actor=None, user=person, role="creator")
    return person


@pytest.fixture
def member(db):
    return UserFactory(username="member")


@pytest.fixture
def category(staff):
    return services.category_create(actor=staff, name="Kitchen", slug="kitchen")


def make_product(staff, title="Chili oil", price="19.90", stock=10, **extra) -> Product:
    extra.setdefault("status", ProductStatus.ACTIVE)
    return services.product_create(
        actor=staff, title=title, price=Decimal(price), stock=stock, **extra
    )


@pytest.fixture
def product(staff, category):
    return make_product(staff, category=category, commission_rate=Decimal("0.10"))


@pytest.fixture
def draft(staff):
    return make_product(staff, title="Secret sauce", status=ProductStatus.DRAFT)


@pytest.fixture
def storefront(creator):
    return services.storefront_create(actor=creator, slug="lily-kitchen", title="Lily's kitchen")


@pytest.fixture
def collection(creator, storefront):
    return services.collection_create(
        actor=creator, storefront=storefront, title="Pantry", note="Every day"
    )


def category_of(slug: str) -> Category:
    return Category.objects.get(slug=slug)
