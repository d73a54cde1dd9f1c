"""Flash-sale realtime events: names and payload builders (pure).

The topic ``groupbuy.flash_sale:<id>`` is ephemeral: pushes carry ``seq: null`` and a client that
reconnects re-reads ``GET /api/v1/flash-sales/{id}/``, which holds the same fields.
"""

from datetime import datetime

TOPIC = "groupbuy.flash_sale"
STOCK_CHANGED = "groupbuy.flash_sale.stock_changed"
STARTED = "groupbuy.flash_sale.started"
ENDED = "groupbuy.flash_sale.ended"


def sale_topic(sale_id: int) -> str:
    return f"{TOPIC}:{sale_id}"


def state_payload(
    *,
    sale_id: int,
    status: str,
    stock_remaining: int,
    stock_total: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> dict:
    """The live part of the REST representation, under the same field names."""
    return {
        "id": sale_id,
        "status": status,
        "stock_remaining": stock_remaining,
        "stock_total": stock_total,
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "server_time": now.isoformat(),
    }
