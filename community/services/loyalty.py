"""Points, growth value, tiers, check-ins and tasks.

Every balance change locks the member's row first (``SELECT … FOR UPDATE``), then re-checks the
idempotency key under that lock: concurrent requests queue on the row, and a retried or duplicated
request finds its own earlier entry instead of paying twice. ``points_balance >= 0`` and the
entry/lot constraints are the database's backstop.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from community import events
from community.exceptions import AlreadyCheckedInError, InsufficientPointsError
from community.models import (
    CheckIn,
    GrowthEntry,
    GrowthSource,
    PointsAllocation,
    PointsEntry,
    PointsLot,
    PointsReason,
    TaskDefinition,
    TaskKind,
    TaskProgress,
    TierBenefit,
    TierChange,
    User,
)
from community.selectors.loyalty import (
    business_today,
    checkin_reward,
    points_expiry,
    start_of_day,
)
from community.services.insights.events import track
from community.services.notifications import notification_send
from community.signals import tier_monthly_pack_due
from realtime.publish import send_to_user_on_commit


def _locked_user(user_id: int) -> User:
    return User.objects.select_for_update().get(pk=user_id)


def _announce_balance(user: User, entry: PointsEntry) -> None:
    send_to_user_on_commit(
        user.pk,
        events.POINTS_CHANGED,
        {"balance": user.points_balance, "delta": entry.delta, "reason": entry.reason},
    )


def _lock_or_replay(user_id: int, idempotency_key: str) -> tuple[User, PointsEntry | None]:
    """Lock the member's row, then look for an entry already written under this key."""
    user = _locked_user(user_id)
    return user, PointsEntry.objects.filter(idempotency_key=idempotency_key).first()


def _append(
    user: User,
    delta: int,
    reason: str,
    idempotency_key: str,
    *,
    source_type: str = "",
    source_id: str = "",
    note: str = "",
    actor: User | None = None,
) -> PointsEntry:
    """Write one ledger entry and move the (locked) member's balance with it; pushed on commit."""
    balance = user.points_balance + delta
    User.objects.filter(pk=user.pk).update(points_balance=balance)
    user.points_balance = balance
    entry = PointsEntry.objects.create(
        user=user,
        delta=delta,
        reason=reason,
        idempotency_key=idempotency_key,
        source_type=source_type,
        source_id=str(source_id),
        note=note,
        actor=actor,
        balance_after=balance,
    )
    _announce_balance(user, entry)
    return entry


def tier_multiplier(tier: str) -> Decimal:
    benefit = TierBenefit.objects.filter(tier=tier).first()
    return benefit.points_multiplier if benefit else Decimal(1)


# --- points ------------------------------------------------------------------------------------


def points_award(
    *,
    user_id: int,
    amount: int,
    reason: str,
    idempotency_key: str,
    source_type: str = "",
    source_id: str = "",
    note: str = "",
    actor: User | None = None,
    apply_tier_multiplier: bool = False,
) -> PointsEntry:
    """Credit points as a new lot expiring at the end of the 12th month; one key pays once."""
    if amount <= 0:
        raise ValueError("points_award needs a positive amount")
    with transaction.atomic():
        user, existing = _lock_or_replay(user_id, idempotency_key)
        if existing is not None:
            return existing
        if apply_tier_multiplier:
            amount = int(
                (Decimal(amount) * tier_multiplier(user.tier)).to_integral_value(ROUND_DOWN)
            )
        entry = _append(
            user,
            amount,
            reason,
            idempotency_key,
            source_type=source_type,
            source_id=source_id,
            note=note,
            actor=actor,
        )
        PointsLot.objects.create(
            user=user,
            entry=entry,
            amount=amount,
            remaining=amount,
            expires_at=points_expiry(timezone.now()),
        )
        return entry


def _take_from_lots(user: User, amount: int, spend: PointsEntry | None, lots=None) -> int:
    """Consume up to ``amount`` from the member's live lots, soonest expiry first."""
    taken = 0
    live = (
        lots
        if lots is not None
        else PointsLot.objects.select_for_update()
        .filter(user=user, remaining__gt=0, expired_at__isnull=True)
        .order_by("expires_at", "id")
    )
    for lot in live:
        if taken == amount:
            break
        portion = min(lot.remaining, amount - taken)
        PointsLot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - portion)
        if spend is not None:
            PointsAllocation.objects.create(spend=spend, lot=lot, amount=portion)
        taken += portion
    return taken


