"""A believable event history for the insights dashboard (``seed_demo --history-days N``).

The demo members and a crowd of synthetic ones (``fan000``…) visit, browse, buy, share and team
up over the last N business days: more on weekends and in the evening, a cohort that signed up
in a burst and mostly left again, product views that turn into orders at a few per cent, share
links that bring in new members. Everything is drawn from generators seeded by the day and the
member, and every event id is derived from the same key, so a second run adds nothing; a day
already written is skipped whole (its first event id exists).
"""

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from community.models import Event, User
from community.selectors.loyalty import business_today, start_of_day
from community.services.insights.events import event_build, sign_up_event_id, stable_event_id

SYNTHETIC = 220  # members beside the demo accounts
DEMO_MEMBERS = ["alice", "bob", "carol", "creator", "leader"]
CHUNK = 2000
# Monday .. Sunday: people browse and buy more at the weekend.
WEEKDAY = [0.85, 0.85, 0.9, 0.95, 1.1, 1.35, 1.3]
# Share of a day's sessions starting in each hour (Shanghai): lunch and the evening peak.
HOURS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2.2, 2.2, 2.8, 3.6, 3, 2.2, 2, 2.2, 2.6, 3, 4,
         5, 5.4, 4.4, 2.4]  # fmt: skip
LEVELS = {"high": 0.75, "medium": 0.35, "low": 0.1}
CHANNELS = [("organic", 5), ("share_link", 3), ("invite", 2)]


