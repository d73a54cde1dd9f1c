"""Trigram indexes that the search's case-insensitive ``LIKE`` can use.

Django's ``icontains`` asks ``UPPER(col::text) LIKE UPPER('%q%')`` on PostgreSQL, which a GIN
index on the bare column cannot serve (EXPLAIN showed a sequential scan); these are built on that
same expression. PostgreSQL only; SQLite searches with a plain scan.
"""

from django.db import migrations

OLD = ["feeds_post_title_trgm", "feeds_post_body_trgm", "feeds_topic_name_trgm"]
INDEXES = [
    ("feeds_post_title_utrgm", "feeds_post", "title"),
    ("feeds_post_body_utrgm", "feeds_post", "body"),
    ("feeds_topic_name_utrgm", "feeds_topic", "name"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
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
    dependencies = [("feeds", "0002_search_trigram")]

    operations = [migrations.RunPython(forwards, backwards)]
