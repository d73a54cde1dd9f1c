"""The address book (PRODUCT.md §4, API.md Commerce): Chinese mobile numbers, one default, only
the owner ever sees an address."""

import threading

import pytest
from django.db import connection

from groupbuy.models import Address
from groupbuy.selectors.addresses import MAX_ADDRESSES, phone_masked, phone_normalise
from groupbuy.services.addresses import address_create
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db

BOOK = "/api/v1/me/addresses/"
HOME = {
    "name": "王小美",
    "phone": "138 0013 8000",
    "region": "浙江省 杭州市 西湖区",
    "detail": "文三路 90 号 3 幢 501",
}


def add(user, **overrides):
    return client_for(user).post(BOOK, {**HOME, **overrides}, format="json")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("12800138000", None),  # no mobile prefix 12
        ("1380013800", None),  # ten digits
        ("138001380001", None),
        ("１３８００１３８０００", None),  # full-width digits are not typed by keyboards we serve
        ("", None),
    ],
)
def test_mainland_mobile_numbers_are_normalised_or_refused(raw, expected):
    assert phone_normalise(raw) == expected


def test_the_first_address_becomes_the_default_and_a_new_default_moves_it(member):
    first = add(member)
    second = add(member, name="公司", detail="创业大街 1 号", is_default=True)
    third = add(member, name="父母家", region="四川省 成都市 武侯区", detail="人民南路 4 段")

    assert first.status_code == second.status_code == third.status_code == 201
    assert first.json()["phone"] == "13800138000"
    book = client_for(member).get(BOOK).json()
    assert book["next"] is None and book["previous"] is None
    assert [(row["name"], row["is_default"]) for row in book["results"]] == [
        ("公司", True),
        ("父母家", False),
        ("王小美", False),
    ]


def test_a_bad_phone_is_refused_and_nothing_is_stored(member):
    refused = add(member, phone="12345")

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_phone"
    assert not Address.objects.filter(user=member).exists()


def test_missing_fields_are_refused_with_the_fields_named(member):
    refused = client_for(member).post(BOOK, {"name": "王小美"}, format="json")

    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"phone", "region", "detail"}
    assert not Address.objects.exists()


def test_editing_and_deleting_the_default_hands_it_on(member):
    home = add(member).json()
    office = add(member, name="公司").json()

    edited = client_for(member).patch(
        f"{BOOK}{office['id']}/", {"phone": "+86 139 0000 0000", "is_default": True}, format="json"
    )
    deleted = client_for(member).delete(f"{BOOK}{office['id']}/")

    assert edited.status_code == 200
    assert (edited.json()["phone"], edited.json()["is_default"]) == ("13900000000", True)
    assert deleted.status_code == 204
    remaining = client_for(member).get(BOOK).json()["results"]
    assert [(row["id"], row["is_default"]) for row in remaining] == [(home["id"], True)]


def test_a_bad_phone_in_an_edit_changes_nothing(member):
    home = add(member).json()

    refused = client_for(member).patch(
        f"{BOOK}{home['id']}/", {"phone": "555", "detail": "改了"}, format="json"
    )

    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_phone")
    stored = Address.objects.get(pk=home["id"])
    assert (stored.phone, stored.detail) == ("13800138000", HOME["detail"])


def test_nobody_else_can_read_change_or_delete_an_address(member):
    home = add(member).json()
    stranger = UserFactory()
    url = f"{BOOK}{home['id']}/"

    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).patch(url, {"name": "x"}, format="json").status_code == 404
    assert client_for(stranger).delete(url).status_code == 404
    assert client_for(stranger).get(BOOK).json()["results"] == []
    assert client_for(None).get(BOOK).status_code in (401, 403)
    assert Address.objects.get(pk=home["id"]).name == HOME["name"]


def test_the_book_holds_at_most_twenty_addresses(member):
    for index in range(MAX_ADDRESSES):
        address_create(
            actor=member, name=f"地址{index}", phone="13800138000", region="r", detail="d"
        )

    refused = add(member)

    assert (refused.status_code, refused.json()["code"]) == (400, "too_many_addresses")
    assert Address.objects.filter(user=member).count() == MAX_ADDRESSES


def test_phones_are_masked_for_labels():
    assert phone_masked("13800138000") == "138****8000"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_new_defaults_leave_exactly_one_default():
    member = UserFactory()
    address_create(actor=member, name="家", phone="13800138000", region="r", detail="d")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def make_default(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            address_create(
                actor=member,
                name=name,
                phone="13800138000",
                region="r",
                detail="d",
                is_default=True,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_default, args=(n,)) for n in ("公司", "父母家")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Address.objects.filter(user=member).count() == 3
    assert Address.objects.filter(user=member, is_default=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_naive_control_without_the_book_lock_breaks_on_the_one_default_rule():
    # The same steps without the row locks, both threads past "clear the old default" before
    # either creates: the database's one-default constraint refuses the second. The lock in
    # address_create is what makes concurrent defaults queue instead.
    from django.db import IntegrityError, transaction

    member = UserFactory()
    address_create(actor=member, name="家", phone="13800138000", region="r", detail="d")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def naive_make_default(name: str) -> None:
        try:
            with transaction.atomic():
                Address.objects.filter(user=member, is_default=True).update(is_default=False)
                barrier.wait(timeout=10)
                Address.objects.create(
                    user=member, name=name, phone="1", region="r", detail="d", is_default=True
                )
        except IntegrityError as error:
            errors.append(error)
        except Exception as error:  # noqa: BLE001 - a lock wait or barrier break also counts
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=naive_make_default, args=(n,)) for n in ("公司", "父母家")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors, "the naive version should have broken"


# --- checkout -----------------------------------------------------------------------------------


def test_an_order_keeps_the_address_as_it_was_at_checkout(member, staff):
    from tests.groupbuy.conftest import make_product

    product = make_product(staff, stock=5)
    home = add(member).json()

    placed = client_for(member).post(
        "/api/v1/orders/",
        {"items": [{"product": product.pk, "quantity": 1}], "address": home["id"]},
        format="json",
    )
    client_for(member).patch(f"{BOOK}{home['id']}/", {"detail": "搬家了"}, format="json")
    later = client_for(member).get(f"/api/v1/orders/{placed.json()['id']}/").json()

    assert placed.status_code == 201, placed.json()
    assert later["shipping"] == {
        "name": "王小美",
        "phone": "13800138000",
        "region": HOME["region"],
        "detail": HOME["detail"],
    }


def test_an_order_without_an_address_has_no_shipping(member, staff):
    from tests.groupbuy.conftest import make_product

    product = make_product(staff, stock=5)

    placed = client_for(member).post(
        "/api/v1/orders/", {"items": [{"product": product.pk, "quantity": 1}]}, format="json"
    )

    assert placed.status_code == 201 and placed.json()["shipping"] is None


def test_another_members_address_cannot_be_shipped_to_and_nothing_is_reserved(member, staff):
    from groupbuy.models import Order, Product
    from tests.groupbuy.conftest import make_product

    product = make_product(staff, stock=5)
    theirs = add(member).json()
    stranger = UserFactory()

    refused = client_for(stranger).post(
        "/api/v1/orders/",
        {"items": [{"product": product.pk, "quantity": 1}], "address": theirs["id"]},
        format="json",
    )

    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert Product.objects.get(pk=product.pk).stock == 5
    assert not Order.objects.filter(buyer=stranger).exists()
