from celery import shared_task

from chat.models import Message, RoomKind, RoomMember
from community.services.notifications import notification_send


@shared_task(name="chat.tasks.message_notify")
def message_notify(message_id: int) -> int:
    """Notify a message's mentioned members and a direct room's peer; safe to run twice."""
    message = (
        Message.objects.select_related("room", "sender")
        .filter(pk=message_id, deleted_at__isnull=True)
        .first()
    )
    if message is None:
        return 0
    room = message.room
    members = RoomMember.objects.filter(room=room).exclude(user_id=message.sender_id)
    recipients: dict[int, str] = {}
    if room.kind == RoomKind.DIRECT:
        for member in members:
            if not member.muted:
                recipients[member.user_id] = "direct_message"
    if message.mentions_all:
        for member in members:
            if not member.muted:
                recipients[member.user_id] = "mention"
    mentioned = set(message.mentions)
    for member in members:
        if member.user_id in mentioned:
            recipients[member.user_id] = "mention"
    sender = message.sender.display_name or message.sender.username
    where = "you" if room.kind == RoomKind.DIRECT else (room.title or "a room")
    for user_id, kind in recipients.items():
        title = (
            f"{sender} mentioned you in {where}"
            if kind == "mention"
            else f"New message from {sender}"
        )
        # The dedupe key per message makes a second run (a redelivered task) a no-op.
        notification_send(
            user_id=user_id,
            type=kind,
            title=title,
            body=message.body[:140],
            data={"room": room.pk, "message": message.pk, "seq": message.seq},
            dedupe_key=f"chat.message:{message.pk}",
        )
    return len(recipients)
