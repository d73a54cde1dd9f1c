"""Moderation reads: the queue, an item with its context, a member's decisions, the public log."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from community.models import (
    Action,
    Appeal,
    Decision,
    ItemStatus,
    MemberTrust,
    ModerationItem,
    Report,
    Role,
    Strike,
    WatchedWord,
)
from community.selectors.accounts import user_roles
from community.selectors.moderatable import moderatable

APPEAL_DAYS = 14
# The ladder PRODUCT.md §15 suggests by active strikes; moderators may override with a reason.
LADDER = [(Action.WARN, None), (Action.MUTE, 24), (Action.SUSPEND, 7 * 24), (Action.BAN, None)]


def is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and Role.STAFF in user_roles(user))


def active_strikes_count(user_id: int) -> int:
    return Strike.objects.filter(
        user_id=user_id, voided_at__isnull=True, expires_at__gt=timezone.now()
    ).count()


def suggested_action(active_strikes: int) -> str:
    return str(LADDER[min(active_strikes, len(LADDER) - 1)][0])


def queue_items(
    *, target_type: str | None = None, category: str | None = None, status: str | None = None
) -> QuerySet[ModerationItem]:
    """The one queue: highest score first, then oldest; open items unless a status is asked."""
    items = ModerationItem.objects.select_related("claimed_by")
    items = items.filter(status=status) if status else items.exclude(status=ItemStatus.RESOLVED)
    if target_type:
        items = items.filter(target_type=target_type)
    if category:
        items = items.filter(categories__contains=[category])
    return items.order_by("-score", "created_at", "id")


def moderation_item_state(item_id: int) -> dict:
    """What a console needs to update one row live (not the preview: it refetches the row)."""
    item = ModerationItem.objects.filter(pk=item_id).select_related("claimed_by").first()
    if item is None:
        return {"id": item_id, "gone": True}
    return {
        "id": item.pk,
        "target_type": item.target_type,
        "status": item.status,
        "score": item.score,
        "reports_count": item.reports_count,
        "hidden": item.hidden,
        "version": item.version,
        "claimed_by": item.claimed_by.username if item.claimed_by else None,
    }


def previews_for(items: list[ModerationItem]) -> dict[int, dict]:
    """What each item shows in the queue, in one query per content type on the page."""
    wanted: dict[str, list[int]] = {}
    for item in items:
        wanted.setdefault(item.target_type, []).append(item.target_id)
    loaded: dict[str, dict] = {}
    for name, ids in wanted.items():
        entry = moderatable(name)
        loaded[name] = entry.load_many(ids) if entry else {}
    previews = {}
    for item in items:
        entry = moderatable(item.target_type)
        target = loaded.get(item.target_type, {}).get(item.target_id)
        if entry is None or target is None:
            previews[item.pk] = {"text": "", "gone": True}
        else:
            previews[item.pk] = entry.preview(target)
    return previews


def item_detail(item: ModerationItem) -> dict:
    """The item page: the content with its context, its reports, and the author's history."""
    entry = moderatable(item.target_type)
    target = entry.load_many([item.target_id]).get(item.target_id) if entry else None
    reports = list(
        Report.objects.filter(item=item)
        .select_related("reporter")
        .order_by("-weight", "created_at")
        .values("id", "category", "note", "weight", "created_at", "reporter__username")
    )
    history = []
    trust = None
    strikes = 0
    if item.subject_id:
        history = list(
            Decision.objects.filter(subject_id=item.subject_id)
            .order_by("-created_at")
            .values("id", "action", "reason", "target_type", "created_at", "reversed_at")[:20]
        )
        trust = MemberTrust.objects.filter(user_id=item.subject_id).values("level").first()
        strikes = active_strikes_count(item.subject_id)
    appeal = None
    if item.target_type == "appeal":
        appeal = (
            Appeal.objects.filter(pk=item.target_id)
            .values(
                "id",
                "body",
                "decision_id",
                "decision__action",
                "decision__reason",
                "decision__target_type",
                "decision__target_id",
            )
            .first()
        )
    return {
        "context": entry.context(target) if entry and target is not None else [],
        "reports": reports,
        "author_history": history,
        "author_trust_level": trust["level"] if trust else None,
        "author_active_strikes": strikes,
        "suggested_action": suggested_action(strikes),
        "appeal": appeal,
    }


def decisions_about(user) -> QuerySet[Decision]:
    """Decisions about the member's own content or account, newest first."""
    return (
        Decision.objects.filter(subject=user)
        .exclude(item__source="appeal")
        .select_related("appeal")
        .order_by("-created_at", "-id")
    )


def decision_appealable(decision: Decision) -> bool:
    return (
        decision.action != Action.APPROVE
        and decision.reversed_at is None
        and not hasattr_appeal(decision)
        and timezone.now() - decision.created_at <= timedelta(days=APPEAL_DAYS)
    )


def hasattr_appeal(decision: Decision) -> bool:
    try:
        return decision.appeal is not None
    except Appeal.DoesNotExist:
        return False


def public_log() -> QuerySet[Decision]:
    """Every decision, newest first, for the public anonymised log."""
    return Decision.objects.filter(~Q(item__source="appeal")).order_by("-created_at", "-id")


def watched_words() -> QuerySet[WatchedWord]:
    return WatchedWord.objects.order_by("action", "word")
