"""The Celery app. Beat's schedule is static: periodic work lives in idempotent sweepers."""

import os

import structlog
from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tuanju")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    beat_schedule={
        "groupbuy-cancel-unpaid-orders": {
            "task": "groupbuy.tasks.cancel_unpaid_orders",
            "schedule": 60.0,
        },
        "groupbuy-sweep-teams": {"task": "groupbuy.tasks.sweep_teams", "schedule": 60.0},
        "groupbuy-sweep-refunds": {"task": "groupbuy.tasks.sweep_refunds", "schedule": 60.0},
        "groupbuy-send-flash-sale-reminders": {
            "task": "groupbuy.tasks.send_flash_sale_reminders",
            "schedule": 60.0,
        },
        "chat-live-likes-sweep": {"task": "chat.tasks.live_likes_sweep", "schedule": 60.0},
        "groupbuy-complete-due-orders": {
            "task": "groupbuy.tasks.complete_due_orders",
            "schedule": 3600.0,
        },
        "groupbuy-confirm-commissions": {
            "task": "groupbuy.tasks.confirm_commissions",
            "schedule": 3600.0,
        },
        "community-expire-points": {"task": "community.tasks.expire_points", "schedule": 3600.0},
        # Closed business days and late events; cheap when there is nothing to do.
        "community-insights-rollup": {"task": "community.tasks.insights_rollup", "schedule": 600.0},
        "community-remind-expiring-points": {
            "task": "community.tasks.remind_expiring_points",
            "schedule": 3600.0,
        },
        # 02:10 in the business time zone (Asia/Shanghai), after the day has closed.
        "community-evaluate-tiers": {
            "task": "community.tasks.evaluate_tiers",
            "schedule": crontab(hour=18, minute=10),
        },
        # 00:20 UTC on the 1st (08:20 in Shanghai): the month has begun in the business zone.
        "community-announce-monthly-tier-packs": {
            "task": "community.tasks.announce_monthly_tier_packs",
            "schedule": crontab(day_of_month="1", hour=0, minute=20),
        },
        # 02:30 in the business time zone: account age moves members up a trust level.
        "community-recompute-trust-levels": {
            "task": "community.tasks.recompute_trust_levels",
            "schedule": crontab(hour=18, minute=30),
        },
        "feeds-rebuild-recommendations": {
            "task": "feeds.tasks.rebuild_recommendations",
            "schedule": 900.0,
        },
        "community-clear-expired-sessions": {
            "task": "community.tasks.clear_expired_sessions",
            "schedule": 3600.0,
        },
    },
)
app.autodiscover_tasks()


@task_prerun.connect
def _bind_task_context(task_id=None, task=None, **_):
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))


@task_postrun.connect
def _clear_task_context(**_):
    structlog.contextvars.clear_contextvars()
