"""Turning what members type into what pages show: escaped, linkified text or HTML cleaned by nh3.

The stored ``body_html`` is the only body a template marks safe, so script in a post can never
reach a page unescaped.
"""

import re

import nh3
from django.utils.html import linebreaks, urlize

# \w is Unicode-aware: #川菜 and #homecooking are both topics.
HASHTAG = re.compile(r"#(\w{1,40})")
TOPIC_NAME = re.compile(r"^\w{1,40}$")

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "blockquote", "ul", "ol", "li", "a", "h3",
    "h4", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_body(body: str, body_format: str) -> str:
    """The HTML a page may show for ``body`` (``text``: escaped + links; ``html``: cleaned)."""
    if body_format == "html":
        return nh3.clean(
            body,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener ugc",
        )
    return linebreaks(urlize(body, nofollow=True, autoescape=True), autoescape=False)


def hashtags(text: str) -> list[str]:
    return HASHTAG.findall(text or "")


def normalise_topics(names: list[str]) -> list[str]:
    """Topic names without '#', deduplicated regardless of case, first spelling kept."""
    seen: dict[str, str] = {}
    for raw in names:
        name = (raw or "").strip().lstrip("#").strip()
        if not name:
            continue
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
