"""Share links and the rewards they earn (PRODUCT.md §14).

Each reward is one ``ShareReward`` row whose unique ``key`` names its source (a visitor's day, an
invitee, a buyer), so a reward claimed twice or concurrently exists once; status moves only by
conditional UPDATEs (held -> granted -> reversed), so it is paid or reversed once; points go through
community's ledger under an idempotency key derived from the same row.
"""

import hashlib
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from community.models import ItemSource, PointsReason, RoleGrant, User
from community.selectors import can_moderate_content
from community.selectors.loyalty import business_today
from community.selectors.social import share_target_resolve
from community.services import points_award, points_clawback, task_record
from community.services.insights.events import sign_up_attribute, track, visitor_id_of
from community.services.loyalty import invite_reward_registration
from community.services.moderation.sanctions import ensure_can_publish
from feeds.exceptions import FeedsPermissionDeniedError, ShareTargetInvalidError
from feeds.models.posts import Post
from feeds.models.shares import (
    HoldReason,
    RewardKind,
    RewardStatus,
    ShareClick,
    ShareDailyPoints,
    ShareFraudFlag,
    ShareLink,
    ShareReward,
    ShareTargetType,
)
from feeds.selectors.shares import share_clicks_list_for_buyer
from feeds.services.screening import queue_for_review
from feeds.signals import share_fraud_flagged
from groupbuy.selectors.orders import POINTS_PER_YUAN
from groupbuy.services import coupons_invitee_issue

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 8


def _hash(value: str) -> str:
    if not value:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def _is_creator(user_id: int) -> bool:
    return RoleGrant.objects.filter(user_id=user_id, role="creator").exists()


# --- links --------------------------------------------------------------------------------------


def share_link_create(*, actor: User, target_type: str, target_id: int) -> tuple[ShareLink, bool]:
    """The member's link to a target (one per member and target); ``True`` when new. A link
    carries no text of the sharer's (its title is the target's), so only sanctions apply."""
    ensure_can_publish(actor)
    if target_type not in ShareTargetType.values:
        raise ShareTargetInvalidError(fields={"target_type": [f"Unknown type {target_type!r}."]})
    target = share_target_resolve(target_type, int(target_id))
    if target is None:
        raise ShareTargetInvalidError()
    existing = ShareLink.objects.filter(
        sharer=actor, target_type=target_type, target_id=target_id
    ).first()
    if existing is not None:
        return existing, False
    for _ in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic(durable=True):
                link = ShareLink.objects.create(
                    code=code,
                    sharer=actor,
                    target_type=target_type,
                    target_id=target_id,
                    target_url=target.url,
                    title=target.title[:200],
                    earns_rewards=target.owner_id != actor.pk,
                )
                if target_type == ShareTargetType.POST:
                    Post.objects.filter(pk=target_id).update(share_count=F("share_count") + 1)
                task_record(user_id=actor.pk, action="share")
                track(
                    "share",
                    actor,
                    {"code": code, "target_type": target_type, "target_id": int(target_id)},
                )
            return link, True
        except IntegrityError:
            # Either our own link was made concurrently (return it) or the code collided (retry).
            existing = ShareLink.objects.filter(
                sharer=actor, target_type=target_type, target_id=target_id
            ).first()
            if existing is not None:
                return existing, False
    raise RuntimeError("could not find a free share code")  # pragma: no cover


# --- fraud --------------------------------------------------------------------------------------


def _open_flag(sharer_id: int, click: ShareClick) -> bool:
    signals = Q(pk__in=[])
    if click.ip_hash:
        signals |= Q(signal="ip", signal_hash=click.ip_hash)
    if click.device_hash:
        signals |= Q(signal="device", signal_hash=click.device_hash)
    return ShareFraudFlag.objects.filter(
        signals, sharer_id=sharer_id, resolved_at__isnull=True
    ).exists()


ANONYMOUS_KEY_PREFIX = "a:"


