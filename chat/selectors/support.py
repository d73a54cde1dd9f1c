"""Reads of the support desk: a member's conversations, the agents' queue, FAQ, feedback."""

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from chat.exceptions import NotAnAgentError, NotYourConversationError
from chat.models import FaqEntry, Feedback, Message, SupportConversation, SupportStatus
from community.models import Role
from community.selectors import user_roles


def feedback_points() -> int:
    """Points for product feedback that staff accept (PRODUCT.md §11)."""
    return int(getattr(settings, "SUPPORT_FEEDBACK_POINTS", 50))


def is_agent(user) -> bool:
    return user is not None and user.is_authenticated and Role.SUPPORT_AGENT in user_roles(user)


def is_staff(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or Role.STAFF in user_roles(user)


def _conversations() -> QuerySet[SupportConversation]:
    return SupportConversation.objects.select_related("member", "agent", "room")


def support_conversations_of(*, user) -> QuerySet[SupportConversation]:
    return _conversations().filter(member_id=user.pk).order_by("-id")


def support_conversations_assigned(*, agent) -> QuerySet[SupportConversation]:
    return _conversations().filter(agent_id=agent.pk, status=SupportStatus.CLAIMED).order_by("id")


def support_queue(*, viewer) -> QuerySet[SupportConversation]:
    """Waiting conversations, Platinum (the highest tier priority) first, then the oldest."""
    if not is_agent(viewer):
        raise NotAnAgentError()
    return (
        _conversations()
        .filter(status=SupportStatus.WAITING)
        .order_by("-priority", "requested_at", "id")
    )


def support_conversation_get(*, conversation_id: int, viewer) -> SupportConversation:
    """The conversation for its member or any agent: 404 when missing, 403 for anyone else."""
    conversation = get_object_or_404(_conversations(), pk=conversation_id)
    if conversation.member_id != viewer.pk and not is_agent(viewer):
        raise NotYourConversationError()
    return conversation


def first_messages(conversations: list[SupportConversation]) -> dict[int, Message]:
    """The opening message of each conversation (one query), for queue previews."""
    rooms = [c.room_id for c in conversations]
    return {
        m.room_id: m
        for m in Message.objects.filter(
            room_id__in=rooms, seq=1, hidden_at__isnull=True
        ).select_related("sender")
    }


def faq_list() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_active=True).order_by("sort", "id")


def feedback_list(*, viewer) -> QuerySet[Feedback]:
    """Staff see every piece of feedback; members see their own."""
    rows = Feedback.objects.select_related("user").order_by("-id")
    return rows if is_staff(viewer) else rows.filter(user_id=viewer.pk)


def feedback_get(*, feedback_id: int) -> Feedback:
    return get_object_or_404(Feedback, pk=feedback_id)