def points_spend(
    *,
    user_id: int,
    amount: int,
    reason: str,
    idempotency_key: str,
    source_type: str = "",
    source_id: str = "",
    note: str = "",
    actor: User | None = None,
) -> PointsEntry:
    """Debit points from the oldest-expiring lots first; refuses to go below zero."""
    if amount <= 0:
        raise ValueError("points_spend needs a positive amount")
    with transaction.atomic():
        user, existing = _lock_or_replay(user_id, idempotency_key)
        if existing is not None:
            return existing
        if user.points_balance < amount:
            raise InsufficientPointsError(
                f"You have {user.points_balance} points; this needs {amount}.",
                balance=user.points_balance,
            )
        entry = _append(
            user,
            -amount,
            reason,
            idempotency_key,
            source_type=source_type,
            source_id=source_id,
            note=note,
            actor=actor,
        )
        taken = _take_from_lots(user, amount, entry)
        if taken != amount:  # lots and balance disagree: never let the ledger drift
            raise RuntimeError(f"points lots of user {user.pk} hold {taken}, balance said {amount}")
        track("points_spend", user, {"points": amount, "reason": reason})
        return entry


def points_refund(*, spend_key: str, idempotency_key: str) -> PointsEntry | None:
    """Give back the points of an earlier spend (an order cancelled or refunded), once.

    Points go back to the lots they came from; a lot that expired meanwhile is not revived, its
    share comes back as a new lot with a fresh expiry.
    """
    with transaction.atomic():
        spend = PointsEntry.objects.filter(idempotency_key=spend_key, delta__lt=0).first()
        if spend is None:
            return None
        user, existing = _lock_or_replay(spend.user_id, idempotency_key)
        if existing is not None:
            return existing
        amount = -spend.delta
        entry = _append(
            user,
            amount,
            PointsReason.REFUND,
            idempotency_key,
            source_type=spend.source_type,
            source_id=spend.source_id,
            note=f"refund of entry {spend.pk}",
        )
        revived = 0
        for allocation in spend.allocations.select_related("lot"):
            if allocation.lot.expired_at is None:
                PointsLot.objects.filter(pk=allocation.lot_id).update(
                    remaining=F("remaining") + allocation.amount
                )
                revived += allocation.amount
        if amount - revived:
            PointsLot.objects.create(
                user=user,
                entry=entry,
                amount=amount - revived,
                remaining=amount - revived,
                expires_at=points_expiry(timezone.now()),
            )
        return entry


def points_clawback(*, award_key: str, idempotency_key: str) -> PointsEntry | None:
    """Take back an earlier award (a refunded purchase), as far as the balance allows, once."""
    with transaction.atomic():
        award = PointsEntry.objects.filter(idempotency_key=award_key, delta__gt=0).first()
        if award is None:
            return None
        user, existing = _lock_or_replay(award.user_id, idempotency_key)
        if existing is not None:
            return existing
        amount = min(award.delta, user.points_balance)
        if amount == 0:
            return None
        entry = _append(
            user,
            -amount,
            PointsReason.REFUND_CLAWBACK,
            idempotency_key,
            source_type=award.source_type,
            source_id=award.source_id,
        )
        own_lot = PointsLot.objects.select_for_update().filter(
            entry=award, remaining__gt=0, expired_at__isnull=True
        )
        taken = _take_from_lots(user, amount, entry, lots=list(own_lot))
        _take_from_lots(user, amount - taken, entry)
        return entry


@dataclass(frozen=True)
class ExpiryRun:
    lots_expired: int
    points_expired: int


def points_expire_due(*, now: datetime | None = None) -> ExpiryRun:
    """Expire every lot past its date, each exactly once, even with two runs in parallel."""
    now = now or timezone.now()
    due = PointsLot.objects.filter(expires_at__lte=now, remaining__gt=0, expired_at__isnull=True)
    lots = points = 0
    for lot_id, user_id in due.order_by("user_id", "id").values_list("id", "user_id"):
        with transaction.atomic():
            user = _locked_user(user_id)
            lot = PointsLot.objects.select_for_update().get(pk=lot_id)
            if lot.expired_at is not None or lot.remaining == 0:
                continue  # the other run got here first
            amount = lot.remaining
            _append(
                user,
                -amount,
                PointsReason.EXPIRE,
                f"expire:lot:{lot.pk}",
                source_type="points_lot",
                source_id=str(lot.pk),
            )
            PointsLot.objects.filter(pk=lot.pk).update(remaining=0, expired_at=now)
            lots += 1
            points += amount
    return ExpiryRun(lots, points)


