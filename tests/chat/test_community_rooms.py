"""A community's room follows the community: created with it, joined, left, roles, demo seed."""

import io

import pytest

from chat.demo.rooms import seed_chat
from chat.models import Message, Room, RoomMember
from community.services.communities import (
    community_create,
    community_join,
    community_leave,
    community_member_role_set,
)
from tests.chat.conftest import member

pytestmark = pytest.mark.django_db


def _roles(room) -> dict[str, str]:
    return {
        m.user.username: m.role for m in RoomMember.objects.filter(room=room).select_related("user")
    }


def test_community_room_follows_membership_signals(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        community = community_create(actor=alice, name="Runners")
    room = Room.objects.get(community=community)
    assert (room.kind, room.title, _roles(room)) == ("community", "Runners", {"alice": "owner"})

    with django_capture_on_commit_callbacks(execute=True):
        community_join(actor=bob, community=community)
    assert _roles(room) == {"alice": "owner", "bob": "member"}

    with django_capture_on_commit_callbacks(execute=True):
        community_member_role_set(actor=alice, community=community, user_id=bob.pk, role="leader")
    assert _roles(room) == {"alice": "owner", "bob": "admin"}

    with django_capture_on_commit_callbacks(execute=True):
        community_leave(actor=bob, community=community)
    assert _roles(room) == {"alice": "owner"}


def test_seed_chat_is_idempotent(db):
    alice = member(username="alice")
    member(username="bob")
    member(username="carol")
    community_create(actor=alice, name="Film")  # its signal is not run here: the seeder catches up
    out = io.StringIO()

    seed_chat(out)
    counts = (Room.objects.count(), Message.objects.count(), RoomMember.objects.count())
    seed_chat(out)

    # direct, group, community and Carol's support room; the support room holds her question
    # and the FAQ bot's answer.
    assert counts == (4, 21, 7)
    assert (Room.objects.count(), Message.objects.count(), RoomMember.objects.count()) == counts
    direct = Room.objects.get(kind="direct")
    assert direct.last_seq == 15
    assert Room.objects.get(kind="community").members.get().user == alice


def test_seed_chat_makes_faq_streams_and_is_idempotent(db):
    from chat.models import FaqEntry, LiveComment, LiveStream, SupportConversation
    from tests.chat.conftest import grant

    for name in ("alice", "bob", "carol"):
        member(username=name)
    grant(member(username="creator"), "creator")
    out = io.StringIO()

    seed_chat(out)
    seed_chat(out)

    assert FaqEntry.objects.count() == 3
    assert sorted(LiveStream.objects.values_list("status", flat=True)) == ["live", "scheduled"]
    assert LiveComment.objects.count() == 3
    conversation = SupportConversation.objects.get()
    assert conversation.status == "bot"  # "parcel" matched the FAQ
