"""Support pages: the member's conversations, one conversation, and the agents' console.
Reads through chat's selectors; every write goes through the REST API."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from chat.exceptions import NotAMemberError, NotYourConversationError
from chat.selectors import rooms as chat_selectors
from chat.selectors import support as support_selectors
from chat.selectors.support import is_agent


@login_required
@ensure_csrf_cookie
def support_page(request):
    context = {
        "conversations": list(support_selectors.support_conversations_of(user=request.user)[:50]),
        "faq": list(support_selectors.faq_list()[:20]),
        "is_agent": is_agent(request.user),
    }
    return render(request, "frontend/support/index.html", context)


@login_required
@ensure_csrf_cookie
def support_conversation_page(request, conversation_id: int):
    try:
        conversation = support_selectors.support_conversation_get(
            conversation_id=conversation_id, viewer=request.user
        )
        room, membership = chat_selectors.room_get_for_member(
            room_id=conversation.room_id, user=request.user
        )
    except (NotAMemberError, NotYourConversationError) as exc:
        raise PermissionDenied(exc.detail) from exc
    context = {
        "conversation": conversation,
        "room": room,
        "membership": membership,
        "title": room.title,
        "member_count": chat_selectors.room_member_count(room_id=room.pk),
        "read_receipts": True,
        "typing": True,
        "is_member": conversation.member_id == request.user.pk,
        "is_agent": is_agent(request.user),
    }
    return render(request, "frontend/support/conversation.html", context)


@login_required
@ensure_csrf_cookie
def support_agent_page(request):
    if not is_agent(request.user):
        raise PermissionDenied("Only support agents see the queue.")
    queue = list(support_selectors.support_queue(viewer=request.user)[:100])
    first = support_selectors.first_messages(queue)
    context = {
        "queue": [
            {"c": c, "preview": first[c.room_id].body[:120] if c.room_id in first else ""}
            for c in queue
        ],
        "assigned": list(support_selectors.support_conversations_assigned(agent=request.user)),
    }
    return render(request, "frontend/support/agent.html", context)
