"""A real Celery worker process takes a task from the real broker and acts on the database."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.celery import app
from tests.backends import needs_postgres, needs_redis
from tests.processes import end_child_database_sessions, service_env, start_worker, stop, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres,
    needs_redis,
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def test_worker_runs_the_session_sweeper(tmp_path):
    now = timezone.now()
    Session.objects.create(
        session_key="old" * 8, session_data="x", expire_date=now - timedelta(days=1)
    )
    Session.objects.create(
        session_key="new" * 8, session_data="x", expire_date=now + timedelta(days=1)
    )
    env = service_env()
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        app.send_task("community.tasks.clear_expired_sessions")

        swept = wait_until(
            lambda: not Session.objects.filter(session_key="old" * 8).exists(), timeout=60
        )

        assert swept, (tmp_path / "worker.log").read_text()[-3000:]
        assert Session.objects.filter(session_key="new" * 8).exists()
    finally:
        stop(worker)
        end_child_database_sessions(env)