def _farming(sharer_id: int, click: ShareClick, now: datetime) -> bool:
    """Whether rewards for this click must be held: more than N member accounts reached this
    sharer's links from one IP or device recently, or, for a click made signed out, more than N
    signed-out visitors from its IP (then a flag is raised once, on commit)."""
    if _open_flag(sharer_id, click):
        return True
    since = now - timedelta(hours=settings.FEEDS_FRAUD_WINDOW_HOURS)
    if click.ip_hash and click.visitor_key.startswith(ANONYMOUS_KEY_PREFIX):
        # A signed-out visitor is only hash(IP + User-Agent), so rotating the User-Agent makes a
        # "new" visitor per request: count those per IP, as accounts are counted below. The key
        # survives a later sign-in, so claimed clicks still count as the anonymous visits they were.
        visitors = (
            ShareClick.objects.filter(
                link__sharer_id=sharer_id,
                is_self=False,
                visitor_key__startswith=ANONYMOUS_KEY_PREFIX,
                ip_hash=click.ip_hash,
                clicked_at__gte=since,
            )
            .values("visitor_key")
            .distinct()
            .count()
        )
        if visitors > settings.FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP:
            _raise_flag(sharer_id, click, "ip", click.ip_hash, visitors)
            return True
    for signal, field, value in (
        ("ip", "ip_hash", click.ip_hash),
        ("device", "device_hash", click.device_hash),
    ):
        if not value:
            continue
        accounts = (
            ShareClick.objects.filter(
                link__sharer_id=sharer_id,
                is_self=False,
                visitor__isnull=False,
                clicked_at__gte=since,
                **{field: value},
            )
            .values("visitor_id")
            .distinct()
            .count()
        )
        if accounts > settings.FEEDS_FRAUD_MAX_ACCOUNTS:
            _raise_flag(sharer_id, click, signal, value, accounts)
            return True
    return False


def _raise_flag(sharer_id: int, click: ShareClick, signal: str, value: str, accounts: int) -> None:
    try:
        with transaction.atomic():
            flag = ShareFraudFlag.objects.create(
                sharer_id=sharer_id,
                link_id=click.link_id,
                signal=signal,
                signal_hash=value,
                accounts=accounts,
            )
    except IntegrityError:
        return  # a concurrent claim raised it first
    # The moderators decide it in the one queue: approving releases the held rewards, removing
    # voids them (share_fraud_release / share_fraud_void).
    queue_for_review(
        target_type="share_fraud",
        target_id=flag.pk,
        author_id=sharer_id,
        source=ItemSource.SHARE_FRAUD,
        hidden=True,
        note=f"{accounts} accounts from one {signal} claimed this sharer's rewards",
    )
    payload = {
        "flag_id": flag.pk,
        "sharer_id": sharer_id,
        "link_id": click.link_id,
        "kind": signal,
        "accounts": accounts,
    }
    transaction.on_commit(lambda: share_fraud_flagged.send(sender=ShareFraudFlag, **payload))


# --- rewards ------------------------------------------------------------------------------------

_REASONS = {
    RewardKind.CLICK: PointsReason.SHARE_CLICK,
    RewardKind.ORDER: PointsReason.SHARE_CONVERSION,
}


def _new_reward(**fields) -> ShareReward | None:
    """Insert a reward under its unique key; ``None`` when that source already has one."""
    try:
        with transaction.atomic():
            return ShareReward.objects.create(**fields)
    except IntegrityError:
        return None


def _grant(reward: ShareReward, *, from_reasons: tuple[str, ...]) -> bool:
    """Move a held reward to granted and pay it; only the caller that moves it pays."""
    moved = ShareReward.objects.filter(
        pk=reward.pk, status=RewardStatus.HELD, hold_reason__in=from_reasons
    ).update(status=RewardStatus.GRANTED, hold_reason="", decided_at=timezone.now())
    if not moved:
        return False
    if reward.kind == RewardKind.REGISTRATION and reward.visitor_id is not None:
        invite_reward_registration(inviter_id=reward.sharer_id, invitee_id=reward.visitor_id)
        return True
    points_award(
        user_id=reward.sharer_id,
        amount=reward.points,
        reason=_REASONS[RewardKind(reward.kind)],
        idempotency_key=reward.points_key,
        source_type="share_link",
        source_id=str(reward.link_id),
    )
    return True


@dataclass(frozen=True)
class Visitor:
    user: User | None
    ip: str = ""
    user_agent: str = ""
    device_id: str = ""
    # The insights tracker's visitor id (X-Visitor-Id / cookie), to count a signed-out click.
    tracker_id: str = ""

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"u:{self.user.pk}"
        return ANONYMOUS_KEY_PREFIX + _hash(f"{self.ip}|{self.user_agent}")


