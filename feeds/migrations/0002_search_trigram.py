"""pg_trgm and GIN trigram indexes so that ILIKE search finds Chinese text fast (PostgreSQL only;
SQLite searches with a plain scan)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("feeds_post_title_trgm", "feeds_post", "title"),
    ("feeds_post_body_trgm", "feeds_post", "body"),
    ("feeds_topic_name_trgm", "feeds_topic", "name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
