"""Search's case-insensitive LIKE can be served by the trigram indexes on PostgreSQL.

Django asks ``UPPER(col::text) LIKE UPPER('%q%')``; an index on the bare column would never be
used for it. These plans check that each searched column's index matches that expression.
"""

import pytest
from django.db import connection

from community.models import User
from feeds.models import Post, Topic
from groupbuy.models import Product
from tests.backends import needs_postgres

pytestmark = [pytest.mark.django_db, needs_postgres]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With sequential scans priced out, the planner picks an index whenever one can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "model, column, index",
    [
        (Post, "title", "feeds_post_title_utrgm"),
        (Post, "body", "feeds_post_body_utrgm"),
        (Topic, "name", "feeds_topic_name_utrgm"),
        (User, "username", "community_user_username_utrgm"),
        (User, "display_name", "community_user_display_name_utrgm"),
        (Product, "title", "groupbuy_product_title_utrgm"),
        (Product, "description", "groupbuy_product_description_utrgm"),
    ],
)
def test_icontains_on_searched_columns_can_use_the_trigram_index(model, column, index):
    plan = _plan(model.objects.filter(**{f"{column}__icontains": "豆瓣"}))

    assert f"Bitmap Index Scan on {index}" in plan, plan