# Where ``GET /s/<code>`` remembers a browser and its clicks, so that a registration or sign-in
# from that browser later claims them (feeds.receivers).
DEVICE_COOKIE = "tj_device"
SESSION_CLICKS = "feeds_share_clicks"


def visitor_of(request: HttpRequest, user, device_id: str) -> Visitor:
    return Visitor(
        user=user,
        ip=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        device_id=device_id,
        tracker_id=visitor_id_of(request),
    )


def share_click_record(
    *, code: str, visitor: Visitor, now: datetime | None = None
) -> ShareClick | None:
    """Record a click on a share link and pay its unique-click point; ``None`` for unknown codes."""
    now = now or timezone.now()
    link = ShareLink.objects.filter(code=code, is_active=True).first()
    if link is None:
        return None
    day = business_today(now)
    is_self = visitor.user is not None and visitor.user.pk == link.sharer_id
    with transaction.atomic():
        click = ShareClick.objects.create(
            link=link,
            visitor=visitor.user,
            visitor_key=visitor.key,
            ip_hash=_hash(visitor.ip),
            device_hash=_hash(visitor.device_id),
            day=day,
            is_self=is_self,
            clicked_at=now,
        )
        track(
            "share_click",
            visitor.user,
            {
                "code": link.code,
                "sharer_id": link.sharer_id,
                "is_self": is_self,
                "target_type": link.target_type,
            },
            # Before any page ran the tracker (a first click from a chat app), the click's own
            # anonymous key stands for the visitor.
            visitor_id=visitor.tracker_id or visitor.key,
            at=now,
        )
        if is_self or not link.earns_rewards or settings.FEEDS_SHARE_CLICK_POINTS <= 0:
            return click
        key = f"click:{link.sharer_id}:{visitor.key}:{day.isoformat()}"
        reward = _new_reward(
            key=key,
            link=link,
            sharer_id=link.sharer_id,
            kind=RewardKind.CLICK,
            status=RewardStatus.HELD,
            hold_reason=HoldReason.NONE,
            points=settings.FEEDS_SHARE_CLICK_POINTS,
            visitor=visitor.user,
            click=click,
            points_key=f"share:{key}",
        )
        if reward is None:  # this visitor already earned the sharer today's point
            return click
        ShareDailyPoints.objects.bulk_create(
            [ShareDailyPoints(sharer_id=link.sharer_id, day=day)], ignore_conflicts=True
        )
        # Rewarded clicks for one sharer take turns on their day row (the cap UPDATE below would
        # lock it anyway), so each farming count sees every earlier click: a burst of
        # simultaneous visitors cannot all count themselves as the first.
        list(
            ShareDailyPoints.objects.select_for_update()
            .filter(sharer_id=link.sharer_id, day=day)
            .values_list("pk", flat=True)
        )
        if _farming(link.sharer_id, click, now):
            ShareReward.objects.filter(pk=reward.pk).update(hold_reason=HoldReason.FRAUD)
            return click
        points = settings.FEEDS_SHARE_CLICK_POINTS
        # The daily cap is a conditional UPDATE: concurrent clicks can never pay past it.
        within_cap = ShareDailyPoints.objects.filter(
            sharer_id=link.sharer_id,
            day=day,
            points__lte=settings.FEEDS_SHARE_CLICK_DAILY_CAP - points,
        ).update(points=F("points") + points)
        if within_cap:
            _grant(reward, from_reasons=(HoldReason.NONE,))
        else:
            ShareReward.objects.filter(pk=reward.pk).update(
                status=RewardStatus.VOID, hold_reason=HoldReason.DAILY_CAP, points=0
            )
    return click


def share_clicks_claim(*, click_ids: list[int], user: User) -> int:
    """Attach this browser's anonymous clicks to the member who just signed in."""
    claimed = 0
    clicks = ShareClick.objects.filter(pk__in=click_ids, visitor__isnull=True).select_related(
        "link"
    )
    for click in clicks:
        is_self = click.link.sharer_id == user.pk
        with transaction.atomic():
            moved = ShareClick.objects.filter(pk=click.pk, visitor__isnull=True).update(
                visitor=user, is_self=is_self
            )
            claimed += moved
            if moved and is_self:
                _reverse_click_rewards(click)
    return claimed


