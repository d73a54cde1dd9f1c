from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """The project-wide default: stable under inserts, newest rows first."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100


def one_page(results) -> dict:
    """A short, complete list (today's tasks, the tier table…) in API.md's list shape."""
    return {"next": None, "previous": None, "results": results}


def one_page_schema(name: str, item) -> serializers.Serializer:
    """The OpenAPI shape of ``one_page``: ``item`` is a serializer instance with ``many=True``."""
    return inline_serializer(
        name,
        {
            "next": serializers.CharField(allow_null=True, help_text="always null: one page"),
            "previous": serializers.CharField(allow_null=True, help_text="always null"),
            "results": item,
        },
    )


def paginate(view, request, queryset, *, ordering: tuple[str, ...], page_size: int = 50):
    """Cursor-page ``queryset`` for an APIView: (page rows, a function wrapping the results)."""
    paginator = CursorPagination()
    paginator.ordering = ordering
    paginator.page_size = page_size
    paginator.page_size_query_param = "page_size"
    paginator.max_page_size = 100
    page = paginator.paginate_queryset(queryset, request, view=view) or []
    return page, paginator.get_paginated_response