@dataclass
class Member:
    user_id: int
    key: str
    joined: date
    level: str
    churns_on: date | None


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _members(days: int, today: date) -> list[Member]:
    first = today - timedelta(days=days - 1)
    people = []
    for username in DEMO_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            people.append(Member(user.pk, username, first - timedelta(days=60), "high", None))
    rng = random.Random("fans")
    hashed = make_password(None)  # unusable: these members exist for the numbers only
    fans = []
    for n in range(SYNTHETIC):
        # A third were members before the window; the rest joined during it, with a burst
        # (a campaign) in its second quarter whose members mostly drifted away.
        if n < SYNTHETIC // 3:
            joined = first - timedelta(days=rng.randint(1, 90))
        elif n < SYNTHETIC // 2:
            joined = first + timedelta(days=days // 4 + rng.randint(0, max(days // 4, 1)))
        else:
            joined = first + timedelta(days=rng.randint(0, days - 1))
        fans.append((n, joined))
    User.objects.bulk_create(
        [
            User(
                username=f"fan{n:03d}",
                display_name=f"团友 {n:03d}",
                password=hashed,
                date_joined=start_of_day(joined) + timedelta(hours=12),
            )
            for n, joined in fans
        ],
        ignore_conflicts=True,
    )
    # What an earlier run stored wins (its window may have been longer), so that each day's
    # events come out the same on every run.
    stored = {
        username: (pk, business_today(joined_at))
        for username, pk, joined_at in User.objects.filter(username__startswith="fan").values_list(
            "username", "pk", "date_joined"
        )
    }
    for n, _ in fans:
        user_id, joined = stored[f"fan{n:03d}"]
        level = rng.choices(list(LEVELS), weights=[2, 4, 4])[0]
        burst = SYNTHETIC // 3 <= n < SYNTHETIC // 2
        churns = (burst and rng.random() < 0.7) or rng.random() < 0.08
        churns_on = joined + timedelta(days=rng.randint(3, 14)) if churns else None
        people.append(Member(user_id, f"fan{n:03d}", joined, level, churns_on))
    return people


class DayWriter:
    """One day's events, each with an id derived from its key."""

    def __init__(self, day: date, now: datetime):
        self.day = day
        self.now = now
        self.events: list[Event] = []

    def add(self, name: str, key: str, at: datetime, *, user_id=None, visitor="", **props):
        if at > self.now:
            return
        self.events.append(
            event_build(
                name,
                user_id=user_id,
                visitor_id=visitor,
                properties=props,
                at=at,
                event_id=stable_event_id(f"demo:{key}:{name}"),
            )
        )


def _session(w: DayWriter, rng: random.Random, key: str, at: datetime, who: dict, paths: int):
    """One visit: a session start, then pages at human pace (20 s to 4 min apart)."""
    w.add("session_start", f"{key}:s", at, **who, path="/")
    for step in range(paths):
        at += timedelta(seconds=rng.randint(20, 240))
        kind = rng.random()
        if kind < 0.3:
            product = rng.randint(1, 40)
            w.add("product_view", f"{key}:{step}", at, **who, product_id=product, via="page")
            w.add("page_view", f"{key}:{step}:p", at, **who, path=f"/products/{product}/")
            if "user_id" in who and rng.random() < 0.07:
                _order(w, rng, f"{key}:{step}", at, who, product)
        elif kind < 0.5:
            post = rng.randint(1, 120)
            w.add("post_view", f"{key}:{step}", at, **who, post_id=post, author_id=0)
            w.add("page_view", f"{key}:{step}:p", at, **who, path=f"/posts/{post}/")
            if "user_id" in who and rng.random() < 0.2:
                w.add("like", f"{key}:{step}:l", at, **who, post_id=post, author_id=0)
            if "user_id" in who and rng.random() < 0.06:
                w.add("comment", f"{key}:{step}:c", at, **who, post_id=post, reply=False)
        elif kind < 0.6:
            w.add("search", f"{key}:{step}", at, **who, q=rng.choice(["茶", "coffee", "蟹"]))
        else:
            w.add("page_view", f"{key}:{step}", at, **who, path=rng.choice(["/", "/live/"]))
    return at


def _order(w: DayWriter, rng: random.Random, key: str, at: datetime, who: dict, product: int):
    order_id = int(stable_event_id(key).int % 10**8)
    amount = f"{rng.choice([19.9, 39.9, 59.9, 99, 128]) * rng.randint(1, 2):.2f}"
    group = rng.random() < 0.35
    props = {"order_id": order_id, "amount": amount, "kind": "group" if group else "regular"}
    at += timedelta(seconds=rng.randint(30, 120))
    w.add("order_created", key, at, **who, **props, items=1, product_id=product)
    if group:
        team = {"team_id": order_id, "campaign_id": product % 6 + 1, "order_id": order_id}
        w.add("team_open", key, at, **who, **team, amount=amount)
        if rng.random() < 0.65:  # the team filled up later that day
            done = at + timedelta(minutes=rng.randint(10, 180))
            w.add("team_succeed", key, done, **who, **team, members=3, platform_filled=False)
    if rng.random() > 0.8:
        return  # left unpaid: the funnel's drop-off
    at += timedelta(seconds=rng.randint(20, 300))
    w.add("order_paid", key, at, **who, **props)
    if rng.random() < 0.3:
        w.add("coupon_redeem", key, at, **who, **props)
    if rng.random() < 0.05:
        later = at + timedelta(days=1)
        w.add("refund", key, later, **who, **props, refund_id=order_id, whole_order=True)
    else:
        w.add("order_completed", key, at + timedelta(days=rng.randint(3, 6)), **who, **props)


def _member_day(w: DayWriter, m: Member, sharers: list[int]) -> None:
    day = w.day
    rng = random.Random(f"{day}:{m.key}")
    who = {"user_id": m.user_id}
    midnight = start_of_day(day)
    if day == m.joined and m.key.startswith("fan"):
        channel = _pick(random.Random(m.key), CHANNELS)
        props: dict = {"channel": channel}
        if channel != "organic" and sharers:
            sharer = random.Random(m.key).choice(sharers)
            props["sharer_id" if channel == "share_link" else "inviter_id"] = sharer
        at = midnight + timedelta(hours=rng.choices(range(24), weights=HOURS)[0])
        w.events.append(
            event_build(
                "sign_up",
                user_id=m.user_id,
                properties=props,
                at=at,
                event_id=sign_up_event_id(m.user_id),
            )
        )
        _session(w, rng, f"{day}:{m.key}:0", at, who, rng.randint(3, 8))
        return
    if day < m.joined or (m.churns_on is not None and day >= m.churns_on):
        return
    tenure = (day - m.joined).days
    chance = LEVELS[m.level] * WEEKDAY[day.weekday()] * (1.0 if tenure > 7 else 1.2)
    if rng.random() > min(chance, 0.95):
        return
    sessions = 1 + (rng.random() < 0.35) + (m.level == "high" and rng.random() < 0.3)
    hours = sorted(rng.choices(range(24), weights=HOURS, k=sessions))
    for n, hour in enumerate(hours):
        at = midnight + timedelta(hours=hour, minutes=rng.randint(0, 59) + n * 31)
        end = _session(w, rng, f"{day}:{m.key}:{n}", at, who, rng.randint(2, 12))
        if n == 0 and rng.random() < 0.45:
            w.add("checkin", f"{day}:{m.key}", at, **who, streak=1, points=5)
        if rng.random() < 0.25:
            w.add("chat_message", f"{day}:{m.key}:{n}", end, **who, room_kind="direct")
        if rng.random() < 0.05:
            w.add("coupon_claim", f"{day}:{m.key}:{n}", end, **who, source="claim")
        if rng.random() < 0.04:
            w.add("points_spend", f"{day}:{m.key}:{n}", end, **who, points=100, reason="redeem")
        if rng.random() < 0.08:
            code = f"D{stable_event_id(f'{day}:{m.key}:{n}').hex[:7]}"
            w.add("share", f"{day}:{m.key}:{n}", end, **who, code=code, target_type="post")
            for click in range(rng.randint(0, 4)):
                clicked = end + timedelta(minutes=rng.randint(1, 300))
                visitor = f"shr{stable_event_id(f'{code}:{click}').hex[:16]}"
                w.add(
                    "share_click", f"{code}:{click}", clicked, visitor=visitor, code=code,
                    sharer_id=m.user_id, is_self=False, target_type="post",
                )  # fmt: skip
    if rng.random() < 0.01:
        w.add("support_rating", f"{day}:{m.key}", midnight + timedelta(hours=15), **who,
              rating=rng.choice([3, 4, 5, 5, 5]), satisfied=True)  # fmt: skip


def _visitors_day(w: DayWriter) -> None:
    rng = random.Random(f"{w.day}:visitors")
    for n in range(int(45 * WEEKDAY[w.day.weekday()])):
        visitor = f"demo{stable_event_id(f'{w.day}:{n}').hex[:16]}"
        hour = rng.choices(range(24), weights=HOURS)[0]
        at = start_of_day(w.day) + timedelta(hours=hour, minutes=rng.randint(0, 59))
        _session(w, rng, f"{w.day}:v{n}", at, {"visitor": visitor}, rng.randint(1, 4))


def _chunks(events: list[Event]) -> Iterator[list[Event]]:
    for start in range(0, len(events), CHUNK):
        yield events[start : start + CHUNK]


class _Bar:
    """tqdm when it is installed, else a line on stderr."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.done, self.quiet = total, 0, quiet
        try:
            from tqdm import tqdm

            self.tqdm = tqdm(total=total, disable=quiet, desc="history", unit="day")
        except ImportError:  # pragma: no cover - tqdm is a dependency of seed_demo
            self.tqdm = None

    def update(self) -> None:
        self.done += 1
        if self.tqdm is not None:
            self.tqdm.update(1)
        elif not self.quiet:
            filled = 30 * self.done // self.total
            sys.stderr.write(
                f"\rhistory [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
            )

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()
        elif not self.quiet:
            sys.stderr.write("\n")


def seed_history(stdout, *, days: int, quiet: bool = False) -> int:
    """Write ``days`` business days of events ending today; returns how many were new."""
    if days <= 0:
        return 0
    now = timezone.now()
    today = business_today(now)
    members = _members(days, today)
    sharers = [m.user_id for m in members if m.level == "high"]
    written = 0
    bar = _Bar(days, quiet)
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        w = DayWriter(day, now)
        for member in members:
            _member_day(w, member, sharers)
        _visitors_day(w)
        if w.events and Event.objects.filter(event_id=w.events[0].event_id).exists():
            bar.update()  # written by an earlier run
            continue
        with transaction.atomic():
            for chunk in _chunks(w.events):
                Event.objects.bulk_create(chunk, ignore_conflicts=True)
        written += len(w.events)
        bar.update()
    bar.close()
    stdout.write(f"Insights history: {written} events over {days} days.")
    return written
