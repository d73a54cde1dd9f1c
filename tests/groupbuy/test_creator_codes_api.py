"""Creator codes: creators create theirs, codes are unique in any case, staff (de)activate."""

import pytest

from groupbuy.exceptions import ShopPermissionDeniedError
from groupbuy.models import CreatorCode
from groupbuy.selectors.storefronts import creator_code_get_active
from groupbuy.services import creator_code_create, creator_code_set_active
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db

CODES = "/api/v1/creator-codes/"


def test_creator_creates_and_lists_own_codes(creator, other_creator):
    creator_code_create(actor=other_creator, code="MIA10", discount_percent=10)

    response = client_for(creator).post(CODES, {"code": "lily5", "discount_percent": 5})
    mine = client_for(creator).get(CODES)

    assert response.status_code == 201
    assert response.json()["code"] == "LILY5"
    assert response.json()["discount_percent"] == 5
    assert response.json()["is_active"] is True
    assert mine.status_code == 200
    assert [row["code"] for row in mine.json()["results"]] == ["LILY5"]


def test_codes_are_unique_regardless_of_case(creator, other_creator):
    creator_code_create(actor=creator, code="LILY5", discount_percent=5)

    response = client_for(other_creator).post(CODES, {"code": "Lily5", "discount_percent": 5})

    assert response.status_code == 400
    assert response.json()["code"] == "code_taken"
    assert CreatorCode.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "LILY5", "discount_percent": 0}, "discount_percent"),
        ({"code": "LILY5", "discount_percent": 31}, "discount_percent"),
        ({"code": "LI", "discount_percent": 5}, "code"),
        ({"code": "LILY 5", "discount_percent": 5}, "code"),
        ({"code": "<b>5</b>", "discount_percent": 5}, "code"),
    ],
)
def test_code_validation_errors_change_nothing(creator, body, field):
    response = client_for(creator).post(CODES, body)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not CreatorCode.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("member", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
    ],
)
def test_only_creators_create_codes(request, viewer, status, code):
    user = request.getfixturevalue(viewer) if viewer else None

    response = client_for(user).post(CODES, {"code": "MINE5", "discount_percent": 5})

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not CreatorCode.objects.exists()


def test_listing_codes_requires_login_and_shows_only_mine(member, creator):
    creator_code_create(actor=creator, code="LILY5", discount_percent=5)

    anonymous = client_for(None).get(CODES)
    other = client_for(member).get(CODES)

    assert anonymous.status_code == 401
    assert other.status_code == 200
    assert other.json()["results"] == []


def test_staff_deactivates_a_code_and_checkout_no_longer_finds_it(staff, creator):
    code = creator_code_create(actor=creator, code="LILY5", discount_percent=5)
    assert creator_code_get_active(code="lily5") == code

    creator_code_set_active(actor=staff, creator_code=code, is_active=False)

    assert creator_code_get_active(code="LILY5") is None
    code.refresh_from_db()
    assert code.is_active is False


def test_a_creator_cannot_deactivate_codes(creator):
    code = creator_code_create(actor=creator, code="LILY5", discount_percent=5)

    with pytest.raises(ShopPermissionDeniedError):
        creator_code_set_active(actor=creator, creator_code=code, is_active=False)

    code.refresh_from_db()
    assert code.is_active is True
