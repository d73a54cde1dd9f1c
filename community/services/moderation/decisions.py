"""Claiming and deciding queue items: actions, strikes, sanctions, appeals and the closed loop.

A decision names the item ``version`` its moderator saw; the item's row lock plus that version
make a second moderator's decision on the same state a ``stale_version`` instead of a second
action. Everything is soft: a removal hides, a ban deactivates, so an approved appeal can undo it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from community import events
from community.exceptions import (
    AlreadyAppealedError,
    AlreadyClaimedError,
    AlreadyResolvedError,
    AppealForbiddenError,
    AppealWindowClosedError,
    BadActionError,
    BadTargetError,
    ModerationItemNotFoundError,
    NotAppealableError,
    ReasonRequiredError,
    StaleVersionError,
)
from community.models import (
    Action,
    Appeal,
    AuditEntry,
    Decision,
    ItemSource,
    ItemStatus,
    ModerationItem,
    Report,
    ReportCategory,
    ReportStatus,
    Sanction,
    SanctionKind,
    Strike,
    User,
)
from community.selectors.moderatable import load_one, moderatable
from community.selectors.moderation import active_strikes_count, suggested_action
from community.services.moderation.reports import item_open_for
from community.services.moderation.sanctions import sanctions_changed
from community.services.moderation.trust import trust_counters_add, trust_reporters_record
from community.services.notifications import notification_send, notifications_send_many
from realtime.publish import disconnect_user_on_commit

STRIKE_DAYS = 90
APPEAL_DAYS = 14
DEFAULT_HOURS = {Action.MUTE: 24, Action.SUSPEND: 7 * 24}
STRIKING = {Action.REMOVE, Action.MUTE, Action.SUSPEND, Action.BAN}
SANCTIONING = {
    Action.MUTE: SanctionKind.MUTE,
    Action.SUSPEND: SanctionKind.SUSPEND,
    Action.BAN: SanctionKind.BAN,
}


def item_claim(*, moderator, item_id: int) -> ModerationItem:
    """Take an item so that other moderators see it is being worked on (409 when another holds
    it)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            ModerationItem.objects.filter(pk=item_id)
            .filter(
                Q(status=ItemStatus.PENDING) | Q(status=ItemStatus.CLAIMED, claimed_by=moderator)
            )
            .update(
                status=ItemStatus.CLAIMED,
                claimed_by=moderator,
                claimed_at=now,
                version=F("version") + 1,
            )
        )
        item = ModerationItem.objects.filter(pk=item_id).first()
        if item is None:
            raise ModerationItemNotFoundError()
        if not claimed:
            if item.status == ItemStatus.RESOLVED:
                raise AlreadyResolvedError()
            raise AlreadyClaimedError()
        AuditEntry.objects.create(actor=moderator, verb="claimed", item=item)
        events.moderation_item_changed_on_commit(item.pk)
    return item


def item_decide(
    *,
    moderator,
    item_id: int,
    action: str,
    reason: str,
    version: int,
    duration_hours: int | None = None,
) -> ModerationItem:
    """Act on an item at the version the moderator saw: approve, remove, warn, mute, suspend or
    ban; tells the author and the reporters."""
    reason = _check_decision(action, reason, duration_hours)
    with transaction.atomic(durable=True):
        item = ModerationItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise ModerationItemNotFoundError()
        if item.status == ItemStatus.CLAIMED and item.claimed_by_id != moderator.pk:
            raise AlreadyClaimedError()
        if item.status == ItemStatus.RESOLVED or item.version != version:
            raise StaleVersionError()
        _decide_locked(moderator, item, action, reason, duration_hours)
        events.moderation_item_changed_on_commit(item.pk)
    return item


def _check_decision(action: str, reason: str, duration_hours: int | None) -> str:
    if action not in Action.values:
        raise BadActionError()
    reason = (reason or "").strip()
    if action != Action.APPROVE and not reason:
        raise ReasonRequiredError()
    if duration_hours is not None and not 1 <= duration_hours <= 24 * 365:
        raise BadActionError("duration_hours must be between 1 and 8760.")
    return reason


