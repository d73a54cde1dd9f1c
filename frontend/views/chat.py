"""Chat pages: read through chat's selectors; every write goes through the REST API."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie

from chat.exceptions import NotAMemberError
from chat.selectors import rooms as chat_selectors
from chat.selectors.rooms import read_receipts_max_members, typing_max_members

ROOM_LIST_SIZE = 50


@login_required
@ensure_csrf_cookie
def chat_list_page(request):
    memberships = list(chat_selectors.my_rooms(user=request.user)[:ROOM_LIST_SIZE])
    chat_selectors.rooms_decorate(memberships, user=request.user)
    rows = [
        {
            "membership": m,
            "room": m.room,
            "title": chat_selectors.room_display_title(m.room, getattr(m.room, "peer", None)),
            "unread": max(0, m.room.last_seq - m.last_read_seq),
            "last_message": getattr(m.room, "last_message", None),
            "peer_id": getattr(getattr(m.room, "peer", None), "pk", None),
        }
        for m in memberships
    ]
    return render(request, "frontend/chat/list.html", {"rows": rows})


@login_required
@ensure_csrf_cookie
def chat_room_page(request, room_id: int):
    try:
        room, membership = chat_selectors.room_get_for_member(room_id=room_id, user=request.user)
    except NotAMemberError as exc:
        raise PermissionDenied(exc.detail) from exc
    peer = chat_selectors.direct_peer(room=room, user=request.user)
    member_count = chat_selectors.room_member_count(room_id=room.pk)
    context = {
        "room": room,
        "membership": membership,
        "title": chat_selectors.room_display_title(room, peer),
        "peer": peer,
        "member_count": member_count,
        "read_receipts": member_count <= read_receipts_max_members(),
        "typing": member_count <= typing_max_members(),
    }
    return render(request, "frontend/chat/room.html", context)


@login_required
@ensure_csrf_cookie
def chat_new_page(request):
    """The target of every "Message" button: opens (or creates) the direct room via the API."""
    username = request.GET.get("user", "").strip()
    if not username:
        return redirect("/chat/")
    return render(request, "frontend/chat/new.html", {"username": username})
