"""Sanctions in force: what a muted, suspended or banned member may no longer do.

Every content write asks ``ensure_can_publish`` and every other write ``ensure_not_suspended``.
A member who never had a sanction (``User.has_sanctions`` false, read with the user the request
already loaded) costs one cache read and no query; one who had costs one cached entry, dropped
whenever a sanction starts or is lifted.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from community.exceptions import SanctionedError
from community.models import Sanction, SanctionKind, User

_TTL_SECONDS = 300


def _key(user_id: int) -> str:
    return f"moderation:sanctions:{user_id}"


# An open socket holds the user row it loaded at connect time: the marker tells it a sanction
# started since (longer than the longest timed sanction; a ban also closes the socket).
_MARKER_SECONDS = 366 * 24 * 3600


def _marker(user_id: int) -> str:
    return f"moderation:sanctioned:{user_id}"


def sanctions_changed(user_id: int) -> None:
    """Flag the member for the sanction check and forget their cached sanctions, now and again
    once the change commits."""
    User.objects.filter(pk=user_id).update(has_sanctions=True)
    cache.set(_marker(user_id), 1, timeout=_MARKER_SECONDS)
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


def sanctions_in_force(user_id: int) -> list[tuple[str, object]]:
    """``[(kind, ends_at)]`` of the member's sanctions in force now."""
    now = timezone.now()
    cached = cache.get(_key(user_id))
    if cached is None:
        rows = Sanction.objects.filter(user_id=user_id, lifted_at__isnull=True)
        cached = [(kind, ends_at) for kind, ends_at in rows.values_list("kind", "ends_at")]
        cache.set(_key(user_id), cached, timeout=_TTL_SECONDS)
    return [(kind, ends_at) for kind, ends_at in cached if ends_at is None or ends_at > now]


def _refuse_if(user, kinds: set[str]) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if not getattr(user, "has_sanctions", True) and not cache.get(_marker(user.pk)):
        return
    in_force = sanctions_in_force(user.pk)
    if not in_force:
        # Every sanction ended or was lifted: the next writes skip the lookup again.
        User.objects.filter(pk=user.pk, has_sanctions=True).update(has_sanctions=False)
        cache.delete(_marker(user.pk))
        user.has_sanctions = False
    for kind, ends_at in in_force:
        if kind in kinds:
            raise SanctionedError(kind=kind, until=ends_at)


def ensure_can_publish(user) -> None:
    """Refuse content (notes, comments, reviews, messages, live comments, listings) from a
    muted, suspended or banned member with 403 ``sanctioned``."""
    _refuse_if(user, {SanctionKind.MUTE, SanctionKind.SUSPEND, SanctionKind.BAN})


def ensure_not_suspended(user) -> None:
    """Refuse any write from a suspended or banned member with 403 ``sanctioned``."""
    _refuse_if(user, {SanctionKind.SUSPEND, SanctionKind.BAN})