def _decide_locked(moderator, item, action, reason, duration_hours) -> Decision:
    """Decide an item the caller holds locked and has checked; resolves it and logs the step."""
    if item.source == ItemSource.APPEAL:
        decision = _decide_appeal(moderator, item, action, reason)
    else:
        decision = _decide_target(moderator, item, action, reason, duration_hours)
    item.status = ItemStatus.RESOLVED
    item.resolved_at = timezone.now()
    item.version += 1
    item.save(update_fields=["status", "resolved_at", "version", "hidden", "updated_at"])
    AuditEntry.objects.create(
        actor=moderator,
        verb="decided",
        item=item,
        data={"decision": decision.pk, "action": action, "reason": reason},
    )
    return decision


def _decisions_on(target_type: str, target_id: int):
    return Decision.objects.filter(target_type=target_type, target_id=target_id)


def _acted_since(target_type: str, target_id: int, seen: list[int]) -> bool:
    """Was a decision on the target committed since the caller saw only ``seen``?"""
    return _decisions_on(target_type, target_id).exclude(pk__in=seen).exists()


# Acting straight from the content (a live page) takes action against it; approving is what the
# queue is for.
DIRECT_ACTIONS = {Action.REMOVE, Action.WARN, Action.MUTE, Action.SUSPEND, Action.BAN}


def content_act(
    *,
    moderator,
    target_type: str,
    target_id: int,
    action: str,
    reason: str,
    duration_hours: int | None = None,
    category: str = "",
) -> ModerationItem:
    """Act on content where the moderator sees it: open (or reuse) its queue item, claim it and
    decide it in one transaction (409 ``already_claimed`` when another moderator holds it)."""
    if action not in DIRECT_ACTIONS:
        raise BadActionError("Act with remove, warn, mute, suspend or ban; approve from the queue.")
    reason = _check_decision(action, reason, duration_hours)
    if category and category not in ReportCategory.values:
        raise BadActionError("Unknown category.")
    # What was decided before we look at the content: a decision committed after this is
    # another moderator's, acting on the same state at the same moment.
    seen = list(_decisions_on(target_type, target_id).values_list("pk", flat=True))
    entry = moderatable(target_type)
    target = load_one(target_type, target_id) if entry is not None else None
    if entry is None or target is None:
        raise BadTargetError()
    author_id = entry.author_id(target)
    if author_id == moderator.pk:
        raise BadTargetError("You cannot act on your own content.")
    # What a moderator cannot see (someone's direct messages) they reach only through the queue.
    visible = entry.visible_to(target, moderator)
    with transaction.atomic(durable=True):
        queued = ModerationItem.objects.filter(target_type=target_type, target_id=target_id)
        if not visible and not queued.exclude(status=ItemStatus.RESOLVED).exists():
            raise BadTargetError()
        item = item_open_for(
            target_type=target_type,
            target_id=target_id,
            source=ItemSource.REPORTS,
            subject_id=author_id,
            note="a moderator acted on it directly",
        )
        if item.status == ItemStatus.CLAIMED and item.claimed_by_id != moderator.pk:
            raise AlreadyClaimedError()
        # Two moderators tapping one comment: the second one's item is a new one (the first
        # one's is resolved by now), so only the decisions show that someone acted meanwhile.
        if _acted_since(target_type, target_id, seen):
            raise AlreadyResolvedError("Another moderator acted on it a moment ago.")
        if category and category not in item.categories:
            # The decision's category (and the public log's) is the item's first one.
            item.categories = [category, *item.categories]
            item.save(update_fields=["categories", "updated_at"])
        if item.status == ItemStatus.PENDING:
            item.status = ItemStatus.CLAIMED
            item.claimed_by = moderator
            item.claimed_at = timezone.now()
            item.version += 1
            item.save(update_fields=["status", "claimed_by", "claimed_at", "version", "updated_at"])
            AuditEntry.objects.create(
                actor=moderator, verb="claimed", item=item, data={"direct": True}
            )
        _decide_locked(moderator, item, action, reason, duration_hours)
        events.moderation_item_changed_on_commit(item.pk)
    return item


