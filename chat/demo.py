"""Demo chat: alice and bob's direct room, a group room, the demo communities' rooms, FAQ
entries, a support conversation, and the creator's scheduled and live streams.

Idempotent: messages carry fixed client_msg_ids, so a second run sends nothing new. Runs after
community's seeder (order 40), whose communities already exist.
"""

from datetime import timedelta

from django.utils import timezone

from chat.models import FaqEntry, LiveStatus, LiveStream, Room, SupportConversation
from chat.services import (
    message_send,
    room_community_ensure,
    room_direct_get_or_create,
    room_group_create,
)
from chat.services.live import (
    live_comment_post,
    livestream_create,
    livestream_start,
    livestream_update,
)
from chat.services.support import support_conversation_open
from community.models import Community, User
from groupbuy.selectors import product_list

DIRECT = [
    ("alice", "Bob! Are you joining the Sunday run?"),
    ("bob", "Yes, 7:00 at West Lake, right?"),
    ("alice", "Right. Bring the gels from the group buy 😄"),
    ("bob", "Got them. Did you see the new running shoes deal?"),
    ("alice", "Saw it, 3 more people and the price drops to ¥299"),
    ("bob", "I'll ask Carol, she wanted new shoes"),
    ("alice", "Great, send her the team link"),
    ("bob", "Done. Also, coffee after the run?"),
    ("alice", "Always. The place by Broken Bridge?"),
    ("bob", "Yes, they have the Yunnan beans now"),
    ("alice", "Perfect. I'll bring my film camera too"),
    ("bob", "Which one, the Pentax?"),
    ("alice", "The Pentax, with Portra 400"),
    ("bob", "Nice, see you Sunday"),
    ("alice", "See you! 👋"),
]

GROUP = ("Weekend crew 周末小队", "alice", ["bob", "carol"])
GROUP_MESSAGES = [
    ("alice", "Welcome to the weekend crew!"),
    ("carol", "Hi all, thanks for adding me"),
    ("bob", "@carol the shoes team link is in my last message to Alice 😉"),
    ("alice", "@all hike on Saturday if the weather holds"),
]


def _send(room: Room, users: dict[str, User], script: list[tuple[str, str]], prefix: str) -> int:
    sent = 0
    for n, (name, body) in enumerate(script):
        _, created = message_send(
            actor=users[name],
            room=room,
            body=body,
            client_msg_id=f"demo-{prefix}-{n}",
            throttle=False,  # a script, not a flood
        )
        sent += created
    return sent


def seed_chat(stdout) -> None:
    names = {"alice", "bob", "carol"}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if set(users) != names:
        stdout.write("chat: demo users missing, skipped")
        return
    direct, _ = room_direct_get_or_create(actor=users["alice"], other=users["bob"])
    sent = _send(direct, users, DIRECT, "direct")
    title, owner, members = GROUP
    group = Room.objects.filter(kind="group", title=title, created_by=users[owner]).first()
    if group is None:
        group = room_group_create(
            actor=users[owner], title=title, members=[users[m] for m in members]
        )
    sent += _send(group, users, GROUP_MESSAGES, "group")
    rooms = 0
    for community_id in Community.objects.order_by("id").values_list("id", flat=True):
        rooms += room_community_ensure(community_id=community_id) is not None
    faq = seed_faq()
    streams = seed_live(users)
    if not SupportConversation.objects.filter(member=users["carol"]).exists():
        support_conversation_open(
            actor=users["carol"], body="Where is my parcel? It has been 3 days."
        )
    stdout.write(
        f"chat: {sent} demo messages, {rooms} community rooms, {faq} FAQ entries, "
        f"livestreams {streams}"
    )


FAQ = [
    (
        "Where is my parcel?",
        "Orders ship within 48 hours of payment; the tracking number appears on the order page "
        "as soon as the courier picks it up.",
        "parcel, shipping, delivery, tracking, 快递, 物流",
    ),
    (
        "How do refunds work?",
        "Open the order and tap “Ask for a refund”. Refunds of unshipped orders are immediate; "
        "points and coupons come back too.",
        "refund, return, money back, 退款",
    ),
    (
        "How does a group buy (拼团) work?",
        "Open or join a team at the group price; when the team fills in time everyone's order "
        "ships. If it does not, everyone is refunded automatically.",
        "group buy, team, 拼团",
    ),
]


def seed_faq() -> int:
    for sort, (question, answer, keywords) in enumerate(FAQ):
        FaqEntry.objects.get_or_create(
            question=question, defaults={"answer": answer, "keywords": keywords, "sort": sort}
        )
    return FaqEntry.objects.count()


LIVE_COMMENTS = [
    ("alice", "晚上好 Lily! 🌶"),
    ("bob", "How spicy is the new chili oil?"),
    ("carol", "Just ordered two jars"),
]


def seed_live(users: dict[str, User]) -> str:
    host = User.objects.filter(username="creator").first()
    if host is None:
        return "skipped (no creator)"
    now = timezone.now()
    upcoming = LiveStream.objects.filter(host=host, title="Sunday dumpling class").first()
    if upcoming is None:
        livestream_create(
            actor=host,
            title="Sunday dumpling class",
            starts_at=now + timedelta(days=2),
            stream_url="https://media.example.com/live/dumplings.m3u8",
        )
    live = LiveStream.objects.filter(host=host, title="Chili oil, live from Chengdu").first()
    if live is None:
        live = livestream_create(
            actor=host,
            title="Chili oil, live from Chengdu",
            starts_at=now,
            # A public test stream, so the demo's <video> plays something.
            stream_url="https://test-streams.mux.dev/x36xhzz/x36xhzz.m3u8",
        )
    if live.status == LiveStatus.SCHEDULED:
        live = livestream_start(actor=host, stream=live)
    product = product_list(viewer=host).order_by("id").first()
    if product is not None and live.pinned_product_id is None:
        livestream_update(actor=host, stream=live, pinned_product_id=product.pk)
    if live.status == LiveStatus.LIVE:
        for n, (name, body) in enumerate(LIVE_COMMENTS):
            live_comment_post(
                actor=users[name], stream=live, body=body, client_msg_id=f"demo-live-{n}"
            )
    return f"/live/{live.pk}/ (live), 1 scheduled"
