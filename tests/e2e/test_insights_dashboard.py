"""Staff open 数据看板: the charts are drawn, the live panel fills from the socket, and a member's
page views show up in today's DAU as soon as the range is reloaded. A member is refused."""

import re

import pytest
from playwright.sync_api import expect

from community.models import Role
from community.services import role_grant
from tests.e2e.conftest import outside_event_loop
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = ["ins-trend", "ins-lifecycle", "ins-funnel"]


def log_in(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_be_visible()


def _setup():
    boss = UserFactory(username="yunying")
    role_grant(actor=None, user=boss, role=Role.STAFF)
    UserFactory(username="mei")


def _drawn(page, canvas_id: str) -> bool:
    """The canvas holds a Chart.js chart and has painted pixels."""
    return page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            if (!canvas || !window.Chart || !window.Chart.getChart(canvas)) return false;
            const pixels = canvas.getContext("2d")
                .getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
            return false;
        }""",
        canvas_id,
    )


def _dau(page) -> int:
    dashboard = page.get_by_test_id("insights-dashboard")
    expect(dashboard).to_have_attribute("data-loaded", "true")
    return int(page.get_by_test_id("tile-dau").inner_text())


def test_staff_see_charts_live_counters_and_a_members_visit_in_todays_dau(page, browser, live_url):
    outside_event_loop(_setup)

    log_in(page, "yunying")
    page.goto("/me/")
    page.get_by_test_id("insights-link").click()
    expect(page).to_have_url(f"{live_url}/insights/")
    before = _dau(page)
    for canvas_id in CHARTS:
        assert _drawn(page, canvas_id), canvas_id
    expect(page.get_by_test_id("retention-table").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("experiments-link")).to_have_attribute(
        "href", "/insights/experiments/"
    )
    # The live panel is fed by insights.live every few seconds.
    expect(page.get_by_test_id("live-online")).to_have_text(re.compile(r"^\d+$"), timeout=15_000)

    # Mei, a member, browses the shop in her own browser.
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    member = context.new_page()
    log_in(member, "mei")
    accepted = member.evaluate(
        """() => window.tuanjuApi.api("/api/v1/events/", {
            method: "POST",
            body: { events: [
                { name: "page_view", properties: { path: "/products/" } },
                { name: "page_view", properties: { path: "/products/1/" } },
            ] },
        })"""
    )
    assert accepted["accepted"] == 2

    # She is refused the dashboard.
    assert member.goto("/insights/").status == 403
    context.close()

    page.get_by_test_id("range-apply").click()
    expect(page.get_by_test_id("tile-dau")).to_have_text(str(before + 1))
    csv_link = page.locator("[data-csv=overview]")
    expect(csv_link).to_have_attribute(
        "href", re.compile(r"/api/v1/insights/overview/\?.*format=csv")
    )
