"""The page tracker (track.js): a member's visit becomes one session and a page view per page,
the visits before logging in become theirs, and a failing endpoint breaks no page."""

import re

import pytest
from playwright.sync_api import expect

from community.models import Event
from tests.e2e.test_team_journey import log_in
from tests.factories import UserFactory
from tests.processes import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# These tests are about the tracker: keep it on in their browser (tests/e2e/conftest.py).
TRACKER_ON = True


def _events(user, timeout=10.0, until=None) -> list[tuple[str, str]]:
    """The member's (name, path) events, polled until ``until`` holds (sends are asynchronous)."""
    rows: list[tuple[str, str]] = []

    def settled() -> bool:
        rows[:] = [
            (name, props.get("path", ""))
            for name, props in Event.objects.filter(user=user)
            .order_by("at", "id")
            .values_list("name", "properties")
        ]
        return until is None or until(rows)

    wait_until(settled, timeout=timeout, interval=0.2)
    return rows


def test_a_members_visit_is_one_session_and_a_page_view_per_page(page):
    mei = UserFactory(username="mei")
    log_in(page, "mei")  # the login page itself was seen signed out

    page.goto("/products/")
    page.goto("/communities/")

    rows = _events(mei, until=lambda r: ("page_view", "/communities/") in r)
    assert [name for name, _ in rows].count("session_start") == 1
    views = [path for name, path in rows if name == "page_view"]
    assert views.count("/products/") == 1 and views.count("/communities/") == 1
    # The signed-out visit to the login page is now the member's too.
    assert "/login/" in views
    assert not Event.objects.filter(actor__startswith="v:").exists()


def test_half_an_hour_idle_starts_a_new_session(page):
    mei = UserFactory(username="mei")
    log_in(page, "mei")
    _events(mei, until=lambda r: any(name == "session_start" for name, _ in r))

    # The next page opens 31 minutes after the last activity, as if the phone had been put away
    # (the last activity is rewound before the page's scripts run).
    page.add_init_script("localStorage.setItem('tj_last', String(Date.now() - 31 * 60 * 1000))")
    page.goto("/products/")

    rows = _events(mei, until=lambda r: [n for n, _ in r].count("session_start") == 2)
    assert [name for name, _ in rows].count("session_start") == 2


def test_pages_work_while_the_endpoint_fails_and_the_events_arrive_later(page):
    mei = UserFactory(username="mei")
    log_in(page, "mei")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/api/v1/events/", lambda route: route.fulfill(status=503, body="down"))

    page.goto("/products/")
    expect(page.locator("html[data-scripts-ready]")).to_have_count(1)
    page.get_by_role("link", name="Communities").click()
    expect(page).to_have_url(re.compile(r"/communities/$"))

    assert errors == []
    page.unroute("**/api/v1/events/")
    page.goto("/")
    # What failed waited in localStorage and came with the next page, once.
    rows = _events(mei, until=lambda r: ("page_view", "/products/") in r)
    views = [path for name, path in rows if name == "page_view"]
    assert views.count("/products/") == 1
