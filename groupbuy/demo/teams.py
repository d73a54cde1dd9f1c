"""Demo group buys, built through the real services (idempotent): a live campaign with a forming
team, one that succeeded, one that failed and was refunded, and a platform-filled one."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community.models import User
from groupbuy.demo.catalog import staff_actor
from groupbuy.models import Campaign, Product, ProductStatus, Refund, Team, TeamMember
from groupbuy.services.payments import payment_create, sandbox_payment_complete
from groupbuy.services.refunds import refund_process
from groupbuy.services.teams import campaign_create, team_expire, team_join, team_open


def _pay(order) -> None:
    payment = payment_create(actor=order.buyer, order_id=order.pk)
    sandbox_payment_complete(actor=order.buyer, payment_id=payment.pk)


def _expire_now(team: Team) -> None:
    # Demo history: this team's window is made to have passed, then it is settled for real.
    Team.objects.filter(pk=team.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    team_expire(team_id=team.pk)
    for refund in Refund.objects.filter(order__team_member__team=team, status="pending"):
        refund_process(refund_id=refund.pk)  # no worker runs while seeding


def seed_teams(stdout) -> None:
    staff = staff_actor()
    people = {
        u.username: u for u in User.objects.filter(username__in=["alice", "bob", "carol", "leader"])
    }
    products = list(
        Product.objects.filter(status=ProductStatus.ACTIVE, stock__gt=20).order_by("-pk")
    )
    if staff is None or len(people) < 4 or len(products) < 2:
        stdout.write("groupbuy.teams: demo accounts or catalog missing, group buys not seeded.")
        return
    if Campaign.objects.exists():
        stdout.write("groupbuy.teams: demo group buys already there.")
        return
    now = timezone.now()
    crabs = campaign_create(
        actor=staff,
        product_id=products[0].pk,
        title=f"{products[0].title} · 3-person group buy",
        group_price=(products[0].price * Decimal("0.7")).quantize(Decimal("0.01")),
        team_size=3,
        team_window_minutes=24 * 60,
        stock=200,
        per_user_limit=3,
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=14),
        platform_fill=True,
    )
    # Succeeded: three paid seats.
    won = team_open(actor=people["alice"], campaign_id=crabs.pk)
    _pay(won.order)
    for name in ("bob", "carol"):
        _pay(team_join(actor=people[name], team_id=won.team.pk).order)
    # Failed: only the leader paid before the window closed.
    lost = team_open(actor=people["bob"], campaign_id=crabs.pk)
    _pay(lost.order)
    _expire_now(lost.team)
    # Platform-filled: two of three paid.
    filled = team_open(actor=people["carol"], campaign_id=crabs.pk)
    _pay(filled.order)
    _pay(team_join(actor=people["alice"], team_id=filled.team.pk).order)
    _expire_now(filled.team)
    # Forming right now: Alice leads, one seat paid, two to go.
    forming = team_open(actor=people["alice"], campaign_id=crabs.pk)
    _pay(forming.order)
    campaign_create(
        actor=staff,
        product_id=products[1].pk,
        title=f"{products[1].title} · pair up",
        group_price=(products[1].price * Decimal("0.8")).quantize(Decimal("0.01")),
        team_size=2,
        team_window_minutes=120,
        stock=50,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=7),
    )
    seats = TeamMember.objects.filter(team__campaign=crabs).count()
    stdout.write(f"groupbuy.teams: 2 campaigns, 4 teams ({seats} seats): /campaigns/{crabs.pk}/")
