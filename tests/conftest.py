import urllib.request

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from rest_framework.test import APIClient

from community.models import TaskDefinition, TierBenefit
from community.services.loyalty import seed_loyalty_defaults
from tests.factories import UserFactory, token_for
from tests.processes import (
    end_child_database_sessions,
    free_port,
    service_env,
    start_daphne,
    stop,
    wait_until,
)


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"tuanju backends: database={database}, channel layer={layer}, broker={settings.CELERY_BROKER_URL.split(':')[0]}"


@pytest.fixture(scope="session", autouse=True)
def _release_database_connections(django_db_setup, django_db_blocker):
    """Let the per-worker test database be dropped at the end: psycopg's pool and the threads
    of async tests keep idle connections open, so end them before Django drops the database."""
    yield
    with django_db_blocker.unblock():
        connection = connections["default"]
        if connection.vendor != "postgresql":
            return
        name = connection.settings_dict["NAME"]
        connection.close()
        connection.close_pool()
        # From the maintenance database: the test database may be gone or never made.
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )


@pytest.fixture(autouse=True)
def _loyalty_defaults(request):
    """Transactional tests flush the tables, data-migration rows included: put them back."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("db")
        seed_loyalty_defaults(TierBenefit, TaskDefinition)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield


@pytest.fixture
def premoderation(settings):
    """Trust level 0 members' notes, reviews and listings wait for a moderator (the product's
    default, off in tests where every factory member is brand new)."""
    settings.MODERATION_PREMODERATE_NEW_MEMBERS = True


@pytest.fixture
def moderator(db):
    """A member holding the moderator role."""
    from community.models import Role
    from community.services import role_grant

    member = UserFactory(username="mod_on_duty")
    role_grant(actor=None, user=member, role=Role.MODERATOR)
    return member


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def auth_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def token(user) -> str:
    return token_for(user)


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """daphne serving config.asgi in a subprocess, on this run's test database."""
    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = service_env()
    process = start_daphne(port, env, log)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    if not wait_until(healthy, timeout=60, interval=0.3):
        stop(process)
        pytest.fail(f"daphne did not start:\n{log.read_text()[-3000:]}")
    yield url
    stop(process)
    with django_db_blocker.unblock():
        end_child_database_sessions(env)


@pytest.fixture
def relay_to(live_url, settings):
    """Without Redis the test process reaches daphne's in-memory layer through the relay."""
    if not settings.REDIS_URL:
        settings.REALTIME_RELAY_URL = live_url
    return live_url
