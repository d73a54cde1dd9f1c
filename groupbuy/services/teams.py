"""Group buying (拼团): campaigns, opening and joining teams, seats, success and failure.

Seats are taken by one conditional UPDATE (``seats_taken < team_size``), so with any number of
simultaneous joiners exactly ``team_size`` get in; campaign stock the same way. A seat is held by
the member's unpaid order and becomes paid with it; the payment that makes ``seats_paid`` reach
``team_size`` completes the team, once, under the team's row lock.

Lock order is always orders first, then the team: a payment locks its order and then the team
(``on_paid``), a cancellation its order and then the team (``release``), and expiry locks the
members' orders before the team. So the three can never deadlock each other.

Expiry is decided in one transaction: the team fails (or is platform-filled), unpaid seats are
cancelled and paid ones get their refund requested, all or nothing; the refunds themselves run
exactly once each (services/refunds.py). A per-team ETA task does it on time; the once-a-minute
sweeper guarantees it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from community.models import User
from community.selectors.communities import is_manager, membership_of
from community.services import notification_send
from community.services.insights.events import track
from groupbuy import events
from groupbuy.exceptions import (
    AlreadyMemberError,
    CampaignEndedError,
    CampaignNotFoundError,
    CampaignNotStartedError,
    CampaignSoldOutError,
    GroupLimitReachedError,
    NotCommunityMemberError,
    ProductUnavailableError,
    ShopNotFoundError,
    ShopPermissionDeniedError,
    TeamClosedError,
    TeamFullError,
)
from groupbuy.models import (
    Campaign,
    Order,
    OrderEvent,
    OrderKindChoice,
    OrderStatus,
    Product,
    ProductStatus,
    Team,
    TeamEvent,
    TeamMember,
    TeamMemberStatus,
    TeamStatus,
)
from groupbuy.selectors.catalog import is_staff
from groupbuy.services.orders import order_cancel, order_place_at_price, send_on_commit
from groupbuy.services.refunds import order_refund_request
from groupbuy.signals import team_failed, team_joined, team_member_left, team_opened, team_succeeded
from realtime.publish import enqueue_at_on_commit

ACTIVE_SEATS = [TeamMemberStatus.HELD, TeamMemberStatus.PAID]
# A seat counts against the member's limit only while its order still stands: a cancelled or
# refunded order (a failed team, a refund) frees the member to buy again.
LIVE_ORDER_STATES = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
]


@dataclass(frozen=True)
class Seat:
    team: Team
    order: Order


def campaign_create(
    *,
    actor: User,
    product_id: int,
    group_price: Decimal,
    team_size: int,
    stock: int,
    starts_at: datetime,
    ends_at: datetime,
    team_window_minutes: int | None = None,
    per_user_limit: int = 1,
    platform_fill: bool = False,
    leader_price: Decimal | None = None,
    community_id: int | None = None,
    title: str = "",
) -> Campaign:
    """Staff start a group-buy campaign; a community's owner or leader may run one inside it."""
    if community_id is not None:
        if not (is_staff(actor) or is_manager(community_id=community_id, user=actor)):
            raise ShopPermissionDeniedError("Only the community's leaders run its group buys.")
    elif not is_staff(actor):
        raise ShopPermissionDeniedError("Only staff create group-buy campaigns.")
    product = Product.objects.filter(
        pk=product_id, status=ProductStatus.ACTIVE, hidden_at__isnull=True
    ).first()
    if product is None:
        raise ShopNotFoundError("No such product on sale.")
    with transaction.atomic():
        return Campaign.objects.create(
            product=product,
            title=title or product.title,
            group_price=group_price,
            leader_price=leader_price,
            team_size=team_size,
            team_window_minutes=(
                settings.GROUPBUY_TEAM_WINDOW_MINUTES
                if team_window_minutes is None
                else team_window_minutes
            ),
            stock_total=stock,
            stock_remaining=stock,
            per_user_limit=per_user_limit,
            starts_at=starts_at,
            ends_at=ends_at,
            platform_fill=platform_fill,
            community_id=community_id,
            created_by=actor,
        )


def _check_campaign_open(campaign: Campaign, now: datetime) -> None:
    if now < campaign.starts_at:
        raise CampaignNotStartedError()
    if now >= campaign.ends_at:
        raise CampaignEndedError()


def _check_product_for_sale(campaign: Campaign) -> None:
    """A product moderation hid cannot be bought, at the group price either."""
    if Product.objects.filter(pk=campaign.product_id, hidden_at__isnull=False).exists():
        raise ProductUnavailableError("This product is not available.")


