"""Reports and the queue items they open: weighted scores and hiding at the threshold."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from community import events
from community.exceptions import AlreadyReportedError, BadTargetError
from community.models import (
    AuditEntry,
    ItemSource,
    ItemStatus,
    MemberTrust,
    ModerationItem,
    Report,
    ReportCategory,
)
from community.selectors.moderatable import load_one, moderatable
from community.selectors.moderation import is_staff_member

WEIGHT_MIN, WEIGHT_MAX, STAFF_WEIGHT = 0.2, 3.0, 5.0
# How many decided reports it takes before a reporter's record counts half: a new reporter
# moves slowly away from 1.0, a long record dominates.
WEIGHT_CONFIDENCE_REPORTS = 5


def reporter_weight(*, agreed: int, disagreed: int, staff: bool = False) -> float:
    """A reporter's weight from their record: 1.0 with no history, moving smoothly toward
    ``1 + 2·(2p − 1)`` as decided reports accumulate (p = Laplace-smoothed agreed share), within
    0.2–3.0; staff weigh 5.0."""
    if staff:
        return STAFF_WEIGHT
    total = agreed + disagreed
    accuracy = (agreed + 1) / (total + 2)
    confidence = total / (total + WEIGHT_CONFIDENCE_REPORTS)
    weight = 1.0 + confidence * 2.0 * (2.0 * accuracy - 1.0)
    return round(min(WEIGHT_MAX, max(WEIGHT_MIN, weight)), 4)


def hide_threshold() -> float:
    """The score that hides content until reviewed; never below the floor."""
    return max(settings.MODERATION_HIDE_FLOOR, float(settings.MODERATION_HIDE_THRESHOLD))


def _weight_of(reporter) -> tuple[float, bool]:
    # ``role_grant`` opens Django admin (``is_staff``) with the staff role, so a member without
    # it cannot be staff: most reporters cost no roles query.
    staff = (reporter.is_staff or reporter.is_superuser) and is_staff_member(reporter)
    trust = MemberTrust.objects.filter(user=reporter).values("reports_agreed", "reports_disagreed")
    record = trust.first() or {"reports_agreed": 0, "reports_disagreed": 0}
    weight = reporter_weight(
        agreed=record["reports_agreed"], disagreed=record["reports_disagreed"], staff=staff
    )
    return weight, staff


def item_open_for(
    *, target_type: str, target_id: int, source: str, subject_id: int | None, note: str = ""
) -> ModerationItem:
    """The open queue item of a target, created when there is none; locked for the caller's
    transaction. Concurrent callers meet on the one-open-item constraint and share the row; the
    caller announces the change."""
    open_items = ModerationItem.objects.select_for_update().exclude(status=ItemStatus.RESOLVED)
    item = open_items.filter(target_type=target_type, target_id=target_id).first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            item = ModerationItem.objects.create(
                target_type=target_type,
                target_id=target_id,
                source=source,
                subject_id=subject_id,
                note=note,
            )
    except IntegrityError:
        item = open_items.get(target_type=target_type, target_id=target_id)
    return item


@transaction.atomic
def report_create(
    *, reporter, target_type: str, target_id: int, category: str, note: str = ""
) -> Report:
    """File a report; the target's queue item gains the reporter's weight and, at the threshold
    (from two reporters, or one staff member), the content is hidden everywhere."""
    entry = moderatable(target_type)
    if entry is None or category not in ReportCategory.values:
        raise BadTargetError()
    target = load_one(target_type, target_id)
    if target is None or not entry.visible_to(target, reporter):
        raise BadTargetError()
    author_id = entry.author_id(target)
    if author_id == reporter.pk:
        raise BadTargetError("You cannot report your own content.")
    weight, staff = _weight_of(reporter)
    item = item_open_for(
        target_type=target_type,
        target_id=target_id,
        source=ItemSource.REPORTS,
        subject_id=author_id,
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                item=item,
                target_type=target_type,
                target_id=target_id,
                category=category,
                note=(note or "")[:500],
                weight=weight,
            )
    except IntegrityError:
        raise AlreadyReportedError() from None
    categories = sorted({*item.categories, category})
    ModerationItem.objects.filter(pk=item.pk).update(
        score=F("score") + weight,
        reports_count=F("reports_count") + 1,
        reporters_count=F("reporters_count") + 1,
        categories=categories,
        version=F("version") + 1,
    )
    item.refresh_from_db()
    if (
        not item.hidden
        and item.score + 1e-9 >= hide_threshold()
        # Asked last, and only when one reporter reached the score: did staff report it?
        and (
            item.reporters_count >= 2
            or staff
            or item.reports.filter(weight__gte=STAFF_WEIGHT).exists()
        )
    ):
        entry.hide(target)
        ModerationItem.objects.filter(pk=item.pk).update(hidden=True, version=F("version") + 1)
        AuditEntry.objects.create(
            verb="auto_hidden", item=item, data={"score": item.score, "reports": item.reports_count}
        )
    events.moderation_item_changed_on_commit(item.pk)
    return report


def content_review_open(
    *,
    target_type: str,
    target_id: int,
    author_id: int | None,
    source: str,
    hidden: bool,
    note: str = "",
) -> ModerationItem:
    """Put content in the queue without a report: a watched word asked for approval (``hidden``:
    it waits unpublished) or flagged it (published), a trust-level-0 author's note or listing
    waits for approval, or a share link looks like referral fraud. Call inside the transaction
    that stored the content."""
    item = item_open_for(
        target_type=target_type,
        target_id=target_id,
        source=source,
        subject_id=author_id,
        note=note[:200],
    )
    changes: dict = {"version": F("version") + 1}
    if hidden and not item.hidden:
        changes["hidden"] = True
    # Nobody reported it, but it must not sink below reported content for ever.
    changes["score"] = F("score") + hide_threshold()
    ModerationItem.objects.filter(pk=item.pk).update(**changes)
    AuditEntry.objects.create(verb="queued", item=item, data={"source": source, "note": note})
    events.moderation_item_changed_on_commit(item.pk)
    item.refresh_from_db()
    return item
