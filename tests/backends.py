"""Which real services this run has; tests that need one say so by name when it is missing."""

import pytest
from django.conf import settings

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis (REDIS_URL or 127.0.0.1:6379); CI always has it"
)
needs_postgres = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432); CI always has it",
)
