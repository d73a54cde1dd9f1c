"""The support desk: conversations (support rooms), the FAQ bot, the agents' queue, feedback.

A conversation is a room of kind ``support``, so its messages use the message machinery (seq,
replay, idempotency, read state). The member is in the room from the start; an agent joins when
they claim it and leaves when they transfer it.
"""

from django.db import transaction
from django.utils import timezone

from chat import events
from chat.exceptions import (
    AlreadyClaimedError,
    AlreadyRatedError,
    FeedbackAlreadyReviewedError,
    InvalidSupportStateError,
    NotAnAgentError,
    NotStaffError,
    NotYourConversationError,
    NotYourOrderError,
)
from chat.models import (
    FaqEntry,
    Feedback,
    FeedbackStatus,
    Message,
    Room,
    RoomKind,
    RoomMember,
    RoomRole,
    SupportConversation,
    SupportStatus,
)
from chat.selectors.support import feedback_points, is_agent, is_staff
from chat.services.messages import message_post_bot, message_send
from community.models import TierBenefit, User
from community.services.insights.events import track
from community.services.loyalty import points_award
from groupbuy.selectors.orders import order_get_summary
from realtime.publish import broadcast_on_commit, revoke_on_commit

HANDOFF_TEXT = (
    "Not what you needed? Tap “Talk to a person” and an agent will join this conversation."
)
NO_MATCH_TEXT = "I could not find an answer to that. An agent will join this conversation soon."


def faq_match(text: str) -> FaqEntry | None:
    """The active entry with the most keywords found in ``text`` (ties: the lower sort)."""
    lowered = text.lower()
    best, best_hits = None, 0
    for entry in FaqEntry.objects.filter(is_active=True).order_by("sort", "id"):
        hits = sum(1 for keyword in entry.keyword_list() if keyword in lowered)
        if hits > best_hits:
            best, best_hits = entry, hits
    return best


def _priority(member: User) -> int:
    benefit = TierBenefit.objects.filter(tier=member.tier).values_list(
        "support_priority", flat=True
    )
    return benefit.first() or 0


def _announce(conversation: SupportConversation) -> None:
    broadcast_on_commit(
        events.room_topic(conversation.room_id),
        events.SUPPORT_UPDATED,
        events.support_payload(conversation),
    )


def support_conversation_open(
    *, actor: User, body: str, order_id: int | None = None, client_msg_id: str = ""
) -> SupportConversation:
    """Open a conversation (optionally about one of the member's orders); the FAQ bot answers."""
    if order_id is not None:
        order = order_get_summary(order_id=order_id)
        if order is None or order.buyer_id != actor.pk:
            raise NotYourOrderError()
    if client_msg_id:
        # A retried open (same client_msg_id) is the same conversation, not a second one.
        opened = (
            SupportConversation.objects.filter(
                room__messages__sender=actor, room__messages__client_msg_id=client_msg_id
            )
            .select_related("room")
            .first()
        )
        if opened is not None:
            return opened
    with transaction.atomic(durable=True):
        room = Room.objects.create(kind=RoomKind.SUPPORT, title="Support", created_by=actor)
        RoomMember.objects.create(room=room, user=actor, role=RoomRole.MEMBER)
        conversation = SupportConversation.objects.create(
            room=room, member=actor, order_id=order_id, priority=_priority(actor)
        )
        room.title = f"Support #{conversation.pk}"
        room.save(update_fields=["title"])
    try:
        message_send(
            actor=actor,
            room=room,
            body=body,
            client_msg_id=client_msg_id or f"support-{conversation.pk}-open",
            card=("order", order_id) if order_id is not None else None,
            throttle=False,
            answer=False,  # answered right below, with the order in view
        )
    except Exception:
        # The opening message is the conversation: without it, nothing was opened.
        room.delete()
        raise
    entry = faq_match(body)
    if entry is not None:
        message_post_bot(room=room, body=f"{entry.answer}\n\n{HANDOFF_TEXT}", key="faq-1")
    else:
        # Nothing the bot can say: straight into the queue, no extra tap needed.
        message_post_bot(room=room, body=NO_MATCH_TEXT, key="no-match")
        support_handoff(actor=actor, conversation=conversation)
        conversation.refresh_from_db()
    return conversation


def support_bot_follow_up(message: Message) -> None:
    """While the bot has the conversation, it answers each of the member's messages: from the
    FAQ when a keyword matches, otherwise it hands the member to a person."""
    conversation = (
        SupportConversation.objects.filter(room_id=message.room_id).select_related("member").first()
    )
    if (
        conversation is None
        or conversation.status != SupportStatus.BOT
        or message.sender_id != conversation.member_id
    ):
        return
    entry = faq_match(message.body)
    if entry is not None:
        message_post_bot(
            room=message.room, body=f"{entry.answer}\n\n{HANDOFF_TEXT}", key=f"faq-{message.seq}"
        )
        return
    message_post_bot(room=message.room, body=NO_MATCH_TEXT, key=f"no-match-{message.seq}")
    support_handoff(actor=conversation.member, conversation=conversation)


