import re

import pytest

from community.models import PointsEntry
from community.services import notification_send, points_award
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_points_adjustment_goes_through_the_ledger_with_audit(admin_client, user):
    response = admin_client.post(
        "/admin/community/pointsentry/add/",
        {"user": user.pk, "delta": 120, "note": "compensation #42"},
    )

    assert response.status_code == 302
    entry = PointsEntry.objects.get(user=user)
    assert (entry.delta, entry.reason, entry.note, entry.balance_after) == (
        120,
        "admin",
        "compensation #42",
        120,
    )
    assert entry.actor.is_superuser
    assert entry.lot.remaining == 120


def test_admin_cannot_debit_below_zero(admin_client, user):
    response = admin_client.post(
        "/admin/community/pointsentry/add/", {"user": user.pk, "delta": -5, "note": "x"}
    )

    assert response.status_code == 200
    assert "has only 0 points" in response.content.decode()
    assert not PointsEntry.objects.exists()


def test_ledger_entries_cannot_be_edited_or_deleted_in_admin(admin_client, user):
    entry = points_award(user_id=user.pk, amount=10, reason="task", idempotency_key="k")

    page = admin_client.get(f"/admin/community/pointsentry/{entry.pk}/change/")
    delete = admin_client.post(f"/admin/community/pointsentry/{entry.pk}/delete/", {"post": "yes"})

    assert "Save" not in page.content.decode() or page.status_code == 403
    assert delete.status_code == 403
    assert PointsEntry.objects.filter(pk=entry.pk).exists()


def test_staff_can_edit_tier_benefits(admin_client):
    assert admin_client.get("/admin/community/tierbenefit/").status_code == 200
    assert admin_client.get("/admin/community/taskdefinition/").status_code == 200


@pytest.mark.parametrize("path", ["/me/", "/leaderboard/", "/notifications/"])
def test_member_pages_require_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


def test_me_page_shows_balance_progress_and_hints(client, user):
    points_award(user_id=user.pk, amount=35, reason="task", idempotency_key="k")
    client.force_login(user)

    html = client.get("/me/").content.decode()

    assert 'data-testid="points-balance"' in html and ">35<" in html
    assert re.search(r">1000</span> growth value to Silver", html)
    assert "Check in every day: +5" in html


def test_notifications_page_lists_only_mine_newest_first_and_bell_counts_unread(
    client, user, other_user
):
    notification_send(user_id=user.pk, type="follow", title="Older news")
    notification_send(user_id=user.pk, type="follow", title="Newer news")
    notification_send(user_id=other_user.pk, type="follow", title="Not yours")
    client.force_login(user)

    html = client.get("/notifications/").content.decode()

    assert html.index("<strong>Newer news</strong>") < html.index("<strong>Older news</strong>")
    assert "Not yours" not in html
    assert 'data-unread-count="2"' in html
    assert 'data-user-seq="2"' in html  # the socket replays whatever comes after what was rendered
