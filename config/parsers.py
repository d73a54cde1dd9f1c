"""The JSON parser of every API view: hostile nesting is a 400, never a RecursionError (500)."""

from collections.abc import Iterable
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Deeper than any request of API.md needs, far below Python's recursion limit (1000), so that a
# body that parses can still be validated, stored in a JSONField and logged without recursing
# into the limit later.
MAX_JSON_DEPTH = 64


def nested_too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests lists/objects more than ``limit`` levels (iterative walk)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deep with a ParseError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The stdlib decoder recurses once per level: ~1,000 levels exhaust the stack.
            raise ParseError("JSON parse error - nested too deeply.") from None
        if nested_too_deep(data):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        return data
