"""groupbuy's background work: each task loads by id or sweeps, and is safe to run twice.

Services enqueue these by name (``enqueue_on_commit("groupbuy.tasks.process_refund", …)``), so
no service imports this module.
"""

from celery import shared_task

from groupbuy.services.commission import commissions_confirm_due
from groupbuy.services.flash_sales import flash_sale_reminders_send
from groupbuy.services.fulfilment import orders_complete_due
from groupbuy.services.orders import orders_cancel_unpaid
from groupbuy.services.refunds import refund_process, refunds_sweep
from groupbuy.services.teams import team_expire, teams_expire_due


@shared_task(name="groupbuy.tasks.cancel_unpaid_orders")
def cancel_unpaid_orders() -> int:
    """Every minute: orders past their payment deadline are cancelled (each once)."""
    return orders_cancel_unpaid()


@shared_task(name="groupbuy.tasks.process_refund")
def process_refund(refund_id: int) -> bool:
    """Right after a refund is requested (the sweeper is the guarantee)."""
    return refund_process(refund_id=refund_id) is not None


@shared_task(name="groupbuy.tasks.sweep_refunds")
def sweep_refunds() -> int:
    """Every minute: refunds left pending, and payments that arrived after their order closed."""
    return refunds_sweep()


@shared_task(name="groupbuy.tasks.complete_due_orders")
def complete_due_orders() -> int:
    """Hourly: delivered orders the buyer never confirmed complete on their own."""
    return orders_complete_due()


@shared_task(name="groupbuy.tasks.confirm_commissions")
def confirm_commissions() -> int:
    """Hourly: commissions whose order completed 7 days ago are confirmed."""
    return commissions_confirm_due()


# --- flash sales ----------------------------------------------------------------------------------


@shared_task(name="groupbuy.tasks.send_flash_sale_reminders")
def send_flash_sale_reminders() -> int:
    """Every minute: reminders due in the next few minutes are sent, each once."""
    return flash_sale_reminders_send()


# --- group-buy teams ------------------------------------------------------------------------------


@shared_task(name="groupbuy.tasks.expire_team")
def expire_team(team_id: int) -> str | None:
    """At a team's deadline (the sweeper is the guarantee)."""
    return team_expire(team_id=team_id)


@shared_task(name="groupbuy.tasks.sweep_teams")
def sweep_teams() -> int:
    """Every minute: settle forming teams past their deadline."""
    return teams_expire_due()
