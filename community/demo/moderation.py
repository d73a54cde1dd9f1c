"""Demo moderation (idempotent): watched words, a reported profile hidden by its reports, an item
a moderator has claimed, a removal the author has appealed, and entries in the public log.

Runs the real services, so weights, notifications and the audit log are what production makes.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from community.models import Decision, ModerationItem, User, WatchedWord
from community.services.moderation.decisions import appeal_create, item_claim, item_decide
from community.services.moderation.reports import report_create
from community.services.moderation.words import watched_word_add

WORDS = [
    ("刷单", "block"),
    ("加微信", "censor"),
    ("代购", "require_approval"),
    ("免费领取", "flag"),
]

# username, display name, bio: members whose profiles were reported
SUSPECTS = [
    ("cheap_watch_88", "名表特价 工厂直销", "高仿名表 私聊发链接 支持货到付款"),
    ("lucky_draw_bot", "抽奖小助手", "点我主页链接 免费抽 iPhone"),
    ("tea_seller_li", "李记茶庄", "明前龙井 自家茶园 朋友圈看实拍"),
]


def _member(username: str, display_name: str, bio: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "bio": bio,
            "password": make_password(settings.DEMO_PASSWORD),
        },
    )
    return user


def _reported(suspect: User, reporters: list[User], category: str, note: str) -> ModerationItem:
    for reporter in reporters:
        if not suspect.pk or reporter.moderation_reports.filter(target_id=suspect.pk).exists():
            continue
        report_create(
            reporter=reporter,
            target_type="user",
            target_id=suspect.pk,
            category=category,
            note=note,
        )
    return ModerationItem.objects.filter(target_type="user", target_id=suspect.pk).latest("pk")


def seed_moderation(stdout) -> None:
    moderator = User.objects.get(username="mod")
    alice, bob, carol = (User.objects.get(username=name) for name in ("alice", "bob", "carol"))
    for word, action in WORDS:
        if not WatchedWord.objects.filter(word=word, action=action).exists():
            watched_word_add(actor=moderator, word=word, action=action)
    watches, lucky, tea = (_member(*row) for row in SUSPECTS)

    # Hidden by three reports, waiting for a moderator.
    _reported(watches, [alice, bob, carol], "scam", "卖假表")
    # Claimed by the demo moderator, not decided yet.
    item = _reported(lucky, [bob], "spam", "主页全是抽奖链接")
    if item.status == "pending":
        item_claim(moderator=moderator, item_id=item.pk)
    # Removed, then appealed by the author: the appeal waits in the queue.
    if not Decision.objects.filter(target_type="user", target_id=tea.pk).exists():
        item = _reported(tea, [alice, carol], "ip", "盗用我的茶园照片")
        item_decide(
            moderator=moderator,
            item_id=item.pk,
            action="remove",
            reason="资料中的照片为他人作品",
            version=item.version,
        )
        appeal_create(
            author=tea,
            decision_id=Decision.objects.get(item=item).pk,
            body="照片是我自己拍的，可以提供原图。",
        )
    stdout.write("  moderation: watched words, reported profiles, a claimed item, an appeal")