def points_remind_expiring(*, now: datetime | None = None) -> int:
    """Tell members about points expiring within the reminder window (once per lot)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.POINTS_EXPIRY_REMINDER_DAYS)
    due = PointsLot.objects.filter(
        expires_at__gt=now,
        expires_at__lte=horizon,
        remaining__gt=0,
        expired_at__isnull=True,
        reminded_at__isnull=True,
    )
    reminded = 0
    for user_id in due.values_list("user_id", flat=True).distinct():
        with transaction.atomic():
            lots = list(due.select_for_update().filter(user_id=user_id))
            if not lots:
                continue
            total = sum(lot.remaining for lot in lots)
            first = min(lot.expires_at for lot in lots)
            PointsLot.objects.filter(pk__in=[lot.pk for lot in lots]).update(reminded_at=now)
            notification_send(
                user_id=user_id,
                type="points_expiring",
                title=f"{total} points expire soon",
                body=f"Use them before {first.date().isoformat()}.",
                data={"points": total, "expires_at": first.isoformat()},
                dedupe_key=f"points_expiring:{min(lot.pk for lot in lots)}",
            )
            reminded += 1
    return reminded


# --- growth value and tiers --------------------------------------------------------------------


def growth_trailing(user_id: int, *, today: date | None = None) -> int:
    since = start_of_day((today or business_today()) - timedelta(days=365))
    total = GrowthEntry.objects.filter(user_id=user_id, created_at__gte=since).aggregate(
        s=Sum("amount")
    )["s"]
    return total or 0


def growth_add(
    *,
    user_id: int,
    amount: int,
    source: str,
    idempotency_key: str,
    source_type: str = "",
    source_id: str = "",
) -> GrowthEntry | None:
    """Record growth value once per key and upgrade the tier at once when a threshold is crossed.

    Sources with a daily cap (posts: 3 a day) return None once the day's cap is reached.
    """
    with transaction.atomic():
        user = _locked_user(user_id)
        existing = GrowthEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        cap = settings.GROWTH_DAILY_CAPS.get(source)
        if cap is not None:
            today_start = start_of_day(business_today())
            counted = GrowthEntry.objects.filter(
                user=user, source=source, created_at__gte=today_start
            )
            if counted.count() >= cap:
                return None
        entry = GrowthEntry.objects.create(
            user=user,
            amount=amount,
            source=source,
            idempotency_key=idempotency_key,
            source_type=source_type,
            source_id=str(source_id),
        )
        _apply_tier(user, growth_trailing(user.pk), today=business_today(), allow_downgrade=False)
        return entry


def _tiers() -> list[TierBenefit]:
    return list(TierBenefit.objects.order_by("rank"))


def _apply_tier(user: User, growth: int, *, today: date, allow_downgrade: bool) -> str | None:
    """Move ``user`` (locked) to the tier ``growth`` earns: up at once, down one step after the
    maintenance period. Returns the new tier when it changed."""
    tiers = _tiers()
    if not tiers:  # no tier table configured: growth is still recorded
        User.objects.filter(pk=user.pk).update(growth_value=growth)
        user.growth_value = growth
        return None
    ranks = {t.tier: t.rank for t in tiers}
    earned = max((t for t in tiers if t.threshold <= growth), key=lambda t: t.rank)
    current_rank = ranks.get(user.tier, 0)
    updates: dict = {"growth_value": growth}
    new_tier = None
    if earned.rank > current_rank:
        new_tier = earned.tier
        updates.update(tier=new_tier, tier_below_since=None)
    elif earned.rank == current_rank:
        updates["tier_below_since"] = None
    elif allow_downgrade:
        below_since = user.tier_below_since or today
        if (today - below_since).days >= settings.TIER_MAINTENANCE_DAYS:
            new_tier = next(t.tier for t in tiers if t.rank == current_rank - 1)
            # Still below the lower tier too: its own maintenance period starts now.
            updates.update(
                tier=new_tier, tier_below_since=today if earned.rank < current_rank - 1 else None
            )
        else:
            updates["tier_below_since"] = below_since
    User.objects.filter(pk=user.pk).update(**updates)
    for field, value in updates.items():
        setattr(user, field, value)
    if new_tier is not None:
        old = next(t.tier for t in tiers if t.rank == current_rank)
        TierChange.objects.create(user=user, from_tier=old, to_tier=new_tier, growth_365d=growth)
        upgraded = ranks[new_tier] > current_rank
        notification_send(
            user_id=user.pk,
            type="tier_changed",
            title=f"You are now {new_tier.title()}"
            if upgraded
            else f"Your tier is now {new_tier.title()}",
            body="Enjoy your new benefits." if upgraded else "Earn growth value to climb back.",
            data={"from": old, "to": new_tier},
        )
    return new_tier


def tier_evaluate(*, user_id: int, today: date | None = None) -> str | None:
    """The nightly evaluation of one member (safe to run twice a day: nothing changes twice)."""
    today = today or business_today()
    with transaction.atomic():
        user = _locked_user(user_id)
        return _apply_tier(
            user, growth_trailing(user_id, today=today), today=today, allow_downgrade=True
        )


def tiers_evaluate_all(*, today: date | None = None) -> int:
    """Evaluate every member who has a tier to keep or growth to count; returns tier changes."""
    candidates = User.objects.filter(is_active=True).exclude(tier="regular", growth_value=0)
    changed = 0
    for user_id in candidates.values_list("pk", flat=True).iterator():
        if tier_evaluate(user_id=user_id, today=today):
            changed += 1
    return changed


# --- check-in and tasks ------------------------------------------------------------------------


def checkin_perform(*, user_id: int, now: datetime | None = None) -> CheckIn:
    """Check in for today: points with the streak bonus, growth value and the daily task."""
    today = business_today(now)
    with transaction.atomic():
        user = _locked_user(user_id)
        if CheckIn.objects.filter(user=user, day=today).exists():
            raise AlreadyCheckedInError()
        yesterday = CheckIn.objects.filter(user=user, day=today - timedelta(days=1)).first()
        streak = yesterday.streak + 1 if yesterday else 1
        reward = checkin_reward(streak)
        checkin = CheckIn.objects.create(user=user, day=today, streak=streak, points_awarded=reward)
        key = f"checkin:{user.pk}:{today.isoformat()}"
        points_award(
            user_id=user.pk,
            amount=reward,
            reason=PointsReason.CHECKIN,
            idempotency_key=key,
            source_type="checkin",
            source_id=str(checkin.pk),
        )
        growth_add(
            user_id=user.pk,
            amount=settings.CHECKIN_GROWTH,
            source=GrowthSource.CHECKIN,
            idempotency_key=key,
            source_type="checkin",
            source_id=str(checkin.pk),
        )
        task_record(user_id=user.pk, action="checkin", now=now)
        track("checkin", user, {"streak": streak, "points": reward})
        return checkin


def task_record(
    *, user_id: int, action: str, count: int = 1, now: datetime | None = None
) -> list[TaskProgress]:
    """Count an action toward the member's daily tasks and live challenges; pays each once."""
    now = now or timezone.now()
    today = business_today(now)
    completed = []
    live = TaskDefinition.objects.filter(is_active=True, action=action)
    for task in live:
        if task.kind == TaskKind.CHALLENGE:
            if (task.starts_at and now < task.starts_at) or (task.ends_at and now >= task.ends_at):
                continue
            period = "once"
        else:
            period = today.isoformat()
        with transaction.atomic():
            TaskProgress.objects.bulk_create(
                [TaskProgress(user_id=user_id, task=task, period=period)], ignore_conflicts=True
            )
            progress = TaskProgress.objects.filter(user_id=user_id, task=task, period=period)
            progress.update(count=F("count") + count)
            # Only the request that moves completed_at from NULL pays.
            finished = progress.filter(
                completed_at__isnull=True, count__gte=task.target_count
            ).update(completed_at=now)
            if finished:
                points_award(
                    user_id=user_id,
                    amount=task.points,
                    reason=PointsReason.TASK,
                    idempotency_key=f"task:{task.pk}:{user_id}:{period}",
                    source_type="task",
                    source_id=str(task.pk),
                    note=task.title,
                )
                completed.append(progress.get())
    return completed


