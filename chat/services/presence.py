"""Presence writes: a socket marks its user online in the cache (never in the database)."""

import time

from django.core.cache import cache

from chat.selectors.presence import (
    presence_seen_key,
    presence_sockets_key,
    presence_ttl_seconds,
)


def presence_touch(user_id: int) -> None:
    """The user showed a sign of life on a socket: online for the next TTL seconds."""
    ttl = presence_ttl_seconds()
    cache.set(presence_seen_key(user_id), time.time(), timeout=ttl)
    cache.touch(presence_sockets_key(user_id), timeout=ttl)


def presence_open(user_id: int) -> None:
    ttl = presence_ttl_seconds()
    cache.add(presence_sockets_key(user_id), 0, timeout=ttl)
    try:
        cache.incr(presence_sockets_key(user_id))
    except ValueError:  # expired between add and incr
        cache.set(presence_sockets_key(user_id), 1, timeout=ttl)
    presence_touch(user_id)


def presence_close(user_id: int) -> None:
    try:
        left = cache.decr(presence_sockets_key(user_id))
    except ValueError:
        left = 0
    if left <= 0:
        # The last socket went away: offline now, not when the mark would have expired.
        cache.delete_many([presence_seen_key(user_id), presence_sockets_key(user_id)])
