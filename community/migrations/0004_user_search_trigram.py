"""Trigram indexes for member search (``icontains`` on username and display name; PostgreSQL only).

Built on ``UPPER(col::text)``, the expression Django's case-insensitive ``LIKE`` asks for, so that
the planner can use them for Chinese and other text; SQLite searches with a plain scan.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("community_user_username_utrgm", "community_user", "username"),
    ("community_user_display_name_utrgm", "community_user", "display_name"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("community", "0003_seed_tiers_and_tasks")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