def _decide_target(moderator, item, action, reason, duration_hours) -> Decision:
    entry = moderatable(item.target_type)
    target = load_one(item.target_type, item.target_id) if entry else None
    subject_id = item.subject_id
    strikes = active_strikes_count(subject_id) if subject_id else 0
    decision = Decision.objects.create(
        item=item,
        moderator=moderator,
        action=action,
        reason=reason,
        target_type=item.target_type,
        target_id=item.target_id,
        category=(item.categories[0] if item.categories else ""),
        subject_id=subject_id,
        duration_hours=(duration_hours or DEFAULT_HOURS[action])
        if action in DEFAULT_HOURS
        else None,
        suggested_action=suggested_action(strikes),
    )
    # A sanction acts on the member; only a removal hides a member's profile.
    hides = action not in (Action.APPROVE, Action.WARN) and (
        item.target_type != "user" or action == Action.REMOVE
    )
    if target is not None and entry is not None:
        if hides:
            entry.hide(target)
        else:
            entry.restore(target)
    item.hidden = hides and target is not None
    if subject_id and action in STRIKING:
        Strike.objects.create(
            user_id=subject_id,
            decision=decision,
            expires_at=timezone.now() + timedelta(days=STRIKE_DAYS),
        )
        trust_counters_add(subject_id, agreed_flags_against=1)
    if subject_id and action in SANCTIONING:
        _sanction(subject_id, decision, SANCTIONING[action])
    _settle_reports(item, agreed=action != Action.APPROVE)
    _tell_everyone(item, decision)
    return decision


def _sanction(user_id: int, decision: Decision, kind: str) -> None:
    now = timezone.now()
    ends_at = (
        now + timedelta(hours=decision.duration_hours or 0) if kind != SanctionKind.BAN else None
    )
    Sanction.objects.create(
        user_id=user_id, kind=kind, decision=decision, starts_at=now, ends_at=ends_at
    )
    if kind == SanctionKind.BAN:
        User.objects.filter(pk=user_id).update(is_active=False)
        disconnect_user_on_commit(user_id)
    sanctions_changed(user_id)


def _settle_reports(item: ModerationItem, *, agreed: bool) -> None:
    reports = list(item.reports.filter(status=ReportStatus.OPEN).values_list("pk", "reporter_id"))
    Report.objects.filter(pk__in=[pk for pk, _ in reports]).update(
        status=ReportStatus.AGREED if agreed else ReportStatus.DISAGREED
    )
    reporter_ids = [reporter_id for _, reporter_id in reports]
    if agreed:
        trust_reporters_record(reporter_ids, agreed=1)
    else:
        trust_reporters_record(reporter_ids, disagreed=1)


def _outcome_data(decision: Decision) -> dict:
    return {
        "decision_id": decision.pk,
        "action": decision.action,
        "reason": decision.reason,
        "target_type": decision.target_type,
        "target_id": decision.target_id,
    }


OUTCOME_TITLES = {
    Action.APPROVE: "你的内容已通过审核",
    Action.REMOVE: "你的内容因违反社区规范已被移除",
    Action.WARN: "社区管理员对你的内容发出了警告",
    Action.MUTE: "你已被禁言",
    Action.SUSPEND: "你的账号已被暂停使用",
    Action.BAN: "你的账号已被封禁",
}


def _tell_everyone(item: ModerationItem, decision: Decision) -> None:
    data = _outcome_data(decision)
    author_touched = (
        decision.action != Action.APPROVE or item.hidden or (item.source != ItemSource.REPORTS)
    )
    if decision.subject_id and author_touched:
        notification_send(
            user_id=decision.subject_id,
            type="moderation_outcome",
            title=OUTCOME_TITLES[Action(decision.action)],
            body=decision.reason,
            data={**data, "appealable": decision.action != Action.APPROVE},
            dedupe_key=f"moderation:{decision.pk}:author",
        )
    reporter_ids = set(item.reports.values_list("reporter_id", flat=True))
    # One batch, however many reported it: the item's row lock is held until this commits.
    notifications_send_many(
        user_ids=reporter_ids - {decision.subject_id},
        type="moderation_outcome",
        title=(
            "你举报的内容已被处理"
            if decision.action != Action.APPROVE
            else "你举报的内容经审核未发现违规"
        ),
        body=decision.reason,
        data=data,
        dedupe_key=f"moderation:{decision.pk}:reporter",
    )


