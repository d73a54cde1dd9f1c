"""What is special about an order placed through a flash sale or a group-buy team.

A regular order takes its stock from the product. A flash-sale order takes it from the sale, a
team order from the campaign and also holds a seat. The order services stay the same for every
kind (cancel, pay, ship, refund) and call the kind's hooks, inside their own transaction, at the
moments that matter:

- ``release(order)``: give back what the order reserved (unpaid timeout, cancel, refund).
- ``on_paid(order)``: the payment was confirmed (a team seat becomes paid; the Nth completes it).
- ``can_ship(order)``: whether staff may ship it yet (a team order waits for its team).
- ``on_refund_requested(order)``: a refund was asked for (a team seat is given up at once, so a
  seat whose money is going back can never complete a team).

Kinds are registered by the modules that own them in ``GroupbuyConfig.ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from groupbuy.models import Order


@dataclass(frozen=True)
class OrderKind:
    release: "Callable[[Order], None]"
    on_paid: "Callable[[Order], None] | None" = None
    can_ship: "Callable[[Order], bool] | None" = None
    on_refund_requested: "Callable[[Order], None] | None" = None


_kinds: dict[str, OrderKind] = {}


def register_order_kind(name: str, kind: OrderKind) -> None:
    _kinds[name] = kind


def order_kind(name: str) -> OrderKind | None:
    return _kinds.get(name)