def _reverse_click_rewards(click: ShareClick) -> None:
    """The sharer clicked their own link while signed out: what that click earned goes back
    (self-clicks earn nothing), paid points clawed back once."""
    for reward in ShareReward.objects.filter(click=click, kind=RewardKind.CLICK):
        was_granted = ShareReward.objects.filter(pk=reward.pk, status=RewardStatus.GRANTED).update(
            status=RewardStatus.REVERSED, decided_at=timezone.now()
        )
        if was_granted and reward.points_key:
            points_clawback(
                award_key=reward.points_key, idempotency_key=f"{reward.points_key}:self"
            )
        else:
            ShareReward.objects.filter(pk=reward.pk, status=RewardStatus.HELD).update(
                status=RewardStatus.VOID, decided_at=timezone.now()
            )


def share_registration_record(
    *, click_id: int, invitee: User, now: datetime | None = None
) -> ShareReward | None:
    """A member who registered after opening a share link: the sharer's invite reward (once per
    invitee, within the attribution window, held when the device or IP is farming)."""
    now = now or timezone.now()
    click = ShareClick.objects.select_related("link").filter(pk=click_id).first()
    if click is None or click.link.sharer_id == invitee.pk:
        return None
    if now - click.clicked_at > timedelta(days=settings.FEEDS_SHARE_WINDOW_DAYS):
        return None
    link = click.link
    with transaction.atomic():
        ShareClick.objects.filter(pk=click.pk, visitor__isnull=True).update(visitor=invitee)
        click.visitor = invitee
        reward = _new_reward(
            key=f"registration:{invitee.pk}",
            link=link,
            sharer_id=link.sharer_id,
            kind=RewardKind.REGISTRATION,
            status=RewardStatus.HELD,
            hold_reason=HoldReason.NONE,
            points=settings.INVITE_REGISTRATION_POINTS,
            visitor=invitee,
            click=click,
            points_key=f"invite:registered:{invitee.pk}",
        )
        if reward is None:
            return None
        sign_up_attribute(
            user_id=invitee.pk, channel="share_link", sharer_id=link.sharer_id, code=link.code
        )
        farming = link.earns_rewards and _farming(link.sharer_id, click, now)
        if not farming:
            # PRODUCT §14: the invitee's side of the invite, as with an invite code.
            transaction.on_commit(lambda: coupons_invitee_issue(user_id=invitee.pk))
        if not link.earns_rewards:
            ShareReward.objects.filter(pk=reward.pk).update(status=RewardStatus.VOID, points=0)
        elif farming:
            ShareReward.objects.filter(pk=reward.pk).update(hold_reason=HoldReason.FRAUD)
        elif invitee.invited_by_id not in (None, link.sharer_id):
            # The invite code of somebody else was used at registration: they were paid.
            ShareReward.objects.filter(pk=reward.pk).update(
                status=RewardStatus.VOID, hold_reason=HoldReason.ALREADY_INVITED, points=0
            )
        else:
            _grant(reward, from_reasons=(HoldReason.NONE,))
    reward.refresh_from_db()
    return reward


def share_registration_by_code(
    *, code: str, invitee: User, visitor: Visitor, now: datetime | None = None
) -> ShareReward | None:
    """An app's registration naming the link it came through: the app's own anonymous click from
    this IP within the window is claimed, or else the registration itself is the click."""
    now = now or timezone.now()
    link = ShareLink.objects.filter(code=code, is_active=True).first()
    if link is None:
        return None
    earlier = None
    if visitor.ip:
        earlier = (
            ShareClick.objects.filter(
                link=link,
                visitor__isnull=True,
                ip_hash=_hash(visitor.ip),
                clicked_at__gte=now - timedelta(days=settings.FEEDS_SHARE_WINDOW_DAYS),
            )
            .order_by("-clicked_at")
            .values_list("pk", flat=True)
            .first()
        )
    if earlier is not None:
        share_clicks_claim(click_ids=[earlier], user=invitee)
        click_id = earlier
    else:
        click = share_click_record(code=code, visitor=visitor, now=now)
        if click is None:
            return None
        click_id = click.pk
    return share_registration_record(click_id=click_id, invitee=invitee, now=now)


