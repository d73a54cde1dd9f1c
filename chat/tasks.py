from celery import shared_task
from django.db.models import Q

from chat.models import LiveStatus, LiveStream, LiveSubscription, Message, RoomKind, RoomMember
from chat.selectors.live import live_notify_batch_size
from chat.selectors.presence import online_user_ids
from chat.services import live_video
from chat.services.live import live_likes_persist
from community.models import Follow, User
from community.services.notifications import notification_send
from realtime.publish import enqueue_on_commit


@shared_task(name="chat.tasks.message_notify")
def message_notify(message_id: int) -> int:
    """Notify a message's mentioned members and a direct room's peer who are offline; safe to
    run twice."""
    message = (
        Message.objects.select_related("room", "sender")
        .filter(pk=message_id, deleted_at__isnull=True, hidden_at__isnull=True)
        .first()
    )
    if message is None or message.sender is None:  # bot messages notify nobody
        return 0
    sender_user = message.sender
    room = message.room
    members = RoomMember.objects.filter(room=room).exclude(user_id=sender_user.pk)
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
    # PRODUCT §10: the inbox is for members who are away; one with a live socket gets the message
    # (and its unread badge) in realtime already.
    for user_id in online_user_ids(recipients):
        del recipients[user_id]
    sender = sender_user.display_name or sender_user.username
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


@shared_task(name="chat.tasks.livestream_notify_followers")
def livestream_notify_followers(stream_id: int, after_follower_id: int = 0) -> int:
    """Tell the host's followers and the stream's subscribers that it is live, one batch per run
    in member-id order; the next batch is queued by this run. Safe to run twice: each
    notification is deduplicated per stream."""
    stream = LiveStream.objects.select_related("host").filter(pk=stream_id).first()
    if stream is None or stream.status != LiveStatus.LIVE:
        return 0
    size = live_notify_batch_size()
    followers = Follow.objects.filter(followee_id=stream.host_id).values("follower_id")
    subscribers = LiveSubscription.objects.filter(stream_id=stream.pk).values("user_id")
    recipient_ids = list(
        User.objects.filter(is_active=True, pk__gt=after_follower_id)
        .filter(Q(pk__in=followers) | Q(pk__in=subscribers))
        .exclude(pk=stream.host_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    host = stream.host.public_name
    for user_id in recipient_ids:
        notification_send(
            user_id=user_id,
            type="livestream_started",
            title=f"{host} is live: {stream.title}",
            body=stream.title[:140],
            data={"livestream": stream.pk, "url": f"/live/{stream.pk}/"},
            dedupe_key=f"chat.livestream:{stream.pk}:started",
        )
    if len(recipient_ids) == size:
        enqueue_on_commit("chat.tasks.livestream_notify_followers", stream_id, recipient_ids[-1])
    return len(recipient_ids)


@shared_task(name="chat.tasks.live_likes_sweep")
def live_likes_sweep() -> int:
    """Every minute: persist cached likes of live streams (the flusher does it every second
    while anybody watches; this covers streams nobody watches through this process)."""
    ids = list(LiveStream.objects.filter(status=LiveStatus.LIVE).values_list("pk", flat=True))
    for stream_id in ids:
        live_likes_persist(stream_id=stream_id)
    return len(ids)


@shared_task(name="chat.tasks.live_replay_remux")
def live_replay_remux(stream_id: int, path: str) -> bool:
    """A livestream's recording is closed: make its replay (HLS VOD) for viewers."""
    return live_video.live_replay_remux(stream_id=stream_id, path=path)
