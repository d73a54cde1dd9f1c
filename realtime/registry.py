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


class UnknownTopic(LookupError):
    pass


@dataclass(frozen=True)
class Topic:
    name: str
    can_subscribe: CanSubscribe
    replay: Replay | None = None
    takes_argument: bool = True

    @property
    def durable(self) -> bool:
        return self.replay is not None


_topics: dict[str, Topic] = {}
_actions: dict[str, ActionHandler] = {}


def register_topic(
    name: str,
    *,
    can_subscribe: CanSubscribe,
    replay: Replay | None = None,
    takes_argument: bool = True,
) -> None:
    """Declare topic ``name`` (``name:<argument>`` when it takes one) with its permission check."""
    _topics[name] = Topic(name, can_subscribe, replay, takes_argument)


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
