"""The notification inbox: a durable per-user stream with seq, pushed live on ``user:<id>``.

Beside it, the adapters for what leaves the machine (email, SMS and push); the console backend
prints.
"""

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from community import events
from community.models import Notification, NotificationPreference, NotificationStream
from realtime.publish import enqueue_on_commit, send_to_user_on_commit

log = structlog.get_logger(__name__)


class ConsoleChannel:
    """Writes the message to the log instead of sending it (the default, and the sandbox)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[dict] = []

    def send(self, *, user, title: str, body: str) -> None:
        message = {"to": user.username, "title": title, "body": body}
        self.sent.append(message)
        log.info("notification.external", channel=self.name, **message)


_channels: dict[str, ConsoleChannel] = {}


def channel(name: str):
    if name not in _channels:
        backend = settings.NOTIFICATION_CHANNELS.get(
            name, "community.services.notifications.ConsoleChannel"
        )
        _channels[name] = import_string(backend)(name)
    return _channels[name]


def external_channels_for(notification_type: str) -> list[str]:
    return list(settings.NOTIFICATION_EXTERNAL_TYPES.get(notification_type, []))


def notification_send(
    *,
    user_id: int,
    type: str,
    title: str,
    body: str = "",
    data: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Append a notification to the member's inbox and push it once committed.

    Muted types are not delivered. With ``dedupe_key`` the same source never notifies twice, even
    when two callers race.
    """
    if NotificationPreference.objects.filter(user_id=user_id, type=type, muted=True).exists():
        return None
    try:
        with transaction.atomic():
            NotificationStream.objects.bulk_create(
                [NotificationStream(user_id=user_id)], ignore_conflicts=True
            )
            # The UPDATE takes the stream row's lock, so concurrent senders get consecutive seqs
            # in commit order.
            NotificationStream.objects.filter(user_id=user_id).update(last_seq=F("last_seq") + 1)
            seq = NotificationStream.objects.values_list("last_seq", flat=True).get(user_id=user_id)
            notification = Notification.objects.create(
                user_id=user_id,
                seq=seq,
                type=type,
                title=title,
                body=body,
                data=data or {},
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return Notification.objects.get(user_id=user_id, dedupe_key=dedupe_key)
    send_to_user_on_commit(
        user_id,
        events.NOTIFICATION_CREATED,
        events.notification_payload(notification),
        seq=notification.seq,
    )
    if external_channels_for(type):
        enqueue_on_commit("community.tasks.deliver_notification_externally", notification.pk)
    return notification


def notifications_send_many(
    *,
    user_ids,
    type: str,
    title: str,
    body: str = "",
    data: dict | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """``notification_send`` to many members in a fixed number of queries however many there are
    (the reporters of one moderation decision); muted types and ``dedupe_key`` as there."""
    ids = sorted(set(user_ids))
    muted = NotificationPreference.objects.filter(user_id__in=ids, type=type, muted=True)
    skip = set(muted.values_list("user_id", flat=True))
    ids = [user_id for user_id in ids if user_id not in skip]
    if not ids:
        return []
    with transaction.atomic():
        NotificationStream.objects.bulk_create(
            [NotificationStream(user_id=user_id) for user_id in ids], ignore_conflicts=True
        )
        # The stream rows' locks, taken in user order, order this batch with every other sender
        # to these members (as notification_send's UPDATE does for one): seqs stay consecutive.
        streams = list(
            NotificationStream.objects.select_for_update()
            .filter(user_id__in=ids)
            .order_by("user_id")
        )
        if dedupe_key is not None:
            told = Notification.objects.filter(user_id__in=ids, dedupe_key=dedupe_key)
            already = set(told.values_list("user_id", flat=True))
            streams = [stream for stream in streams if stream.user_id not in already]
        for stream in streams:
            stream.last_seq += 1
        NotificationStream.objects.bulk_update(streams, ["last_seq"])
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    user_id=stream.user_id,
                    seq=stream.last_seq,
                    type=type,
                    title=title,
                    body=body,
                    data=data or {},
                    dedupe_key=dedupe_key,
                )
                for stream in streams
            ]
        )
    external = bool(external_channels_for(type))
    for notification in notifications:
        send_to_user_on_commit(
            notification.user_id,
            events.NOTIFICATION_CREATED,
            events.notification_payload(notification),
            seq=notification.seq,
        )
        if external:
            enqueue_on_commit("community.tasks.deliver_notification_externally", notification.pk)
    return notifications


@transaction.atomic
def notifications_mark_read(
    *, user, up_to_seq: int | None = None, seqs: list[int] | None = None
) -> int:
    """Mark the member's notifications read (all up to a seq, or the listed seqs); returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if up_to_seq is not None:
        unread = unread.filter(seq__lte=up_to_seq)
    if seqs is not None:
        unread = unread.filter(seq__in=seqs)
    changed = unread.update(read_at=timezone.now())
    if changed:
        send_to_user_on_commit(user.pk, events.NOTIFICATION_READ, {"unread_count": _unread(user)})
    return changed


def _unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def notification_preferences_set(*, user, muted: dict[str, bool]) -> None:
    """Mute or unmute notification types for the member."""
    for type_, is_muted in muted.items():
        NotificationPreference.objects.update_or_create(
            user=user, type=type_, defaults={"muted": is_muted}
        )
