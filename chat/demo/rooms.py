"""Demo chat: alice and bob's direct room, a group room, the demo communities' rooms, FAQ
entries, a support conversation, and the creator's scheduled and live streams.

Idempotent: messages carry fixed client_msg_ids, so a second run sends nothing new. Runs after
community's seeder (order 40), whose communities already exist.
"""

from chat.demo.live import seed_live
from chat.demo.support import seed_faq, seed_support_conversation
from chat.models import Room
from chat.services.messages import message_send
from chat.services.rooms import (
    room_community_ensure,
    room_direct_get_or_create,
    room_group_create,
)
from community.models import Community, User

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
    seed_support_conversation(users)
    stdout.write(
        f"chat: {sent} demo messages, {rooms} community rooms, {faq} FAQ entries, "
        f"livestreams {streams}"
    )
