"""Topics and socket actions that domain apps register in ``AppConfig.ready()``.

``realtime`` imports no domain code: an app tells it who may subscribe to a topic, how to replay a
durable topic's missed events, and which extra socket actions it answers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

CanSubscribe = Callable[[Any, str], bool]
"""(user, argument) -> may this user subscribe to ``<name>:<argument>``? Runs in a thread."""

Replay = Callable[[Any, str, int], Iterable[dict]]
"""(user, argument, after_seq) -> envelopes with seq > after_seq, ascending. Runs in a thread."""

ActionHandler = Callable[[Any, dict], Any]
"""(connection, frame) -> awaitable; the connection offers ``user``, ``send_event``, ``send_error``."""

TopicHook = Callable[[Any, str], Any]
"""(connection, argument) -> awaitable, run in the consumer's event loop."""

ConnectionHook = Callable[[Any], Any]
"""(connection) -> awaitable, run in the consumer's event loop."""


class UnknownTopic(LookupError):
    pass


@dataclass(frozen=True)
class Topic:
    name: str
    can_subscribe: CanSubscribe
    replay: Replay | None = None
    takes_argument: bool = True
    # Called once a socket has joined the topic / once it leaves it (unsubscribe, revoke, close):
    # for per-topic work that lives as long as somebody in this process listens (viewer counts,
    # batching flushers).
    on_join: TopicHook | None = None
    on_leave: TopicHook | None = None

    @property
    def durable(self) -> bool:
        return self.replay is not None


_topics: dict[str, Topic] = {}
_actions: dict[str, ActionHandler] = {}


@dataclass(frozen=True)
class ConnectionHooks:
    on_open: ConnectionHook | None = None
    on_close: ConnectionHook | None = None
    on_ping: ConnectionHook | None = None


_connection_hooks: dict[str, ConnectionHooks] = {}


def register_topic(
    name: str,
    *,
    can_subscribe: CanSubscribe,
    replay: Replay | None = None,
    takes_argument: bool = True,
    on_join: TopicHook | None = None,
    on_leave: TopicHook | None = None,
) -> None:
    """Declare topic ``name`` (``name:<argument>`` when it takes one) with its permission check."""
    _topics[name] = Topic(name, can_subscribe, replay, takes_argument, on_join, on_leave)


def register_connection_hooks(
    name: str,
    *,
    on_open: ConnectionHook | None = None,
    on_close: ConnectionHook | None = None,
    on_ping: ConnectionHook | None = None,
) -> None:
    """Run ``on_open`` after the hello, ``on_close`` when the socket goes away and ``on_ping`` on
    every ping (presence and other per-connection state). A hook's failure is logged, never
    fatal to the socket."""
    _connection_hooks[name] = ConnectionHooks(on_open, on_close, on_ping)


def unregister_connection_hooks(name: str) -> None:
    _connection_hooks.pop(name, None)


def connection_hooks() -> list[ConnectionHooks]:
    return list(_connection_hooks.values())


def unregister_topic(name: str) -> None:
    _topics.pop(name, None)


def register_action(name: str, handler: ActionHandler) -> None:
    """Declare an extra client action such as ``typing`` or ``chat.send``."""
    _actions[name] = handler


def unregister_action(name: str) -> None:
    _actions.pop(name, None)


def action_handler(name: str) -> ActionHandler | None:
    return _actions.get(name)


def resolve(topic: str) -> tuple[Topic, str]:
    """Split ``"chat.room:12"`` into its registered Topic and its argument."""
    if not isinstance(topic, str) or len(topic) > 120:
        raise UnknownTopic(topic)
    name, sep, argument = topic.partition(":")
    registered = _topics.get(name)
    if registered is None or bool(sep) != registered.takes_argument:
        raise UnknownTopic(topic)
    if registered.takes_argument and not (argument.isascii() and argument.isalnum()):
        raise UnknownTopic(topic)
    return registered, argument


def group_name(topic: str) -> str:
    """The channel-layer group of a topic (group names may not contain ':')."""
    return "topic." + topic.replace(":", "-")


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"
