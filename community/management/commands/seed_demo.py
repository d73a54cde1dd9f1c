"""Create (or top up) a believable little world for the demo; safe to run again and again."""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from community.demo.accounts import avatar_png
from community.demo.insights import seed_history
from community.demo.registry import seeders
from community.models import Role, User
from community.services.accounts import role_grant, user_ensure_invite_code

# username, display name, bio, roles, superuser
DEMO_ACCOUNTS = [
    (
        "admin",
        "运营小管",
        "Tuanju staff: campaigns, coupons and the numbers behind them.",
        [Role.STAFF],
        True,
    ),
    (
        "mod",
        "Mod 小林",
        "Keeps the community kind. Report anything that looks off.",
        [Role.MODERATOR],
        False,
    ),
    (
        "support",
        "客服 Amy",
        "Support agent: orders, refunds and after-sales.",
        [Role.SUPPORT_AGENT],
        False,
    ),
    (
        "creator",
        "美食家 Lily",
        "Home cook from Chengdu. Group buys of the spices I use every day.",
        [Role.CREATOR],
        False,
    ),
    (
        "leader",
        "跑团 阿杰",
        "Runs the Sunday morning running community in Hangzhou.",
        [Role.COMMUNITY_LEADER],
        False,
    ),
    ("alice", "Alice 王", "Coffee, film cameras and weekend hikes.", [], False),
    ("bob", "Bob 李", "Dad of two. I team up for diapers and fruit.", [], False),
    ("carol", "Carol 陈", "Skincare notes and honest reviews.", [], False),
]

GIVEN = ["小明", "晓华", "Lina", "阿强", "Mei", "Jun", "佳佳", "Tao", "小雨", "Kai", "Yan", "子涵"]
INTERESTS = ["baking", "running", "skincare", "tea", "photography", "hiking", "parenting", "gaming"]


class Command(BaseCommand):
    help = "Load demo data (idempotent). --users N adds N extra members for volume tests."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=0, help="extra generated members")
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--history-days",
            type=int,
            default=0,
            help="also write N days of insights events (visits, orders, shares) ending today",
        )

    def handle(self, *args, users: int, batch: int, quiet: bool, history_days: int, **options):
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            for username, display_name, bio, roles, superuser in DEMO_ACCOUNTS:
                self._ensure_account(username, display_name, bio, roles, superuser, password)
        for _name, seeder in seeders():
            seeder(self.stdout)
        if users:
            self._generate_members(users, batch, quiet, password)
        if history_days:
            seed_history(self.stdout, days=history_days, quiet=quiet)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {User.objects.count()} members."))
        self.stdout.write(f"Demo accounts (password: {password}):")
        for username, display_name, _, roles, superuser in DEMO_ACCOUNTS:
            role_names = ", ".join(role.value for role in roles) or "member"
            self.stdout.write(
                f"  {username:<8} {display_name}  [{role_names}{', superuser' if superuser else ''}]"
            )

    def _ensure_account(self, username, display_name, bio, roles, superuser, password):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "bio": bio,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        if not user.avatar:
            user.avatar.save(f"{username}.png", avatar_png(username, display_name), save=True)
        for role in roles:
            role_grant(actor=None, user=user, role=role)
        user_ensure_invite_code(user=user)

    def _generate_members(self, count, batch, quiet, password):
        existing = User.objects.filter(username__startswith="member").count()
        hashed = make_password(password)  # one hash for all generated members keeps this fast
        rng = random.Random(2026)
        progress = tqdm(total=count, disable=quiet, desc="members", unit="user")
        start = existing
        while start < existing + count:
            stop = min(start + batch, existing + count)
            User.objects.bulk_create(
                [
                    User(
                        username=f"member{n:07d}",
                        display_name=f"{rng.choice(GIVEN)}{n % 1000}",
                        bio=f"Into {rng.choice(INTERESTS)} and {rng.choice(INTERESTS)}.",
                        password=hashed,
                    )
                    for n in range(start, stop)
                ],
                ignore_conflicts=True,
            )
            progress.update(stop - start)
            start = stop
        progress.close()
