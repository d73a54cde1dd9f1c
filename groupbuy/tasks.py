from celery import shared_task

from groupbuy.services.orders import orders_cancel_unpaid


@shared_task(name="groupbuy.tasks.cancel_unpaid_orders")
def cancel_unpaid_orders() -> int:
    """Every minute: orders past their payment deadline are cancelled (each once)."""
    return orders_cancel_unpaid()
