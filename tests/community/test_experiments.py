"""Experiments: staff start one, members get a stable variant with one exposure, staff read
per-variant conversions with a test, an interval, an SRM gate and a fixed-horizon verdict."""

import uuid
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.models import Event, Experiment, Exposure, Role
from community.selectors.insights.experiments import ALPHA, compare_arms, variant_for
from community.services import role_grant
from community.services.insights.events import event_build, events_store
from community.services.insights.experiments import experiment_assign, experiment_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPERIMENTS = "/api/v1/experiments/"
BODY = {
    "key": "checkout_coupon_hint",
    "variants": [{"name": "control", "weight": 50}, {"name": "hint", "weight": 50}],
    "goal_event": "order_paid",
}


@pytest.fixture
def staff():
    person = UserFactory(username="insights_staff")
    role_grant(actor=None, user=person, role=Role.STAFF)
    return person


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


# --- creating ------------------------------------------------------------------------------------


def test_staff_start_an_experiment(staff):
    response = client_for(staff).post(EXPERIMENTS, {**BODY, "window_hours": 48}, format="json")

    assert response.status_code == 201
    assert response.json() == {
        "key": "checkout_coupon_hint",
        "variants": BODY["variants"],
        "goal_event": "order_paid",
        "window_hours": 48,
        "planned_per_variant": 1000,
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"key": "Not A Slug!"}, "invalid_experiment"),
        ({"variants": [{"name": "only", "weight": 1}]}, "invalid_experiment"),
        (
            {"variants": [{"name": "a", "weight": 1}, {"name": "b", "weight": 0}]},
            "invalid_experiment",
        ),
        (
            {"variants": [{"name": "a", "weight": 1}, {"name": "a", "weight": 1}]},
            "invalid_experiment",
        ),
        (
            {"variants": [{"name": "a b", "weight": 1}, {"name": "c", "weight": 1}]},
            "invalid_experiment",
        ),
        ({"goal_event": "order_payed"}, "invalid_experiment"),
        ({"variants": "control,hint"}, "validation_error"),
        ({"window_hours": 0}, "validation_error"),
    ],
)
def test_a_bad_experiment_is_refused_with_a_code_and_nothing_is_stored(staff, change, code):
    response = client_for(staff).post(EXPERIMENTS, {**BODY, **change}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not Experiment.objects.exists()


def test_a_key_is_never_reused(staff):
    client_for(staff).post(EXPERIMENTS, BODY, format="json")

    again = client_for(staff).post(
        EXPERIMENTS, {**BODY, "goal_event": "coupon_claim"}, format="json"
    )

    assert (again.status_code, again.json()["code"]) == (409, "experiment_exists")
    assert Experiment.objects.get().goal_event == "order_paid"


def test_members_may_not_start_experiments_or_read_results(staff, user):
    experiment_create(actor=staff, **BODY)
    member = client_for(user)

    created = member.post(EXPERIMENTS, {**BODY, "key": "other"}, format="json")
    results = member.get(f"{EXPERIMENTS}checkout_coupon_hint/results/")

    assert (created.status_code, created.json()["code"]) == (403, "forbidden")
    assert (results.status_code, results.json()["code"]) == (403, "forbidden")
    assert Experiment.objects.count() == 1


# --- assignment and exposure -----------------------------------------------------------------------


def test_a_member_gets_the_same_variant_every_time_and_one_exposure(
    staff, user, django_capture_on_commit_callbacks
):
    experiment_create(actor=staff, **BODY)
    client = client_for(user)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.get(f"{EXPERIMENTS}checkout_coupon_hint/assignment/").json() for _ in range(3)
        ]

    expected = variant_for("checkout_coupon_hint", f"u:{user.pk}", BODY["variants"])
    assert answers == [{"key": "checkout_coupon_hint", "variant": expected}] * 3
    assert list(Exposure.objects.values_list("actor", "variant")) == [(f"u:{user.pk}", expected)]
    exposures = Event.objects.filter(name="experiment_exposure")
    assert [(e.actor, e.properties) for e in exposures] == [
        (f"u:{user.pk}", {"experiment": "checkout_coupon_hint", "variant": expected})
    ]


