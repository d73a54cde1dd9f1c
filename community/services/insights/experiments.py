"""Experiments: creating one, and assigning an actor (recording the first exposure).

The variant itself is a pure function of the key and the actor
(``community.selectors.insights.experiments.variant_for``); what is written here is the moment an
actor first saw it, once per actor (a unique constraint), with an ``experiment_exposure`` event
in the stream.
"""

import re
import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.exceptions import (
    ExperimentExistsError,
    ExperimentInvalidError,
    ExperimentNotFoundError,
)
from community.models import Experiment, Exposure
from community.selectors.insights.experiments import event_name_known, variant_for
from community.services.insights.events import actor_key, track

KEY_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_VARIANTS = 10
EXPOSURE_EVENT = "experiment_exposure"
# Stable ids for exposure events: a retried assignment can never add a second one.
EXPOSURE_NAMESPACE = uuid.UUID("6f1c1f7e-3b1a-4d0e-9a59-0c8d3f2b7a41")


def _clean_variants(variants) -> list[dict]:
    if not isinstance(variants, list) or not 2 <= len(variants) <= MAX_VARIANTS:
        raise ExperimentInvalidError("Give between 2 and 10 variants.", field="variants")
    cleaned = []
    for variant in variants:
        name = variant.get("name") if isinstance(variant, dict) else None
        weight = variant.get("weight") if isinstance(variant, dict) else None
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise ExperimentInvalidError(
                "Each variant needs a name of 1 to 32 letters, digits, _ or -.", field="variants"
            )
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise ExperimentInvalidError("Each weight must be a positive number.", field="variants")
        if weight > 1_000_000:
            raise ExperimentInvalidError("Weights are at most 1,000,000.", field="variants")
        cleaned.append({"name": name, "weight": weight})
    if len({v["name"] for v in cleaned}) != len(cleaned):
        raise ExperimentInvalidError("Variant names must be unique.", field="variants")
    return cleaned


def experiment_create(
    *,
    actor,
    key: str,
    variants: list[dict],
    goal_event: str,
    window_hours: int = 72,
    planned_per_variant: int = 1000,
) -> Experiment:
    """Start an experiment: validated variants and a goal the stream knows; a key is never reused."""
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise ExperimentInvalidError(
            "The key is 1 to 64 lowercase letters, digits, _ or -.", field="key"
        )
    cleaned = _clean_variants(variants)
    if not event_name_known(goal_event):
        raise ExperimentInvalidError(
            "The goal is not an event the app records.", field="goal_event"
        )
    try:
        with transaction.atomic():
            return Experiment.objects.create(
                key=key,
                variants=cleaned,
                goal_event=goal_event,
                window_hours=window_hours,
                planned_per_variant=planned_per_variant,
                created_by=actor,
            )
    except IntegrityError as error:  # the unique key is the authority, not a prior lookup
        raise ExperimentExistsError() from error


def experiment_assign(
    *, key: str, user=None, visitor_id: str = "", now: datetime | None = None
) -> tuple[Experiment, str]:
    """The actor's variant of experiment ``key``; the first call records the exposure.

    A member who was first exposed as an anonymous visitor (same ``visitor_id``) keeps the
    variant they saw before signing in.
    """
    experiment = Experiment.objects.filter(key=key).first()
    if experiment is None:
        raise ExperimentNotFoundError()
    member = user is not None and user.is_authenticated
    actor = actor_key(user_id=user.pk if member else None, visitor_id=visitor_id)
    existing = Exposure.objects.filter(experiment=experiment, actor=actor).first()
    if existing is not None:
        return experiment, existing.variant
    variant = variant_for(experiment.key, actor, experiment.variants)
    if member and visitor_id:
        before = Exposure.objects.filter(
            experiment=experiment, actor=actor_key(user_id=None, visitor_id=visitor_id)
        ).first()
        if before is not None:
            variant = before.variant
    now = now or timezone.now()
    with transaction.atomic():
        created = Exposure.objects.bulk_create(
            [
                Exposure(
                    experiment=experiment,
                    actor=actor,
                    user=user if member else None,
                    variant=variant,
                    exposed_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        stored = Exposure.objects.get(experiment=experiment, actor=actor)
        if created and stored.exposed_at == now:
            track(
                EXPOSURE_EVENT,
                user if member else None,
                {"experiment": experiment.key, "variant": stored.variant},
                visitor_id=visitor_id,
                at=now,
                event_id=uuid.uuid5(EXPOSURE_NAMESPACE, f"{experiment.key}|{actor}"),
            )
    return experiment, stored.variant
