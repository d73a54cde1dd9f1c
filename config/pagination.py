from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """The project-wide default: stable under inserts, newest rows first."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100