def _order_points(total: Decimal) -> int:
    rate = Decimal(str(settings.FEEDS_SHARE_ORDER_RATE))
    # "2 % of the paid amount as points", valued like points at checkout (100 points = ¥1).
    return int((total * rate * POINTS_PER_YUAN).to_integral_value(ROUND_DOWN))


def _order_click(*, buyer_id: int, share_code: str, now: datetime) -> ShareClick | None:
    """The click an order came through: the buyer's last click on the order's own link, or, for an
    order that names none (web checkout, group buys, flash sales), the buyer's last click on any
    member's link (last-click attribution, as checkout attributes creators)."""
    clicks = share_clicks_list_for_buyer(buyer_id=buyer_id, now=now)
    if share_code:
        clicks = clicks.filter(link__code=share_code)
    return clicks.select_related("link").order_by("-clicked_at", "-pk").first()


def share_order_paid(
    *, order_id: int, buyer_id: int, total: Decimal, share_code: str, now: datetime | None = None
) -> ShareReward | None:
    """Hold the first-order reward of the share link an order came through until it completes."""
    now = now or timezone.now()
    click = _order_click(buyer_id=buyer_id, share_code=share_code, now=now)
    if click is None:
        return None  # the buyer opened no (such) link within the window
    link = click.link
    # The last click decides alone: when its link cannot earn, no earlier link is paid instead.
    if not link.earns_rewards or link.sharer_id == buyer_id:
        return None  # self-purchases earn nothing
    if _is_creator(link.sharer_id):
        return None  # creators earn commission on the order instead
    points = _order_points(Decimal(total))
    if points <= 0:
        return None
    with transaction.atomic():
        reward = _new_reward(
            key=f"order:{link.sharer_id}:{buyer_id}",
            link=link,
            sharer_id=link.sharer_id,
            kind=RewardKind.ORDER,
            status=RewardStatus.HELD,
            hold_reason=HoldReason.PENDING_COMPLETION,
            points=points,
            visitor_id=buyer_id,
            click=click,
            order_id=order_id,
            amount=Decimal(total),
            points_key=f"share:order:{order_id}",
        )
        if reward is not None and _farming(link.sharer_id, click, now):
            ShareReward.objects.filter(pk=reward.pk).update(hold_reason=HoldReason.FRAUD)
    return reward


def share_order_completed(*, order_id: int) -> bool:
    """Pay the held first-order reward of a completed order (once, even when told twice)."""
    reward = ShareReward.objects.filter(order_id=order_id, kind=RewardKind.ORDER).first()
    if reward is None:
        return False
    with transaction.atomic():
        ShareReward.objects.filter(pk=reward.pk).update(order_completed=True)
        return _grant(reward, from_reasons=(HoldReason.PENDING_COMPLETION,))


def share_order_refunded(*, order_id: int) -> bool:
    """Reverse the first-order reward of a refunded order: held ones are dropped, paid ones
    clawed back (once)."""
    reward = ShareReward.objects.filter(order_id=order_id, kind=RewardKind.ORDER).first()
    if reward is None:
        return False
    with transaction.atomic():
        was_granted = ShareReward.objects.filter(pk=reward.pk, status=RewardStatus.GRANTED).update(
            status=RewardStatus.REVERSED, decided_at=timezone.now()
        )
        if was_granted:
            points_clawback(
                award_key=reward.points_key, idempotency_key=f"{reward.points_key}:reversed"
            )
            return True
        return bool(
            ShareReward.objects.filter(pk=reward.pk, status=RewardStatus.HELD).update(
                status=RewardStatus.REVERSED, decided_at=timezone.now()
            )
        )


def _flagged_rewards(flag: ShareFraudFlag, status: str = RewardStatus.HELD):
    field = "click__ip_hash" if flag.signal == "ip" else "click__device_hash"
    return ShareReward.objects.filter(
        sharer_id=flag.sharer_id,
        status=status,
        hold_reason=HoldReason.FRAUD,
        **{field: flag.signal_hash},
    )