def support_handoff(*, actor: User, conversation: SupportConversation) -> SupportConversation:
    """ "Talk to a person": the conversation joins the agents' queue (idempotent)."""
    if conversation.member_id != actor.pk:
        raise NotYourConversationError()
    with transaction.atomic():
        changed = SupportConversation.objects.filter(
            pk=conversation.pk, status=SupportStatus.BOT
        ).update(status=SupportStatus.WAITING, requested_at=timezone.now())
        conversation.refresh_from_db()
        if not changed and conversation.status == SupportStatus.CLOSED:
            raise InvalidSupportStateError()
        if changed:
            _announce(conversation)
    return conversation


def support_claim(*, actor: User, conversation: SupportConversation) -> SupportConversation:
    """An agent takes a waiting conversation; of concurrent claims exactly one wins."""
    if not is_agent(actor):
        raise NotAnAgentError()
    now = timezone.now()
    with transaction.atomic(durable=True):
        # The conditional UPDATE is the arbiter: the row lock makes a second claimer re-check
        # status after the first commits, and find it no longer waiting.
        won = SupportConversation.objects.filter(
            pk=conversation.pk, status=SupportStatus.WAITING
        ).update(status=SupportStatus.CLAIMED, agent=actor, claimed_at=now)
        if not won:
            raise AlreadyClaimedError()
        RoomMember.objects.bulk_create(
            [RoomMember(room_id=conversation.room_id, user=actor, role=RoomRole.ADMIN)],
            ignore_conflicts=True,
        )
        conversation.refresh_from_db()
        _announce(conversation)
    return conversation


def support_transfer(
    *, actor: User, conversation: SupportConversation, to: User
) -> SupportConversation:
    """The assigned agent hands the conversation to another agent."""
    if not is_agent(actor):
        raise NotAnAgentError()
    if not is_agent(to):
        raise NotAnAgentError("You can transfer only to another support agent.")
    with transaction.atomic(durable=True):
        moved = SupportConversation.objects.filter(
            pk=conversation.pk, status=SupportStatus.CLAIMED, agent=actor
        ).update(agent=to, claimed_at=timezone.now())
        if not moved:
            raise InvalidSupportStateError("Only the assigned agent may transfer it.")
        if to.pk != actor.pk:
            RoomMember.objects.filter(room_id=conversation.room_id, user=actor).delete()
            revoke_on_commit(actor.pk, events.room_topic(conversation.room_id))
            RoomMember.objects.bulk_create(
                [RoomMember(room_id=conversation.room_id, user=to, role=RoomRole.ADMIN)],
                ignore_conflicts=True,
            )
        conversation.refresh_from_db()
        _announce(conversation)
    return conversation


def support_close(*, actor: User, conversation: SupportConversation) -> SupportConversation:
    """The member or the assigned agent closes the conversation (closing twice changes nothing)."""
    if actor.pk not in (conversation.member_id, conversation.agent_id):
        raise NotYourConversationError()
    with transaction.atomic(durable=True):
        changed = (
            SupportConversation.objects.filter(pk=conversation.pk)
            .exclude(status=SupportStatus.CLOSED)
            .update(status=SupportStatus.CLOSED, closed_at=timezone.now())
        )
        conversation.refresh_from_db()
        if changed:
            _announce(conversation)
    return conversation


def support_rate(
    *, actor: User, conversation: SupportConversation, rating: int, feedback: str = ""
) -> SupportConversation:
    """The member rates a closed conversation once (1-5) and may say why."""
    if actor.pk != conversation.member_id:
        raise NotYourConversationError()
    with transaction.atomic(durable=True):
        rated = SupportConversation.objects.filter(
            pk=conversation.pk, status=SupportStatus.CLOSED, rating__isnull=True
        ).update(rating=rating, rating_feedback=feedback)
        conversation.refresh_from_db()
        if not rated:
            if conversation.status != SupportStatus.CLOSED:
                raise InvalidSupportStateError("Rate the conversation once it is closed.")
            raise AlreadyRatedError()
        track(
            "support_rating",
            actor,
            {"conversation_id": conversation.pk, "rating": rating, "satisfied": rating >= 4},
        )
    return conversation


# --- feedback -------------------------------------------------------------------------------------


def feedback_create(*, actor: User, body: str, product_id: int | None = None) -> Feedback:
    """Anyone signed in sends product feedback."""
    return Feedback.objects.create(user=actor, body=body, product_id=product_id)


def feedback_review(*, actor: User, feedback: Feedback, accept: bool) -> Feedback:
    """Staff accept (points to the author, exactly once) or reject feedback."""
    if not is_staff(actor):
        raise NotStaffError()
    target = FeedbackStatus.ACCEPTED if accept else FeedbackStatus.REJECTED
    points = feedback_points() if accept else 0
    with transaction.atomic(durable=True):
        changed = Feedback.objects.filter(pk=feedback.pk, status=FeedbackStatus.NEW).update(
            status=target, reviewed_by=actor, reviewed_at=timezone.now(), points_awarded=points
        )
        feedback.refresh_from_db()
        if not changed and feedback.status != target:
            raise FeedbackAlreadyReviewedError()
        if changed and accept and points:
            # The key makes a replayed accept (or an admin double-click) pay once.
            points_award(
                user_id=feedback.user_id,
                amount=points,
                reason="admin",
                idempotency_key=f"chat.feedback:{feedback.pk}",
                source_type="feedback",
                source_id=str(feedback.pk),
                note="Accepted product feedback",
                actor=actor,
            )
    return feedback