def _check_member_may_buy(campaign: Campaign, user: User) -> None:
    """Under the member's row lock: community membership and the per-member limit."""
    if campaign.community_id is not None:
        membership = membership_of(community_id=campaign.community_id, user_id=user.pk)
        if membership is None or membership.status != "active":
            raise NotCommunityMemberError()
    # The member's row lock serialises their own simultaneous opens and joins, so the count
    # below cannot be raced past the limit.
    # FOR NO KEY UPDATE: it still serialises the member's own opens and joins, but does not block
    # inserts that merely reference the member (notifications written while another of their
    # teams settles), which a plain FOR UPDATE would turn into a deadlock.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk").get()
    held = TeamMember.objects.filter(
        team__campaign=campaign,
        user=user,
        status__in=ACTIVE_SEATS,
        order__status__in=LIVE_ORDER_STATES,
    ).count()
    if held >= campaign.per_user_limit:
        raise GroupLimitReachedError()


def _take_campaign_stock(campaign: Campaign) -> None:
    taken = Campaign.objects.filter(pk=campaign.pk, stock_remaining__gte=1).update(
        stock_remaining=F("stock_remaining") - 1
    )
    if not taken:
        raise CampaignSoldOutError()


def _append_event(team: Team, event_type: str, data: dict) -> TeamEvent:
    """The team's next event in its durable stream, pushed once committed."""
    Team.objects.filter(pk=team.pk).update(last_seq=F("last_seq") + 1)
    seq = Team.objects.values_list("last_seq", flat=True).get(pk=team.pk)
    event = TeamEvent.objects.create(
        team_id=team.pk, seq=seq, type=event_type, data=events.event_data(team.pk, data)
    )
    events.publish_on_commit(event)
    return event


def team_open(*, actor: User, campaign_id: int, now: datetime | None = None) -> Seat:
    """Lead a new team by ordering at the group (or leader) price."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            raise CampaignNotFoundError()
        _check_campaign_open(campaign, now)
        _check_product_for_sale(campaign)
        _check_member_may_buy(campaign, actor)
        _take_campaign_stock(campaign)
        order = order_place_at_price(
            buyer=actor,
            product_id=campaign.product_id,
            quantity=1,
            unit_price=campaign.leader_price or campaign.group_price,
            kind=OrderKindChoice.GROUP,
            now=now,
        )
        team = Team.objects.create(
            campaign=campaign,
            leader=actor,
            team_size=campaign.team_size,
            seats_taken=1,
            # A team never outlives its campaign: joining closes when the campaign ends.
            expires_at=min(now + timedelta(minutes=campaign.team_window_minutes), campaign.ends_at),
        )
        TeamMember.objects.create(team=team, user=actor, order=order)
        _append_event(team, "opened", {"user_id": actor.pk})
        enqueue_at_on_commit("groupbuy.tasks.expire_team", team.expires_at, team.pk)
        send_on_commit(team_opened, team_id=team.pk, campaign_id=campaign.pk, leader_id=actor.pk)
        track("team_open", actor, _team_properties(team, order))
        return Seat(team=team, order=order)


def _team_properties(team: Team, order: Order) -> dict:
    return {
        "team_id": team.pk,
        "campaign_id": team.campaign_id,
        "order_id": order.pk,
        "amount": str(order.total),
    }


def _open_alternatives(team: Team, now: datetime) -> list[int]:
    return list(
        Team.objects.filter(
            campaign_id=team.campaign_id,
            status=TeamStatus.FORMING,
            expires_at__gt=now,
            seats_taken__lt=F("team_size"),
        )
        .exclude(pk=team.pk)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:5]
    )


def team_join(*, actor: User, team_id: int, now: datetime | None = None) -> Seat:
    """Take a seat in a forming team by ordering at the group price."""
    now = now or timezone.now()
    with transaction.atomic():
        team = Team.objects.select_related("campaign").filter(pk=team_id).first()
        if team is None:
            raise ShopNotFoundError()
        campaign = team.campaign
        if TeamMember.objects.filter(team=team, user=actor, status__in=ACTIVE_SEATS).exists():
            raise AlreadyMemberError()
        if team.status != TeamStatus.FORMING or team.expires_at <= now:
            raise TeamClosedError()
        _check_campaign_open(campaign, now)
        _check_product_for_sale(campaign)
        _check_member_may_buy(campaign, actor)
        seated = Team.objects.filter(
            pk=team.pk,
            status=TeamStatus.FORMING,
            expires_at__gt=now,
            seats_taken__lt=F("team_size"),
        ).update(seats_taken=F("seats_taken") + 1)
        if not seated:
            current = Team.objects.get(pk=team.pk)
            if current.status == TeamStatus.FORMING and current.expires_at > now:
                raise TeamFullError(alternatives=_open_alternatives(team, now))
            raise TeamClosedError()
        _take_campaign_stock(campaign)
        order = order_place_at_price(
            buyer=actor,
            product_id=campaign.product_id,
            quantity=1,
            unit_price=campaign.group_price,
            kind=OrderKindChoice.GROUP,
            now=now,
        )
        try:
            with transaction.atomic():
                TeamMember.objects.create(team=team, user=actor, order=order)
        except IntegrityError as exc:  # the same member joining twice at the same moment
            raise AlreadyMemberError() from exc
        _append_event(team, "joined", {"user_id": actor.pk})
        send_on_commit(team_joined, team_id=team.pk, user_id=actor.pk)
        track("team_join", actor, _team_properties(team, order))
        return Seat(team=team, order=order)


# --- the order-kind hooks (OrderKind), called inside the order's transaction -----------------


def team_seat_paid(order: Order) -> None:
    """A member's payment arrived: the seat is paid; the payment that fills the team completes it."""
    member = TeamMember.objects.filter(order=order).first()
    if member is None or member.status != TeamMemberStatus.HELD:
        return
    team = Team.objects.select_for_update().get(pk=member.team_id)
    TeamMember.objects.filter(pk=member.pk).update(
        status=TeamMemberStatus.PAID, paid_at=order.paid_at or timezone.now()
    )
    Team.objects.filter(pk=team.pk).update(seats_paid=F("seats_paid") + 1)
    team.refresh_from_db()
    _append_event(team, "member_paid", {"user_id": member.user_id})
    if team.status == TeamStatus.FORMING and team.seats_paid >= team.team_size:
        _succeed(team, platform_filled=False)


