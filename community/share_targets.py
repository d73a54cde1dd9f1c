"""What a share link may point at, registered by the apps that own the targets.

feeds makes share links but must not import chat (a sibling layer), so every owner registers its
kinds here in ``AppConfig.ready()``: groupbuy products, storefronts, teams and flash sales, chat
livestreams, feeds posts. A resolver answers for one id, or ``None`` when the target does not
exist or is not public.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ShareTarget:
    url: str  # where /s/<code> lands, a site path such as "/products/12/"
    title: str
    owner_id: int | None  # whose content it is (a sharer earns nothing on their own target)


Resolver = Callable[[int], ShareTarget | None]

_resolvers: dict[str, Resolver] = {}


def register_share_target(kind: str, resolve: Resolver) -> None:
    _resolvers[kind] = resolve


def share_target_kinds() -> list[str]:
    return sorted(_resolvers)


def share_target_resolve(kind: str, target_id: int) -> ShareTarget | None:
    resolve = _resolvers.get(kind)
    return resolve(target_id) if resolve else None