def points_adjust(
    *, actor: User, user_id: int, delta: int, note: str, idempotency_key: str
) -> PointsEntry:
    """A staff correction, audited with who made it and why (never below zero)."""
    if delta > 0:
        return points_award(
            user_id=user_id,
            amount=delta,
            reason=PointsReason.ADMIN,
            idempotency_key=idempotency_key,
            note=note,
            actor=actor,
            source_type="admin",
        )
    return points_spend(
        user_id=user_id,
        amount=-delta,
        reason=PointsReason.ADMIN,
        idempotency_key=idempotency_key,
        note=note,
        actor=actor,
        source_type="admin",
    )


def tier_monthly_packs_announce(*, month: str) -> int:
    """Announce each member's monthly coupon pack for their tier; commerce issues the coupons and
    makes them idempotent per (user, month). Returns how many members were announced."""
    packs = dict(
        TierBenefit.objects.exclude(monthly_coupon_pack="").values_list(
            "tier", "monthly_coupon_pack"
        )
    )
    announced = 0
    members = User.objects.filter(is_active=True, tier__in=list(packs)).values_list("pk", "tier")
    for user_id, tier in members.iterator():
        tier_monthly_pack_due.send(
            sender=User, user_id=user_id, tier=tier, pack_code=packs[tier], month=month
        )
        announced += 1
    return announced


