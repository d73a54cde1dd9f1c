"""A NUL character anywhere in the address is a clear 400, never a 500 from the database."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/s/%00",
        "/api/v1/search/?q=%00abc",
        "/api/v1/topics/%00a/posts/",
        "/api/v1/posts/?author=%00",
        "/api/v1/share-links/%00/stats/",
        "/products/?q=a%00b",
    ],
)
def test_nul_in_the_address_is_refused(path):
    response = Client().get(path)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_ordinary_addresses_pass():
    assert Client().get("/api/v1/search/?q=tea").status_code == 200