def test_an_anonymous_visitor_is_assigned_by_visitor_id_and_keeps_it_after_signing_in(staff, user):
    experiment_create(actor=staff, **BODY)
    visitor = "visitor-7f3a9c2e"
    anonymous = APIClient().get(
        f"{EXPERIMENTS}checkout_coupon_hint/assignment/", HTTP_X_VISITOR_ID=visitor
    )

    signed_in = client_for(user).get(
        f"{EXPERIMENTS}checkout_coupon_hint/assignment/", HTTP_X_VISITOR_ID=visitor
    )

    seen = anonymous.json()["variant"]
    assert seen == variant_for("checkout_coupon_hint", f"v:{visitor}", BODY["variants"])
    assert signed_in.json()["variant"] == seen
    assert sorted(Exposure.objects.values_list("actor", flat=True)) == [
        f"u:{user.pk}",
        f"v:{visitor}",
    ]


def test_an_anonymous_caller_without_a_visitor_id_is_told_what_to_send(staff):
    experiment_create(actor=staff, **BODY)

    response = APIClient().get(f"{EXPERIMENTS}checkout_coupon_hint/assignment/")

    assert (response.status_code, response.json()["code"]) == (400, "visitor_id_required")
    assert not Exposure.objects.exists()


def test_an_unknown_experiment_answers_not_found(user):
    response = client_for(user).get(f"{EXPERIMENTS}nothing_here/assignment/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- results ------------------------------------------------------------------------------------


def expose(experiment, user, variant, at):
    Exposure.objects.create(
        experiment=experiment, actor=f"u:{user.pk}", user=user, variant=variant, exposed_at=at
    )


def paid(user, at):
    events_store([event_build("order_paid", user=user, at=at, event_id=uuid.uuid4())])


def test_results_count_conversions_within_the_window_after_exposure(staff):
    experiment = experiment_create(
        actor=staff, **{**BODY, "planned_per_variant": 2}, window_hours=24
    )
    start = timezone.now() - timedelta(days=5)
    control = [UserFactory() for _ in range(3)]
    hint = [UserFactory() for _ in range(3)]
    for person in control:
        expose(experiment, person, "control", start)
    for person in hint:
        expose(experiment, person, "hint", start)
    paid(control[0], start + timedelta(hours=2))  # converts
    paid(control[1], start - timedelta(hours=1))  # before exposure: no
    paid(hint[0], start + timedelta(hours=1))  # converts
    paid(hint[1], start + timedelta(hours=23))  # converts
    paid(hint[2], start + timedelta(hours=30))  # after the window: no
    late = UserFactory()
    expose(experiment, late, "hint", timezone.now() - timedelta(hours=1))  # window still open

    body = client_for(staff).get(f"{EXPERIMENTS}checkout_coupon_hint/results/").json()

    assert [(v["name"], v["exposed"], v["converted"], v["pending"]) for v in body["variants"]] == [
        ("control", 3, 1, 0),
        ("hint", 3, 2, 1),
    ]
    assert body["variants"][1]["rate"] == pytest.approx(2 / 3, abs=1e-6)
    assert body["difference"] == pytest.approx(1 / 3, abs=1e-6)
    low, high = body["ci"]
    assert low < body["difference"] < high
    assert 0 < body["p_value"] <= 1
    assert body["verdict"] == "not_significant"


def test_no_verdict_before_every_arm_reaches_the_planned_sample(staff):
    experiment = experiment_create(actor=staff, **BODY)  # planned 1,000 per arm
    start = timezone.now() - timedelta(days=5)
    for _ in range(3):
        expose(experiment, UserFactory(), "control", start)

    body = client_for(staff).get(f"{EXPERIMENTS}checkout_coupon_hint/results/").json()

    assert body["verdict"] == "collecting"


# --- the statistics -------------------------------------------------------------------------------


def test_two_thousand_a_a_tests_are_significant_about_alpha_of_the_time():
    rng = np.random.default_rng(20261203)
    n, rate = 1000, 0.1
    verdicts = []
    for _ in range(2000):
        control, treatment = rng.binomial(n, rate, size=2)
        result = compare_arms(
            [(n, int(control)), (n, int(treatment))], weights=[1, 1], planned_per_variant=n
        )
        verdicts.append(result["verdict"])

    false_positive_rate = verdicts.count("significant") / 2000
    assert abs(false_positive_rate - ALPHA) <= 0.01, false_positive_rate
    assert "collecting" not in verdicts


def test_a_real_difference_is_found_once_the_horizon_is_reached():
    result = compare_arms([(2000, 200), (2000, 280)], weights=[1, 1], planned_per_variant=2000)

    assert result["verdict"] == "significant"
    low, high = result["comparisons"][0]["ci"]
    assert 0 < low < 0.04 < high


def test_a_sample_ratio_mismatch_withholds_the_verdict_even_when_significant():
    # 50/50 configured, 2,000 vs 1,700 arrived: something drops members from one arm.
    result = compare_arms([(2000, 200), (1700, 280)], weights=[1, 1], planned_per_variant=1000)

    assert result["srm_p_value"] < 0.001
    assert result["comparisons"][0]["p_value"] < ALPHA
    assert result["verdict"] == "srm"


def test_a_variant_with_no_traffic_at_all_is_a_mismatch():
    result = compare_arms([(500, 50), (0, 0)], weights=[1, 1], planned_per_variant=100)

    assert result["verdict"] == "srm"


def test_an_uneven_split_that_matches_its_weights_is_no_mismatch():
    result = compare_arms([(9000, 900), (1000, 100)], weights=[90, 10], planned_per_variant=1000)

    assert result["srm_p_value"] > 0.5
    assert result["verdict"] == "not_significant"


def test_the_results_page_shows_an_srm_and_withholds_the_verdict(staff):
    experiment = experiment_create(actor=staff, **{**BODY, "planned_per_variant": 10})
    start = timezone.now() - timedelta(days=5)
    for _ in range(40):
        expose(experiment, UserFactory(), "control", start)
    for _ in range(10):
        expose(experiment, UserFactory(), "hint", start)

    body = client_for(staff).get(f"{EXPERIMENTS}checkout_coupon_hint/results/").json()

    assert body["srm"] is True
    assert body["srm_p_value"] < 0.001
    assert body["verdict"] == "srm"


def test_assignment_service_records_one_exposure_under_repeated_calls(
    staff, user, django_capture_on_commit_callbacks
):
    experiment_create(actor=staff, **BODY)

    with django_capture_on_commit_callbacks(execute=True):
        variants = {experiment_assign(key="checkout_coupon_hint", user=user)[1] for _ in range(5)}

    assert len(variants) == 1
    assert Exposure.objects.count() == 1
    assert Event.objects.filter(name="experiment_exposure").count() == 1


def test_the_experiment_list_costs_the_same_queries_for_many_experiments(
    staff, django_assert_max_num_queries
):
    for n in range(30):
        experiment_create(actor=staff, **{**BODY, "key": f"exp_{n}"})
    client = client_for(staff)

    with django_assert_max_num_queries(6):
        response = client.get(EXPERIMENTS)

    assert len(response.json()["results"]) == 30


def test_results_take_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    experiment = experiment_create(actor=staff, **BODY)
    start = timezone.now() - timedelta(days=5)
    for n in range(40):
        expose(experiment, UserFactory(), "control" if n % 2 else "hint", start)
    client = client_for(staff)

    with django_assert_max_num_queries(6):
        response = client.get(f"{EXPERIMENTS}checkout_coupon_hint/results/")

    assert sum(v["exposed"] for v in response.json()["variants"]) == 40