def _release(reward: ShareReward) -> int:
    if reward.kind == RewardKind.ORDER and not reward.order_completed:
        # Not fraud, but the order must still complete before it pays.
        return ShareReward.objects.filter(pk=reward.pk, hold_reason=HoldReason.FRAUD).update(
            hold_reason=HoldReason.PENDING_COMPLETION
        )
    return int(_grant(reward, from_reasons=(HoldReason.FRAUD,)))


def _settle_flag(flag: ShareFraudFlag, *, release: bool, actor: User | None) -> int:
    """Close an open flag: release pays its held rewards, void drops them; 0 when it was closed
    already (a second decision changes nothing)."""
    decided = 0
    now = timezone.now()
    with transaction.atomic():
        closed = ShareFraudFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
            resolved_at=now,
            resolved_by=actor,
            resolution="released" if release else "voided",
        )
        if not closed:
            return 0
        for reward in _flagged_rewards(flag):
            if release:
                decided += _release(reward)
            else:
                # Stamped with the flag's own time: a reversed decision finds exactly these.
                decided += ShareReward.objects.filter(
                    pk=reward.pk, status=RewardStatus.HELD
                ).update(status=RewardStatus.VOID, decided_at=now)
    flag.refresh_from_db()
    return decided


def share_fraud_resolve(*, actor: User, flag: ShareFraudFlag, release: bool) -> int:
    """Staff and moderators decide a farming flag (the admin's actions): release pays the held
    rewards, void drops them: the same moves as the moderation queue's approve and remove."""
    if not can_moderate_content(actor):
        raise FeedsPermissionDeniedError("Only staff and moderators can decide fraud flags.")
    return _settle_flag(flag, release=release, actor=actor)


def share_fraud_release(*, flag: ShareFraudFlag) -> int:
    """The queue approved a fraud flag (not farming), or an appeal reversed its voiding: the
    rewards it held are paid (an order's once the order completes). Rewards a reversed decision
    had voided are paid too; a flag already released changes nothing."""
    if flag.resolved_at is None:
        return _settle_flag(flag, release=True, actor=None)
    if flag.resolution != "voided":
        return 0
    decided = 0
    with transaction.atomic():
        reopened = ShareFraudFlag.objects.filter(pk=flag.pk, resolution="voided").update(
            resolution="released"
        )
        voided_by_flag = _flagged_rewards(flag, status=RewardStatus.VOID).filter(
            decided_at=flag.resolved_at
        )
        if reopened:
            for reward in voided_by_flag:
                back = ShareReward.objects.filter(pk=reward.pk, status=RewardStatus.VOID).update(
                    status=RewardStatus.HELD, decided_at=None
                )
                if back:
                    reward.status = RewardStatus.HELD
                    decided += _release(reward)
    flag.refresh_from_db()
    return decided


def share_fraud_void(*, flag: ShareFraudFlag) -> int:
    """The queue removed a fraud flag (farming): the rewards it held are never paid. Rewards an
    earlier release already paid are not clawed back."""
    return _settle_flag(flag, release=False, actor=None)


def share_link_hide(*, link: ShareLink) -> bool:
    """Moderation takes a share link down: ``/s/<code>`` answers 404 and records nothing (its
    sharer still sees it in their list). Soft: ``share_link_restore`` opens it again."""
    changed = ShareLink.objects.filter(pk=link.pk, is_active=True).update(is_active=False)
    link.refresh_from_db(fields=["is_active"])
    return bool(changed)


def share_link_restore(*, link: ShareLink) -> bool:
    """A moderator approves a reported share link or reverses its removal."""
    changed = ShareLink.objects.filter(pk=link.pk, is_active=False).update(is_active=True)
    link.refresh_from_db(fields=["is_active"])
    return bool(changed)


def share_clicks_for_buyer(buyer_id: int, now: datetime) -> list[tuple[int, datetime, bool]]:
    """The buyer's share-link clicks within the window, for checkout's creator attribution."""
    rows = list(
        share_clicks_list_for_buyer(buyer_id=buyer_id, now=now).values_list(
            "link__sharer_id", "clicked_at"
        )
    )
    creators = set(
        RoleGrant.objects.filter(
            user_id__in={sharer for sharer, _ in rows}, role="creator"
        ).values_list("user_id", flat=True)
    )
    return [(sharer, at, sharer in creators) for sharer, at in rows]
