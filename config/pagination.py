from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """The project-wide default: stable under inserts, newest rows first."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100


class SelectorOrderedCursorPagination(CursorPagination):
    """Cursor pages in the order the selector gave the queryset: one place decides the order,
    and the cursor follows it."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        ordering = tuple(queryset.query.order_by)
        if not ordering:
            raise ValueError("cursor pages need a queryset ordered on concrete columns")
        return ordering


def paginate(view, request, queryset, *, page_size: int = 50):
    """Cursor-page a selector's ordered queryset in an APIView: (the page's rows, a function that
    wraps their rendering as the page response)."""
    paginator = SelectorOrderedCursorPagination()
    paginator.page_size = page_size
    page = paginator.paginate_queryset(queryset, request, view=view) or []
    return page, paginator.get_paginated_response


def one_page(results) -> dict:
    """A short, complete list (today's tasks, the tier table…) in API.md's list shape."""
    return {"next": None, "previous": None, "results": results}


def _page_schema(name: str, item, links_help: str) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "next": serializers.CharField(allow_null=True, help_text=links_help),
            "previous": serializers.CharField(allow_null=True, help_text=links_help),
            "results": item,
        },
    )


def page_schema(name: str, item) -> serializers.Serializer:
    """The OpenAPI shape of a ``paginate`` page: ``item`` is a serializer with ``many=True``."""
    return _page_schema(name, item, "the neighbouring page's URL, or null")


def one_page_schema(name: str, item) -> serializers.Serializer:
    """The OpenAPI shape of ``one_page``: ``item`` is a serializer with ``many=True``."""
    return _page_schema(name, item, "always null: one page")