def team_seat_release(order: Order) -> None:
    """The member's order was cancelled or refunded: the unit goes back to the campaign, and the
    seat back to the team if it is still forming (called once per order by the order services)."""
    member = TeamMember.objects.filter(order=order).first()
    if member is None:
        return
    team = Team.objects.select_for_update().get(pk=member.team_id)  # team, then campaign: as joins
    Campaign.objects.filter(pk=team.campaign_id).update(stock_remaining=F("stock_remaining") + 1)
    team_seat_leave(order)


def team_seat_leave(order: Order) -> None:
    """The member gives up their seat while the team forms (order cancelled, or its refund asked
    for, so that a seat being refunded can never complete the team); leadership passes on."""
    member = TeamMember.objects.filter(order=order).first()
    if member is None:
        return
    team = Team.objects.select_for_update().get(pk=member.team_id)
    if team.status != TeamStatus.FORMING or member.status == TeamMemberStatus.LEFT:
        return
    was_paid = member.status == TeamMemberStatus.PAID
    TeamMember.objects.filter(pk=member.pk).update(status=TeamMemberStatus.LEFT)
    Team.objects.filter(pk=team.pk).update(
        seats_taken=F("seats_taken") - 1,
        seats_paid=F("seats_paid") - (1 if was_paid else 0),
    )
    send_on_commit(team_member_left, team_id=team.pk, user_id=member.user_id)
    if team.leader_id == member.user_id:
        successor = (
            TeamMember.objects.filter(team=team, status__in=ACTIVE_SEATS)
            .order_by("joined_at", "pk")
            .first()
        )
        if successor is None:
            _append_event(team, "left", {"user_id": member.user_id})
            _fail(team, reason="everyone left")
            return
        Team.objects.filter(pk=team.pk).update(leader_id=successor.user_id)
        _append_event(team, "left", {"user_id": member.user_id, "new_leader_id": successor.user_id})
    else:
        _append_event(team, "left", {"user_id": member.user_id})


def team_order_can_ship(order: Order) -> bool:
    return TeamMember.objects.filter(order=order, team__status=TeamStatus.SUCCEEDED).exists()


# --- outcomes -------------------------------------------------------------------------------


