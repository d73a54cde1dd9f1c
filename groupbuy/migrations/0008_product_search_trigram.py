"""Trigram indexes for product search (``icontains`` on title and description; PostgreSQL only).

Built on ``UPPER(col::text)``, the expression Django's case-insensitive ``LIKE`` asks for, so that
the planner can use them for Chinese and other text; SQLite searches with a plain scan.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("groupbuy_product_title_utrgm", "groupbuy_product", "title"),
    ("groupbuy_product_description_utrgm", "groupbuy_product", "description"),
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
    dependencies = [("groupbuy", "0007_order_kind_flash_sales_campaigns")]

    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