# --- invites -----------------------------------------------------------------------------------


def invite_reward_registration(*, inviter_id: int, invitee_id: int) -> None:
    """Pay the inviter for a friend who joined with their code (once per invitee)."""
    points_award(
        user_id=inviter_id,
        amount=settings.INVITE_REGISTRATION_POINTS,
        reason=PointsReason.INVITE,
        idempotency_key=f"invite:registered:{invitee_id}",
        source_type="user",
        source_id=str(invitee_id),
    )
    notification_send(
        user_id=inviter_id,
        type="invite_registered",
        title="A friend joined with your invite",
        data={"invitee_id": invitee_id},
        dedupe_key=f"invite_registered:{invitee_id}",
    )


def invite_reward_first_order(*, invitee_id: int, order_id: int) -> bool:
    """The hook commerce calls when an invited member completes a first order: growth value for
    the inviter, once per invitee. Returns whether anything was paid."""
    invitee = User.objects.filter(pk=invitee_id).only("invited_by_id").first()
    if invitee is None or invitee.invited_by_id is None:
        return False
    growth_add(
        user_id=invitee.invited_by_id,
        amount=settings.INVITE_FIRST_ORDER_GROWTH,
        source=GrowthSource.INVITE,
        idempotency_key=f"invite:first_order:{invitee_id}",
        source_type="order",
        source_id=str(order_id),
    )
    return True


# --- default rows ------------------------------------------------------------------------------
# Default rows the product needs (PRODUCT.md §3-4): the tier table and the daily tasks.
#
# Used by the data migration with historical models, and by tests after a database flush.

TIERS = [
    # tier, rank, threshold, multiplier, coupon pack, early access minutes, support priority
    ("regular", 0, 0, Decimal("1.0"), "", 0, 0),
    ("silver", 1, 1000, Decimal("1.2"), "silver-monthly", 0, 0),
    ("gold", 2, 5000, Decimal("1.5"), "gold-monthly", 10, 0),
    ("platinum", 3, 20000, Decimal("2.0"), "platinum-monthly", 10, 1),
]

DAILY_TASKS = [
    # code, title, action, target, points
    ("daily-checkin", "Check in today", "checkin", 1, 5),
    ("daily-post", "Publish a note", "post", 1, 10),
    ("daily-comment", "Comment 3 times", "comment", 3, 10),
    ("daily-share", "Share once", "share", 1, 5),
]


def seed_loyalty_defaults(tier_model, task_model) -> None:
    """Create the default tiers and daily tasks where missing; staff edits are kept."""
    for tier, rank, threshold, multiplier, pack, early, priority in TIERS:
        tier_model.objects.get_or_create(
            tier=tier,
            defaults={
                "rank": rank,
                "threshold": threshold,
                "points_multiplier": multiplier,
                "monthly_coupon_pack": pack,
                "early_access_minutes": early,
                "support_priority": priority,
            },
        )
    for code, title, action, target, points in DAILY_TASKS:
        task_model.objects.get_or_create(
            code=code,
            defaults={"title": title, "action": action, "target_count": target, "points": points},
        )
