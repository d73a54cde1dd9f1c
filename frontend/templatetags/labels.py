"""Words for people where a page would otherwise show an internal code or a raw number."""

from django import template

from groupbuy.models import OrderStatus
from groupbuy.selectors.commission import SOURCE_LABELS

register = template.Library()


@register.filter
def attribution_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source or "—")


@register.filter
def order_status_label(status: str) -> str:
    return OrderStatus(status).label if status in OrderStatus.values else status


@register.filter
def duration_minutes(minutes: int) -> str:
    """1440 -> "24 hours", 90 -> "1 h 30 min", 30 -> "30 minutes"."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} minutes"
    if not rest:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {rest} min"
