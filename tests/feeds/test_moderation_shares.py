"""Moderating share links and referral-fraud flags: reports take a share link down (``/s/<code>``
answers 404, its sharer still lists it), and a fraud flag is an item of the one queue whose
approval releases the held rewards and whose removal voids them (an approved appeal pays them)."""

import pytest
from django.test import Client

from community.models import PointsEntry
from feeds.models import RewardStatus, ShareClick, ShareFraudFlag, ShareReward
from feeds.services.shares import Visitor, share_click_record
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, decide, outcomes, queue_item, report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "hide_at_two_reports")]


def _link(member, post) -> dict:
    response = client_for(member).post(
        "/api/v1/share-links/", {"target_type": "post", "target_id": post.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _click_points(member) -> int:
    rows = PointsEntry.objects.filter(user=member, reason="share_click")
    return sum(rows.values_list("delta", flat=True))


def test_two_reports_take_a_share_link_down_and_an_approval_opens_it_again(
    post, sharer, reporters, moderator
):
    link = _link(sharer, post)
    assert Client().get(f"/s/{link['code']}").status_code == 302

    report("share_link", link["id"], *reporters)

    assert Client().get(f"/s/{link['code']}").status_code == 404
    assert ShareClick.objects.count() == 1  # the refused visit recorded nothing
    mine = client_for(sharer).get("/api/v1/share-links/").json()["results"]
    assert [m["code"] for m in mine] == [link["code"]]
    item = queue_item(moderator, "share_link", link["id"])
    assert item["preview"]["url"] == f"/s/{link['code']}"

    decide(moderator, item, "approve", reason="")

    assert Client().get(f"/s/{link['code']}").status_code == 302


def test_a_removed_share_link_stays_down_and_everyone_involved_is_told(
    post, sharer, reporters, moderator
):
    link = _link(sharer, post)
    report("share_link", link["id"], *reporters, category="scam")

    decide(moderator, queue_item(moderator, "share_link", link["id"]), "remove", reason="Scam")

    assert Client().get(f"/s/{link['code']}").status_code == 404
    for member in (sharer, *reporters):
        data = outcomes(member)[-1]["data"]
        assert (data["action"], data["target_type"], data["target_id"]) == (
            "remove",
            "share_link",
            link["id"],
        )


def test_a_muted_member_cannot_make_share_links(post, sharer, reporters, moderator):
    link = _link(sharer, post)
    report("share_link", link["id"], *reporters)
    decide(moderator, queue_item(moderator, "share_link", link["id"]), "mute", duration_hours=3)
    sharer.refresh_from_db()  # as the next request would load them
    other = UserFactory()
    from tests.feeds.conftest import make_post

    fresh = make_post(other, title="Another note")

    response = client_for(sharer).post(
        "/api/v1/share-links/", {"target_type": "post", "target_id": fresh.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "sanctioned")
    assert (
        client_for(sharer).get("/api/v1/share-links/").json()["results"][0]["code"]
        == (link["code"])
    )


# --- referral-fraud flags ------------------------------------------------------------------


@pytest.fixture
def farmed(post, sharer, settings):
    """Three accounts from one phone clicked the sharer's link: one paid, two held for review."""
    settings.FEEDS_FRAUD_MAX_ACCOUNTS = 1
    code = _link(sharer, post)["code"]
    for n in range(3):
        share_click_record(
            code=code,
            visitor=Visitor(user=UserFactory(), ip=f"10.7.0.{n}", user_agent="ua", device_id="p"),
        )
    flag = ShareFraudFlag.objects.get()
    assert _click_points(sharer) == 1
    assert ShareReward.objects.filter(status=RewardStatus.HELD, hold_reason="fraud").count() == 2
    return flag


def test_a_fraud_flag_joins_the_queue_and_approving_it_releases_the_held_rewards(
    farmed, sharer, moderator
):
    item = queue_item(moderator, "share_fraud", farmed.pk)
    assert (item["source"], item["hidden"]) == ("share_fraud", True)
    assert item["preview"]["author"] == "sharer"
    assert (item["preview"]["held_rewards"], item["preview"]["held_points"]) == (2, 2)

    decide(moderator, item, "approve", reason="Family phone")

    farmed.refresh_from_db()
    assert farmed.resolution == "released"
    assert _click_points(sharer) == 3
    assert not ShareReward.objects.filter(status=RewardStatus.HELD).exists()


def test_removing_a_fraud_flag_voids_the_held_rewards_and_an_approved_appeal_pays_them(
    farmed, sharer, moderator
):
    decide(moderator, queue_item(moderator, "share_fraud", farmed.pk), "remove", reason="Farm")

    farmed.refresh_from_db()
    assert farmed.resolution == "voided"
    assert _click_points(sharer) == 1
    assert ShareReward.objects.filter(status=RewardStatus.VOID).count() == 2
    told = outcomes(sharer)[-1]["data"]
    assert (told["action"], told["target_type"]) == ("remove", "share_fraud")

    appeal = client_for(sharer).post(
        "/api/v1/appeals/",
        {"decision": told["decision_id"], "body": "My parents share one phone"},
        format="json",
    )
    assert appeal.status_code == 201, appeal.json()
    decide(moderator, queue_item(moderator, "appeal", appeal.json()["id"]), "approve", reason="ok")

    farmed.refresh_from_db()
    assert farmed.resolution == "released"
    assert _click_points(sharer) == 3
    assert ShareReward.objects.filter(status=RewardStatus.GRANTED).count() == 3


def test_a_fraud_flag_settled_in_the_admin_is_not_paid_twice_by_the_queue(
    farmed, sharer, moderator, staff
):
    from feeds.services.shares import share_fraud_resolve

    assert share_fraud_resolve(actor=staff, flag=farmed, release=True) == 2

    decide(moderator, queue_item(moderator, "share_fraud", farmed.pk), "approve", reason="")

    assert _click_points(sharer) == 3


def test_nobody_can_report_a_fraud_flag(farmed, reader):
    response = client_for(reader).post(
        "/api/v1/reports/",
        {"target_type": "share_fraud", "target_id": farmed.pk, "category": "scam"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "bad_target")


def test_the_sharer_sees_a_link_that_was_taken_down_marked_inactive(post, sharer, reporters):
    link = _link(sharer, post)
    assert link["is_active"] is True

    report("share_link", link["id"], *reporters)

    mine = client_for(sharer).get("/api/v1/share-links/").json()["results"]
    assert [(m["code"], m["is_active"]) for m in mine] == [(link["code"], False)]
