"""Experiments: deterministic assignment, the statistics of a two-arm comparison, and results.

Assignment is GrowthBook's v2 hash (``fnv32a(str(fnv32a(seed + id))) % 10000 / 10000``, seed =
the experiment key) laid against the cumulative weights, so every process, and the page's
``frontend/static/tuanju/assign.js``, gives an actor the same variant without a lookup.
``tests/community/assignment_vectors.json`` pins both implementations to the same answers.

Statistics come from statsmodels and scipy, never hand-written: a two-proportion z-test per
treatment arm against the first (control) arm, Holm-adjusted when there are several, Newcomb's
(Wilson-based) interval for the difference, and scipy's chi-squared goodness of fit against the
configured weights for a sample-ratio mismatch. Peeking policy: fixed horizon. No verdict is given
before every arm has ``planned_per_variant`` matured exposures (whose goal window has closed); an
SRM withholds the verdict whatever the p-value.
"""

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from scipy.stats import chisquare
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from community.models import Event, EventDay, Experiment, Exposure
from community.selectors.accounts import user_roles

ALPHA = 0.05
SRM_ALPHA = 0.001
# GrowthBook's floor: an SRM check needs at least this many exposures per variant on average.
SRM_MIN_PER_VARIANT = 8
MAX_BUCKET = 10_000

# The events of PRODUCT.md §17 (and the ones apps track): a goal must be one of these, or a name
# already seen in the stream, so a typo cannot start an experiment that can never convert.
KNOWN_EVENT_NAMES = frozenset(
    {
        "sign_up",
        "login",
        "session_start",
        "page_view",
        "search",
        "post_view",
        "product_view",
        "like",
        "comment",
        "share",
        "share_click",
        "checkin",
        "chat_message",
        "team_open",
        "team_join",
        "team_succeed",
        "order_created",
        "order_paid",
        "order_completed",
        "refund",
        "coupon_claim",
        "coupon_redeem",
        "points_spend",
        "support_rating",
        "follow",
        "post_create",
        "team_fail",
        # what clients report themselves (community.services.insights.events.CLIENT_EVENTS)
        "screen_view",
        "app_open",
        "notification_open",
        "share_sheet_open",
        "search_result_click",
        "video_play",
    }
)


def can_view_insights(user) -> bool:
    """Staff (and superusers) read insights; members never see each other's analytics."""
    if user is None or not user.is_authenticated:
        return False
    return "staff" in user_roles(user)


def event_name_known(name: str) -> bool:
    """A goal event is known when the product tracks it or the stream has already seen it."""
    if name in KNOWN_EVENT_NAMES:
        return True
    return (
        EventDay.objects.filter(name=name).exists()
        or Event.objects.filter(name=name).only("id").exists()
    )


# --- assignment ------------------------------------------------------------------------------


def fnv32a(text: str) -> int:
    """FNV-1a 32-bit over UTF-16 code units, as JavaScript's ``charCodeAt`` sees the string."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def bucket(seed: str, actor: str) -> float:
    """GrowthBook v2: a number in [0, 1) fixed by the seed and the actor."""
    return (fnv32a(str(fnv32a(seed + actor))) % MAX_BUCKET) / MAX_BUCKET


def variant_for(seed: str, actor: str, variants: Sequence[dict[str, Any]]) -> str:
    """The variant whose cumulative-weight range holds the actor's bucket."""
    total = sum(float(v["weight"]) for v in variants)
    point = bucket(seed, actor)
    cumulative = 0.0
    for variant in variants:
        cumulative += float(variant["weight"]) / total
        if point < cumulative:
            return str(variant["name"])
    return str(variants[-1]["name"])  # rounding left the last sliver of [0, 1) unassigned


def experiment_get(*, key: str) -> Experiment | None:
    return Experiment.objects.filter(key=key).first()


def experiment_list():
    return Experiment.objects.order_by("-created_at", "-id")


# --- statistics -------------------------------------------------------------------------------


def _z_test(converted: tuple[int, int], exposed: tuple[int, int]) -> float | None:
    if min(exposed) == 0:
        return None
    pooled = sum(converted) / sum(exposed)
    if pooled in (0.0, 1.0):
        return 1.0  # no variance at all: nothing distinguishes the arms
    _, p_value = proportions_ztest(list(converted), list(exposed))
    return float(p_value)


def _difference_interval(
    converted: tuple[int, int], exposed: tuple[int, int]
) -> tuple[float, float] | None:
    if min(exposed) == 0:
        return None
    low, high = confint_proportions_2indep(
        converted[0], exposed[0], converted[1], exposed[1], method="newcomb", alpha=ALPHA
    )
    return float(low), float(high)


