"""The registry of moderatable content types, filled from each app's ``AppConfig.ready()``.

``community`` sits below the apps whose content it moderates, so it cannot import their models;
each app registers how to load, show, hide and restore its own content instead. Hiding is always
soft and reversible: a removal is a hide plus a decision, so an approved appeal can undo it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

TARGET_TYPES = (
    "post",
    "comment",
    "message",
    "live_comment",
    "review",
    "storefront",
    "product",
    "share_link",
    "user",
)
# Items that are not content a member reports: they come from the system.
SYSTEM_TYPES = ("appeal", "share_fraud")


@dataclass(frozen=True)
class ModeratableType:
    """How moderation handles one kind of content.

    ``load_many(ids)`` returns ``{id: obj}`` (hidden ones included) in a fixed number of queries;
    ``author_id(obj)`` names whose content it is; ``visible_to(obj, user)`` says whether ``user``
    may see it (a member can only report what they can see); ``hide(obj)`` and ``restore(obj)``
    take it out of every surface and put it back (including the pushes to open sockets);
    ``preview(obj)`` is what a moderator reads in the queue, ``context(obj)`` what surrounds it
    (the messages around a chat message, the note under a comment) on the item page.
    """

    name: str
    load_many: Callable[[Iterable[int]], dict[int, Any]]
    author_id: Callable[[Any], int | None]
    visible_to: Callable[[Any, Any], bool]
    hide: Callable[[Any], None]
    restore: Callable[[Any], None]
    preview: Callable[[Any], dict]
    context: Callable[[Any], list[dict]] = field(default=lambda obj: [])
    is_hidden: Callable[[Any], bool] = field(default=lambda obj: False)


_types: dict[str, ModeratableType] = {}


def register_moderatable(entry: ModeratableType) -> None:
    """Add (or replace, on a reloaded app) how moderation handles one content type."""
    _types[entry.name] = entry


def moderatable(name: str) -> ModeratableType | None:
    return _types.get(name)


def moderatable_names() -> list[str]:
    return sorted(_types)


def load_one(name: str, target_id: int) -> Any | None:
    entry = _types.get(name)
    if entry is None:
        return None
    return entry.load_many([target_id]).get(target_id)
