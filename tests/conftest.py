import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from rest_framework.test import APIClient

from community.defaults import seed_loyalty_defaults
from community.models import TaskDefinition, TierBenefit
from tests.factories import UserFactory, token_for


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
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
        connection.close()
        connection.close_pool()


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
