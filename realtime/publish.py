"""The only way out of a transaction: pushes to topics and Celery tasks, sent on commit.

Nothing else in the codebase calls ``group_send`` or enqueues a task directly, so a rolled-back
write can never announce itself.
"""

from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from celery import current_app
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from realtime.envelopes import envelope
from realtime.registry import group_name, user_topic
from realtime.relay import relay_message

EVENT_HANDLER = "realtime.event"


def broadcast_now(topic: str, event_type: str, data: dict[str, Any], *, seq: int | None = None):
    """Push an event to every socket subscribed to ``topic`` immediately (no transaction around)."""
    message = {"type": EVENT_HANDLER, "event": envelope(event_type, data, topic=topic, seq=seq)}
    _send_message(group_name(topic), message)


async def broadcast_async(
    topic: str, event_type: str, data: dict[str, Any], *, seq: int | None = None
) -> None:
    """``broadcast_now`` for code already running in an event loop (consumer-side tasks, such as
    a batching flusher); nothing transactional may call it."""
    message = {"type": EVENT_HANDLER, "event": envelope(event_type, data, topic=topic, seq=seq)}
    if settings.REALTIME_RELAY_URL:
        await sync_to_async(relay_message, thread_sensitive=False)(group_name(topic), message)
    else:
        await get_channel_layer().group_send(group_name(topic), message)


def deliver_to_group(group: str, message: dict[str, Any]) -> None:
    """Hand a message to this process's channel layer (also the landing point of the relay)."""
    async_to_sync(get_channel_layer().group_send)(group, message)


def broadcast_on_commit(
    topic: str, event_type: str, data: dict[str, Any], *, seq: int | None = None, using=None
) -> None:
    """Push an event to ``topic`` once the current transaction commits (at once outside one)."""
    # robust: the write already committed; a lost push is recovered by the client's after_seq
    # gap-fill, so a channel-layer failure is logged instead of raised into the caller.
    transaction.on_commit(
        lambda: broadcast_now(topic, event_type, data, seq=seq), using=using, robust=True
    )


def broadcast_state_on_commit(
    topic: str, event_type: str, build: Callable[[], dict[str, Any]], *, using=None
) -> None:
    """Push an ephemeral state snapshot (seq null) that ``build`` reads once the transaction has
    committed: the reads run outside the writer's locks and see the committed state."""
    transaction.on_commit(
        lambda: broadcast_now(topic, event_type, build()), using=using, robust=True
    )


def send_to_user_on_commit(
    user_id: int, event_type: str, data: dict[str, Any], *, seq: int | None = None, using=None
) -> None:
    """Push an event to every socket of one user once the transaction commits."""
    broadcast_on_commit(user_topic(user_id), event_type, data, seq=seq, using=using)


def revoke_on_commit(user_id: int, topic: str, *, using=None) -> None:
    """Once committed, unsubscribe every open socket of ``user_id`` from ``topic`` (access lost)."""
    message = {"type": "realtime.revoke", "topic": topic}
    transaction.on_commit(
        lambda: _send_message(group_name(user_topic(user_id)), message), using=using, robust=True
    )


def disconnect_user_on_commit(user_id: int, *, using=None) -> None:
    """Once committed, close every open socket of ``user_id`` (their access has ended)."""
    message = {"type": "realtime.disconnect"}
    transaction.on_commit(
        lambda: _send_message(group_name(user_topic(user_id)), message), using=using, robust=True
    )


def _send_message(group: str, message: dict[str, Any]) -> None:
    if settings.REALTIME_RELAY_URL:
        relay_message(group, message)
    else:
        deliver_to_group(group, message)


def _task(name: str):
    # By name, so that no service imports a task module (the task calls the service back).
    app = current_app
    try:
        return app.tasks[name]
    except KeyError:
        app.loader.import_default_modules()  # autodiscovery is lazy until a worker starts
        return app.tasks[name]


def enqueue_on_commit(task_name: str, *args: Any, using=None, **kwargs: Any) -> None:
    """Queue the Celery task named ``task_name`` once the transaction commits, so the worker
    sees committed rows."""
    task = _task(task_name)  # a misspelt name fails in the caller, not later in on_commit
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs), using=using)


def enqueue_at_on_commit(task_name: str, eta, *args: Any, using=None) -> None:
    """Queue the task named ``task_name`` to run at ``eta`` once the transaction commits (a
    per-object deadline; a sweeper must still guarantee the work, since brokers may redeliver
    or lose late ETAs)."""
    task = _task(task_name)
    transaction.on_commit(lambda: task.apply_async(args=args, eta=eta), using=using)
