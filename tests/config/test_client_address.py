"""Finding 2 of issue #17: throttles keyed on a header the client writes. The client address is
REMOTE_ADDR unless the peer is a configured trusted proxy (TRUSTED_PROXIES, none by default)."""

import pytest
from rest_framework.test import APIClient

from config.middleware import client_address
from config.serve import daphne_command

LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("203.0.113.9", "1.2.3.4", ()) == "203.0.113.9"


def test_a_trusted_proxy_names_the_nearest_untrusted_hop():
    trusted = ("10.0.0.0/8",)

    # The client wrote "6.6.6.6" itself; the proxy appended what it saw (198.51.100.7).
    assert client_address("10.0.0.2", "6.6.6.6, 198.51.100.7", trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.9", trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", "not-an-ip", trusted) == "10.0.0.2"
    assert client_address("10.0.0.2", "", trusted) == "10.0.0.2"
    # An untrusted peer's header is ignored, whatever it says.
    assert client_address("198.51.100.7", "10.0.0.3", trusted) == "198.51.100.7"


@pytest.mark.parametrize("path", [LOGIN, REGISTER])
def test_rotating_x_forwarded_for_does_not_escape_the_address_throttle(db, path):
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.post(
            path,
            {"username": f"guess{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.{i}.0.1",
        ).status_code
        for i in range(25)
    ]

    assert codes[:20].count(429) == 0
    assert codes[20:] == [429] * 5


def test_behind_a_trusted_proxy_each_forwarded_client_gets_its_own_budget(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    codes = [
        APIClient(REMOTE_ADDR="10.0.0.1")
        .post(
            LOGIN,
            {"username": f"guess{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        .status_code
        for i in range(25)
    ]

    assert 429 not in codes


def test_make_run_does_not_let_daphne_believe_forwarded_headers():
    assert "--proxy-headers" not in daphne_command()