# --- appeals ---------------------------------------------------------------------------------


def appeal_create(*, author, decision_id: int, body: str) -> Appeal:
    """Appeal a decision about one's own content, once, within the window; it joins the queue."""
    body = (body or "").strip()
    with transaction.atomic(durable=True):
        decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
        if decision is None or decision.subject_id != author.pk:
            raise AppealForbiddenError()
        if decision.action == Action.APPROVE or decision.reversed_at is not None:
            raise NotAppealableError()
        if timezone.now() - decision.created_at > timedelta(days=APPEAL_DAYS):
            raise AppealWindowClosedError()
        if Appeal.objects.filter(decision=decision).exists():
            raise AlreadyAppealedError()
        appeal = Appeal.objects.create(decision=decision, author=author, body=body[:2000])
        item = ModerationItem.objects.create(
            target_type="appeal",
            target_id=appeal.pk,
            source=ItemSource.APPEAL,
            subject=author,
            categories=[decision.category] if decision.category else [],
            score=float(settings.MODERATION_HIDE_THRESHOLD),
        )
        appeal.item = item
        appeal.save(update_fields=["item"])
        AuditEntry.objects.create(
            actor=author, verb="appealed", item=item, data={"decision": decision.pk}
        )
        events.moderation_item_changed_on_commit(item.pk)
    return appeal


def _decide_appeal(moderator, item: ModerationItem, action: str, reason: str) -> Decision:
    appeal = Appeal.objects.select_related("decision").get(pk=item.target_id)
    original = appeal.decision
    granted = action == Action.APPROVE
    decision = Decision.objects.create(
        item=item,
        moderator=moderator,
        action=action,
        reason=reason,
        target_type=original.target_type,
        target_id=original.target_id,
        category=original.category,
        subject_id=original.subject_id,
    )
    appeal.granted = granted
    appeal.save(update_fields=["granted"])
    if granted:
        _reverse(original)
    notification_send(
        user_id=appeal.author_id,
        type="moderation_outcome",
        title="你的申诉已通过，处理已撤销" if granted else "你的申诉未通过",
        body=reason,
        data={**_outcome_data(original), "appeal": appeal.pk, "granted": granted},
        dedupe_key=f"moderation:appeal:{appeal.pk}",
    )
    return decision


def _reverse(decision: Decision) -> None:
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(reversed_at=now)
    entry = moderatable(decision.target_type)
    target = load_one(decision.target_type, decision.target_id) if entry else None
    hid_it = decision.target_type != "user" or decision.action == Action.REMOVE
    if target is not None and entry is not None and hid_it:
        entry.restore(target)
        ModerationItem.objects.filter(pk=decision.item_id).update(hidden=False)
    if Strike.objects.filter(decision=decision, voided_at__isnull=True).update(voided_at=now):
        trust_counters_add(decision.subject_id, agreed_flags_against=-1)
    sanction = Sanction.objects.filter(decision=decision, lifted_at__isnull=True).first()
    if sanction is not None:
        sanction.lifted_at = now
        sanction.save(update_fields=["lifted_at"])
        if sanction.kind == SanctionKind.BAN:
            User.objects.filter(pk=sanction.user_id).update(is_active=True)
        sanctions_changed(sanction.user_id)
    # Reporters who were agreed with were, in the end, not right.
    reports = Report.objects.filter(item_id=decision.item_id, status=ReportStatus.AGREED)
    reporter_ids = list(reports.values_list("reporter_id", flat=True))
    trust_reporters_record(reporter_ids, agreed=-1, disagreed=1)
    reports.update(status=ReportStatus.DISAGREED)
