"""Storefront visits: counted for everybody but the owner, once per visitor per hour."""

from datetime import UTC, datetime, timedelta

import pytest

from groupbuy.models import StorefrontVisit
from groupbuy.selectors.commission import storefront_visits_for_buyer
from groupbuy.services import storefront_visit_record, visitor_key
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db


def url(storefront) -> str:
    return f"/api/v1/storefronts/{storefront.slug}/"


def test_api_views_by_the_same_member_in_one_hour_count_once(storefront, member):
    client = client_for(member)

    for _ in range(3):
        assert client.get(url(storefront)).status_code == 200

    visit = StorefrontVisit.objects.get()
    assert visit.visitor == member
    assert visit.visitor_key == f"u:{member.pk}"
    assert visit.hour_bucket.minute == 0 and visit.hour_bucket.second == 0


def test_the_owner_viewing_is_not_a_visit(client, storefront, creator):
    client.force_login(creator)

    client_for(creator).get(url(storefront))
    client.get(f"/store/{storefront.slug}/")

    assert not StorefrontVisit.objects.exists()


def test_anonymous_views_are_keyed_by_hashed_ip(storefront):
    client_for(None).get(url(storefront), REMOTE_ADDR="203.0.113.7")
    client_for(None).get(url(storefront), REMOTE_ADDR="203.0.113.7")
    client_for(None).get(url(storefront), REMOTE_ADDR="203.0.113.8")

    keys = list(StorefrontVisit.objects.values_list("visitor_key", flat=True))
    assert len(keys) == 2
    assert all(key.startswith("ip:") and "203.0.113" not in key for key in keys)
    assert StorefrontVisit.objects.filter(visitor__isnull=True).count() == 2


def test_the_public_page_records_a_visit(client, storefront, member):
    client.force_login(member)

    response = client.get(f"/store/{storefront.slug}/")

    assert response.status_code == 200
    assert StorefrontVisit.objects.filter(visitor=member).count() == 1


def test_a_new_hour_is_a_new_visit(storefront, member):
    key = visitor_key(user=member, session_key=None, ip=None)
    at = datetime(2026, 5, 1, 10, 59, 59, tzinfo=UTC)

    storefront_visit_record(storefront=storefront, visitor=member, visitor_key=key, now=at)
    storefront_visit_record(
        storefront=storefront, visitor=member, visitor_key=key, now=at.replace(minute=1)
    )
    storefront_visit_record(
        storefront=storefront, visitor=member, visitor_key=key, now=at + timedelta(seconds=1)
    )

    buckets = sorted(StorefrontVisit.objects.values_list("hour_bucket", flat=True))
    assert buckets == [at.replace(minute=0, second=0), at.replace(hour=11, minute=0, second=0)]


def test_visitor_key_prefers_member_then_session_then_ip(member):
    assert visitor_key(user=member, session_key="abc", ip="1.2.3.4") == f"u:{member.pk}"
    assert visitor_key(user=None, session_key="abc", ip="1.2.3.4") == "s:abc"
    by_ip = visitor_key(user=None, session_key=None, ip="1.2.3.4")
    assert by_ip.startswith("ip:") and by_ip != visitor_key(
        user=None, session_key=None, ip="1.2.3.5"
    )


def test_buyer_visits_selector_returns_creator_and_time_within_24h(storefront, creator, member):
    now = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)
    key = f"u:{member.pk}"
    for hours in (30, 24, 3):
        storefront_visit_record(
            storefront=storefront, visitor=member, visitor_key=key, now=now - timedelta(hours=hours)
        )

    visits = storefront_visits_for_buyer(buyer_id=member.pk, now=now)

    assert visits == [
        (creator.pk, now - timedelta(hours=24)),
        (creator.pk, now - timedelta(hours=3)),
    ]