def srm_p_value(observed: Sequence[int], weights: Sequence[float]) -> float | None:
    """Chi-squared goodness of fit of the exposures against the configured weights (None until
    there is enough traffic to tell); an arm with no traffic at all still counts."""
    total = sum(observed)
    if total < SRM_MIN_PER_VARIANT * len(observed):
        return None
    weight_sum = sum(weights)
    expected = [total * w / weight_sum for w in weights]
    return float(chisquare(list(observed), f_exp=expected).pvalue)


def compare_arms(
    arms: Sequence[tuple[int, int]],
    *,
    weights: Sequence[float],
    planned_per_variant: int,
) -> dict[str, Any]:
    """The statistics of arms given as ``(exposed, converted)``; the first arm is the control.

    Returns each treatment's p-value (Holm-adjusted across treatments), the difference of rates
    with its 95 % interval, the SRM p-value and the fixed-horizon verdict.
    """
    control_n, control_c = arms[0]
    comparisons: list[dict[str, Any]] = []
    raw_p: list[float] = []
    for exposed, converted in arms[1:]:
        p_value = _z_test((converted, control_c), (exposed, control_n))
        interval = _difference_interval((converted, control_c), (exposed, control_n))
        difference = converted / exposed - control_c / control_n if exposed and control_n else None
        comparisons.append({"p_value": p_value, "difference": difference, "ci": interval})
        if p_value is not None:
            raw_p.append(p_value)
    if len(raw_p) > 1:
        adjusted = iter(multipletests(raw_p, alpha=ALPHA, method="holm")[1])
        for comparison in comparisons:
            if comparison["p_value"] is not None:
                comparison["p_value"] = float(next(adjusted))
    p_values = [c["p_value"] for c in comparisons if c["p_value"] is not None]
    p_value = min(p_values) if p_values else None
    srm = srm_p_value([n for n, _ in arms], weights)
    if srm is not None and srm < SRM_ALPHA:
        verdict = "srm"
    elif any(n < planned_per_variant for n, _ in arms) or p_value is None:
        verdict = "collecting"
    elif p_value < ALPHA:
        verdict = "significant"
    else:
        verdict = "not_significant"
    return {
        "p_value": p_value,
        "srm_p_value": srm,
        "verdict": verdict,
        "comparisons": comparisons,
    }


def _rate(converted: int, exposed: int) -> float | None:
    return converted / exposed if exposed else None


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


# --- results ------------------------------------------------------------------------------------


def experiment_results(experiment: Experiment, *, now: datetime | None = None) -> dict[str, Any]:
    """Per-variant exposures and goal conversions within the window after each exposure.

    Only matured exposures (whose window has closed) enter the statistics, so a member exposed an
    hour ago never counts as a non-converter; the still-open ones are reported as ``pending``.
    """
    now = now or timezone.now()
    window = timedelta(hours=experiment.window_hours)
    goal = Event.objects.filter(
        actor=OuterRef("actor"),
        name=experiment.goal_event,
        at__gte=OuterRef("exposed_at"),
        at__lte=OuterRef("exposed_at") + window,
    )
    matured = Q(exposed_at__lte=now - window)
    rows = (
        Exposure.objects.filter(experiment=experiment)
        .annotate(converted=Exists(goal))
        .values("variant")
        .annotate(
            exposed=Count("id", filter=matured),
            converted_count=Count("id", filter=matured & Q(converted=True)),
            pending=Count("id", filter=~matured),
        )
    )
    by_variant = {row["variant"]: row for row in rows}
    variants = experiment.variants
    arms = []
    out = []
    for variant in variants:
        row = by_variant.get(variant["name"], {})
        exposed, converted = row.get("exposed", 0), row.get("converted_count", 0)
        arms.append((exposed, converted))
        out.append(
            {
                "name": variant["name"],
                "weight": variant["weight"],
                "exposed": exposed,
                "converted": converted,
                "rate": _round(_rate(converted, exposed)),
                "pending": row.get("pending", 0),
            }
        )
    stats = compare_arms(
        arms,
        weights=[float(v["weight"]) for v in variants],
        planned_per_variant=experiment.planned_per_variant,
    )
    for entry, comparison in zip(out[1:], stats["comparisons"], strict=True):
        entry["p_value"] = _round(comparison["p_value"])
        entry["difference"] = _round(comparison["difference"])
        entry["ci"] = [_round(x) for x in comparison["ci"]] if comparison["ci"] else None
    first = stats["comparisons"][0] if stats["comparisons"] else {}
    return {
        "key": experiment.key,
        "goal_event": experiment.goal_event,
        "window_hours": experiment.window_hours,
        "planned_per_variant": experiment.planned_per_variant,
        "variants": out,
        "p_value": _round(stats["p_value"]),
        "srm_p_value": _round(stats["srm_p_value"]),
        "srm": stats["verdict"] == "srm",
        "difference": _round(first.get("difference")),
        "ci": [_round(x) for x in first["ci"]] if first.get("ci") else None,
        "alpha": ALPHA,
        "verdict": stats["verdict"],
    }
