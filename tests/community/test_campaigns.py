"""Campaigns to a segment: the holdout gets nothing, the weekly cap holds, sending twice sends
once, the coupon arrives through groupbuy's registered reward, and the uplift is measured."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.models import (
    Campaign,
    CampaignRecipient,
    Notification,
    RecipientGroup,
    RecipientStatus,
    Role,
)
from community.selectors.insights.campaigns import campaign_results
from community.services import role_grant
from community.services.insights.campaigns import (
    campaign_create,
    campaign_deliver,
    campaign_send,
    in_holdout,
)
from community.services.insights.events import event_build, events_store
from groupbuy.models import Coupon, UserCoupon
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/insights/campaigns/"


@pytest.fixture
def staff():
    person = UserFactory(username="campaign_staff")
    role_grant(actor=None, user=person, role=Role.STAFF)
    return person


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def low_frequency_members(count: int):
    """Members seen on one day of the last 30: the low-frequency segment."""
    people = [UserFactory() for _ in range(count)]
    events_store(
        [
            event_build(
                "page_view",
                user=p,
                at=timezone.now() - timedelta(days=2),
                event_id=uuid.uuid4(),
            )
            for p in people
        ]
    )
    return people


def draft(staff, **extra) -> Campaign:
    fields = {
        "name": "回流礼",
        "segment": "low_frequency",
        "title": "好久不见",
        "body": "送你一张券",
        "goal_event": "order_paid",
        "holdout_percent": 20,
    }
    return campaign_create(actor=staff, **{**fields, **extra})


def sent(staff, django_capture_on_commit_callbacks, **extra) -> Campaign:
    campaign = draft(staff, **extra)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(actor=staff, campaign_id=campaign.pk)  # the eager task delivers on commit
    campaign.refresh_from_db()
    return campaign


def test_the_holdout_is_never_notified_and_everyone_else_is(
    staff, django_capture_on_commit_callbacks
):
    people = low_frequency_members(40)

    campaign = sent(staff, django_capture_on_commit_callbacks)

    recipients = {r.user_id: r for r in CampaignRecipient.objects.filter(campaign=campaign)}
    held = {pk for pk, r in recipients.items() if r.group == RecipientGroup.HOLDOUT}
    notified = set(Notification.objects.filter(type="marketing").values_list("user_id", flat=True))
    assert campaign.status == "sent"
    assert set(recipients) == {p.pk for p in people}
    assert held == {p.pk for p in people if in_holdout(campaign, p.pk)}
    assert 0 < len(held) < 20  # about 20 % of 40
    assert notified == set(recipients) - held
    assert all(recipients[pk].status == RecipientStatus.HELD_OUT for pk in held)


def test_sending_twice_sends_once(staff, django_capture_on_commit_callbacks):
    low_frequency_members(10)
    campaign = sent(staff, django_capture_on_commit_callbacks)
    before = Notification.objects.filter(type="marketing").count()

    again = client_for(staff).post(f"{CAMPAIGNS}{campaign.pk}/send/")
    rerun = campaign_deliver(campaign_id=campaign.pk)  # a redelivered task

    assert (again.status_code, again.json()["code"]) == (409, "campaign_already_sent")
    assert rerun == 0
    assert Notification.objects.filter(type="marketing").count() == before > 0


def test_a_task_interrupted_midway_resumes_without_notifying_anyone_twice(
    staff, django_capture_on_commit_callbacks
):
    low_frequency_members(10)
    campaign = draft(staff)
    campaign_send(actor=staff, campaign_id=campaign.pk)  # no commit callbacks: the task is lost
    campaign_deliver(campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(status="sending")  # as if it died at the end

    campaign_deliver(campaign_id=campaign.pk)

    per_member = Notification.objects.filter(type="marketing").values_list("user_id", flat=True)
    assert len(per_member) == len(set(per_member)) > 0


def test_nobody_gets_more_than_the_weekly_cap(staff, settings, django_capture_on_commit_callbacks):
    settings.MARKETING_NOTIFICATIONS_PER_WEEK = 2
    people = low_frequency_members(30)

    campaigns = [
        sent(staff, django_capture_on_commit_callbacks, name=f"第{n}波", holdout_percent=1)
        for n in range(3)
    ]

    per_member = {
        p.pk: Notification.objects.filter(user=p, type="marketing").count() for p in people
    }
    assert max(per_member.values()) == 2
    third = CampaignRecipient.objects.filter(campaign=campaigns[2], group="treated")
    capped = third.filter(status=RecipientStatus.SKIPPED_CAP)
    assert capped.exists()
    assert all(per_member[r.user_id] == 2 for r in capped)


def test_notifications_older_than_a_week_do_not_count_toward_the_cap(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.MARKETING_NOTIFICATIONS_PER_WEEK = 1
    (person,) = low_frequency_members(1)
    old = sent(staff, django_capture_on_commit_callbacks, holdout_percent=1)
    CampaignRecipient.objects.filter(campaign=old).update(
        notified_at=timezone.now() - timedelta(days=8)
    )

    fresh = sent(staff, django_capture_on_commit_callbacks, name="新一波", holdout_percent=1)

    statuses = list(
        CampaignRecipient.objects.filter(campaign=fresh).values_list("status", flat=True)
    )
    if in_holdout(fresh, person.pk):
        assert statuses == [RecipientStatus.HELD_OUT]
    else:
        assert statuses == [RecipientStatus.NOTIFIED]


def test_the_coupon_reaches_treated_members_only(staff, django_capture_on_commit_callbacks):
    people = low_frequency_members(20)
    coupon = Coupon.objects.create(title="回流券", kind="amount", value=Decimal("5"))

    campaign = sent(
        staff, django_capture_on_commit_callbacks, reward_kind="coupon", reward_ref=coupon.pk
    )

    treated = set(
        CampaignRecipient.objects.filter(campaign=campaign, group="treated").values_list(
            "user_id", flat=True
        )
    )
    owners = set(UserCoupon.objects.filter(coupon=coupon).values_list("user_id", flat=True))
    assert owners == treated
    assert len(owners) < len(people)


def test_uplift_is_measured_against_the_holdout(staff, django_capture_on_commit_callbacks):
    low_frequency_members(60)
    campaign = sent(staff, django_capture_on_commit_callbacks, window_hours=24, holdout_percent=50)
    recipients = list(CampaignRecipient.objects.filter(campaign=campaign))
    treated = [r for r in recipients if r.group == "treated"]
    holdout = [r for r in recipients if r.group == "holdout"]
    # Hand-made outcome: half the treated buy within the window, a tenth of the holdout, and a
    # purchase after the window counts for nobody.
    buyers = treated[: len(treated) // 2] + holdout[: len(holdout) // 10]
    paid_at = campaign.sent_at + timedelta(hours=3)
    events = [
        event_build("order_paid", user_id=r.user_id, at=paid_at, event_id=uuid.uuid4())
        for r in buyers
    ]
    late = campaign.sent_at + timedelta(hours=30)
    events += [
        event_build("order_paid", user_id=r.user_id, at=late, event_id=uuid.uuid4())
        for r in holdout
    ]
    events_store(events)

    result = campaign_results(campaign, now=campaign.sent_at + timedelta(days=2))

    t_rate = (len(treated) // 2) / len(treated)
    h_rate = (len(holdout) // 10) / len(holdout)
    assert result["treated"]["members"] == len(treated)
    assert result["treated"]["rate"] == pytest.approx(t_rate, abs=1e-6)
    assert result["holdout"]["rate"] == pytest.approx(h_rate, abs=1e-6)
    assert result["uplift"] == pytest.approx(t_rate - h_rate, abs=1e-6)
    low, high = result["ci"]
    assert low < result["uplift"] < high
    assert result["p_value"] < 0.05
    assert result["verdict"] == "significant"
    # Before the window closes there is no verdict, whatever the numbers say.
    early = campaign_results(campaign, now=campaign.sent_at + timedelta(hours=4))
    assert early["verdict"] == "collecting"


# --- the endpoints ------------------------------------------------------------------------------


def test_staff_create_and_list_a_campaign_over_the_api(staff):
    client = client_for(staff)

    created = client.post(
        CAMPAIGNS,
        {
            "name": "周末回流",
            "segment": "churn_risk",
            "title": "想你了",
            "goal_event": "order_paid",
        },
        format="json",
    )
    listed = client.get(CAMPAIGNS)

    assert created.status_code == 201
    assert created.json()["holdout_percent"] == 10  # PRODUCT.md's default
    assert created.json()["status"] == "draft"
    assert [c["name"] for c in listed.json()["results"]] == ["周末回流"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"segment": "everyone"}, "validation_error"),
        ({"title": ""}, "invalid_campaign"),  # neither a message nor a reward
        ({"reward_kind": "coupon", "reward_ref": 999999}, "invalid_campaign"),
        ({"reward_kind": "gold"}, "invalid_campaign"),
        ({"holdout_percent": 0}, "validation_error"),
        ({"goal_event": "order_payed"}, "invalid_campaign"),
    ],
)
def test_a_bad_campaign_is_refused_and_nothing_is_stored(staff, change, code):
    body = {"name": "x", "segment": "active", "title": "hi", "goal_event": "order_paid"}

    response = client_for(staff).post(CAMPAIGNS, {**body, **change}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not Campaign.objects.exists()


def test_members_may_not_create_send_or_read_campaigns(staff, user):
    campaign = draft(staff)
    member = client_for(user)

    responses = [
        member.post(CAMPAIGNS, {"name": "x"}, format="json"),
        member.get(CAMPAIGNS),
        member.post(f"{CAMPAIGNS}{campaign.pk}/send/"),
        member.get(f"{CAMPAIGNS}{campaign.pk}/results/"),
    ]

    assert [(r.status_code, r.json()["code"]) for r in responses] == [(403, "forbidden")] * 4
    campaign.refresh_from_db()
    assert campaign.status == "draft"


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_seeds_a_finished_experiment_and_a_campaign_with_uplift_once():
    import io

    from community.demo.experiments import CAMPAIGN_NAME, seed_experiments
    from community.models import Event, Experiment, Exposure
    from community.selectors.insights.experiments import experiment_results

    seed_experiments(io.StringIO())
    counts = (Exposure.objects.count(), Event.objects.count(), CampaignRecipient.objects.count())
    seed_experiments(io.StringIO())

    assert (
        Exposure.objects.count(),
        Event.objects.count(),
        CampaignRecipient.objects.count(),
    ) == counts
    experiment = experiment_results(Experiment.objects.get(key="checkout_coupon_hint"))
    assert experiment["verdict"] in {"significant", "not_significant"}
    assert all(v["exposed"] >= 120 for v in experiment["variants"])
    campaign = campaign_results(Campaign.objects.get(name=CAMPAIGN_NAME))
    assert campaign["uplift"] > 0
    assert campaign["verdict"] in {"significant", "not_significant"}


def test_the_campaign_list_costs_the_same_queries_for_many_campaigns(
    staff, django_assert_max_num_queries
):
    for n in range(30):
        draft(staff, name=f"活动{n}")
    client = client_for(staff)

    with django_assert_max_num_queries(6):
        response = client.get(CAMPAIGNS)

    assert len(response.json()["results"]) == 30
