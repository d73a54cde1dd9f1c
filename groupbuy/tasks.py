"""groupbuy's background work: each task loads by id or sweeps, and is safe to run twice."""

from celery import shared_task

# The module, not its names: services enqueue these tasks, so they import this module first.
from groupbuy import services


@shared_task(name="groupbuy.tasks.cancel_unpaid_orders")
def cancel_unpaid_orders() -> int:
    """Every minute: orders past their payment deadline are cancelled (each once)."""
    return services.orders_cancel_unpaid()


@shared_task(name="groupbuy.tasks.process_refund")
def process_refund(refund_id: int) -> bool:
    """Right after a refund is requested (the sweeper is the guarantee)."""
    return services.refund_process(refund_id=refund_id) is not None


@shared_task(name="groupbuy.tasks.sweep_refunds")
def sweep_refunds() -> int:
    """Every minute: refunds left pending, and payments that arrived after their order closed."""
    return services.refunds_sweep()


@shared_task(name="groupbuy.tasks.complete_due_orders")
def complete_due_orders() -> int:
    """Hourly: delivered orders the buyer never confirmed complete on their own."""
    return services.orders_complete_due()


@shared_task(name="groupbuy.tasks.confirm_commissions")
def confirm_commissions() -> int:
    """Hourly: commissions whose order completed 7 days ago are confirmed."""
    return services.commissions_confirm_due()


# Their tasks register with Celery when imported, and autodiscovery imports only this module.
from groupbuy import tasks_flash, tasks_teams  # noqa: E402, F401
