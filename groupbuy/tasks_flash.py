"""Flash-sale background work (reminders, ends): each task safe to run twice."""

from celery import shared_task

# The module, not its names (services import groupbuy.tasks first; see tasks.py).
from groupbuy.services import flash_sales


@shared_task(name="groupbuy.tasks.send_flash_sale_reminders")
def send_flash_sale_reminders() -> int:
    """Every minute: reminders due in the next few minutes are sent, each once."""
    return flash_sales.flash_sale_reminders_send()
