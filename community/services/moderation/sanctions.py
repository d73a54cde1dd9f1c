"""Sanctions in force: what a muted, suspended or banned member may no longer do.

Every content write asks ``ensure_can_publish`` and every other write ``ensure_not_suspended``;
both read one cached entry per member, dropped whenever a sanction starts or is lifted, so the
check costs a cache read, not a query, on the hot paths.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from community.exceptions import SanctionedError
from community.models import Sanction, SanctionKind

_TTL_SECONDS = 300


def _key(user_id: int) -> str:
    return f"moderation:sanctions:{user_id}"


def sanctions_changed(user_id: int) -> None:
    """Forget the cached sanctions of a member, now and again once the change commits."""
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
    for kind, ends_at in sanctions_in_force(user.pk):
        if kind in kinds:
            raise SanctionedError(kind=kind, until=ends_at)


def ensure_can_publish(user) -> None:
    """Refuse content (notes, comments, reviews, messages, live comments, listings) from a
    muted, suspended or banned member with 403 ``sanctioned``."""
    _refuse_if(user, {SanctionKind.MUTE, SanctionKind.SUSPEND, SanctionKind.BAN})


def ensure_not_suspended(user) -> None:
    """Refuse any write from a suspended or banned member with 403 ``sanctioned``."""
    _refuse_if(user, {SanctionKind.SUSPEND, SanctionKind.BAN})