def _member_ids(team: Team) -> list[int]:
    # In user order: notifications lock each member's stream row, and two settlements sharing
    # members must take those locks in the same order.
    return list(
        TeamMember.objects.filter(team=team, status__in=ACTIVE_SEATS)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _notify(team: Team, user_ids: list[int], *, kind: str, title: str, body: str) -> None:
    for user_id in user_ids:
        notification_send(
            user_id=user_id,
            type=kind,
            title=title,
            body=body,
            data={"team_id": team.pk},
            dedupe_key=f"team:{team.pk}:{kind}:{user_id}",
        )


def _succeed(team: Team, *, platform_filled: bool) -> None:
    now = timezone.now()
    Team.objects.filter(pk=team.pk).update(
        status=TeamStatus.SUCCEEDED, closed_at=now, platform_filled=platform_filled
    )
    team.status = TeamStatus.SUCCEEDED
    members = _member_ids(team)
    # Each paid order moves on to shipping; its timeline says why it may now ship.
    OrderEvent.objects.bulk_create(
        [
            OrderEvent(
                order_id=order_id,
                from_status=OrderStatus.PAID,
                to_status=OrderStatus.PAID,
                note="team complete: ready to ship"
                + (" (one seat filled by the platform)" if platform_filled else ""),
            )
            for order_id in TeamMember.objects.filter(
                team=team, status=TeamMemberStatus.PAID
            ).values_list("order_id", flat=True)
        ]
    )
    _append_event(team, "succeeded", {"platform_filled": platform_filled})
    body = (
        "One seat was empty at the deadline: the platform filled it, as the campaign allows."
        if platform_filled
        else "Every seat is paid. Your order is on its way to the warehouse."
    )
    _notify(team, members, kind="team_succeeded", title="Your group buy succeeded", body=body)
    send_on_commit(
        team_succeeded, team_id=team.pk, member_ids=members, platform_filled=platform_filled
    )
    # One event per team (on its leader), so that success rate = team_succeed / team_open.
    track(
        "team_succeed",
        user_id=team.leader_id,
        properties={
            "team_id": team.pk,
            "campaign_id": team.campaign_id,
            "members": len(members),
            "platform_filled": platform_filled,
        },
    )


def _fail(team: Team, *, reason: str) -> None:
    Team.objects.filter(pk=team.pk).update(status=TeamStatus.FAILED, closed_at=timezone.now())
    team.status = TeamStatus.FAILED
    members = list(TeamMember.objects.filter(team=team, status__in=ACTIVE_SEATS))
    for member in members:
        # The seat's order goes back: an unpaid one is cancelled, a paid one refunded in full.
        if member.status == TeamMemberStatus.HELD:
            order_cancel(order_id=member.order_id, reason="team_failed")
        else:
            order_refund_request(
                actor=None, order_id=member.order_id, reason="team failed", by_staff=True
            )
    user_ids = [m.user_id for m in members]
    _append_event(team, "failed", {"reason": reason})
    track(
        "team_fail",
        user_id=team.leader_id,
        properties={"team_id": team.pk, "campaign_id": team.campaign_id, "reason": reason},
    )
    _notify(
        team,
        user_ids,
        kind="team_failed",
        title="Your group buy did not fill",
        body="Nothing is charged: any payment is being refunded in full.",
    )
    send_on_commit(team_failed, team_id=team.pk, member_ids=user_ids)


def team_expire(*, team_id: int, now: datetime | None = None) -> str | None:
    """Settle a team past its deadline: platform fill if allowed and one seat is missing, else
    fail and give every member's money back. Safe to run twice and concurrently."""
    now = now or timezone.now()
    with transaction.atomic():
        # Orders first, then the team (the module's lock order); a concurrent settler skips.
        order_ids = list(
            TeamMember.objects.filter(team_id=team_id)
            .order_by("order_id")
            .values_list("order_id", flat=True)
        )
        locked = list(
            Order.objects.select_for_update(skip_locked=True)
            .filter(pk__in=order_ids)
            .values_list("pk", flat=True)
        )
        if len(locked) != len(order_ids):
            return None  # someone else is settling (or paying into) this team right now
        # of=("self",): the campaign row, shared by all its teams, must not be locked here.
        team = (
            Team.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("campaign")
            .filter(pk=team_id)
            .first()
        )
        if team is None or team.status != TeamStatus.FORMING or team.expires_at > now:
            return None
        if team.seats_paid >= team.team_size:  # the last payment landed as the window closed
            _succeed(team, platform_filled=False)
            return TeamStatus.SUCCEEDED
        if team.campaign.platform_fill and team.seats_paid == team.team_size - 1:
            for member in TeamMember.objects.filter(team=team, status=TeamMemberStatus.HELD):
                order_cancel(order_id=member.order_id, reason="team_closed")
            _succeed(team, platform_filled=True)
            return TeamStatus.SUCCEEDED
        _fail(team, reason="expired")
        return TeamStatus.FAILED


def teams_expire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweeper: settle every forming team past its deadline (each once, even in parallel)."""
    now = now or timezone.now()
    due = Team.objects.filter(status=TeamStatus.FORMING, expires_at__lte=now).order_by("expires_at")
    settled = 0
    for team_id in list(due.values_list("pk", flat=True)[:limit]):
        if team_expire(team_id=team_id, now=now) is not None:
            settled += 1
    return settled
