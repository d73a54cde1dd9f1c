"""What every feeds submit point runs before it stores a member's text (PRODUCT.md §15): the
author's sanctions, the watched words, and trust-level-0 pre-moderation; and how held or flagged
content joins the moderation queue.

A ``block`` word refuses the write (400 ``blocked_word``) before anything is stored; ``censor``
masks the word in what is stored; ``require_approval`` stores the content held back and queues
it; ``flag`` publishes it and queues it.
"""

from dataclasses import dataclass

from django.utils.html import strip_tags

from community.models import ItemSource, User, WordAction
from community.services.moderation.reports import content_review_open
from community.services.moderation.sanctions import ensure_can_publish
from community.services.moderation.trust import trust_requires_premoderation
from community.services.moderation.words import texts_screen


@dataclass(frozen=True)
class Screened:
    """Texts as they may be stored, and what moderation asks of the content."""

    texts: list[str]
    needs_review: str | None  # "require_approval" | "flag" | None

    @property
    def held(self) -> bool:
        return self.needs_review == WordAction.REQUIRE_APPROVAL

    @property
    def flagged(self) -> bool:
        return self.needs_review == WordAction.FLAG


def screen(actor: User, *texts: str, html: str = "") -> Screened:
    """Refuse a sanctioned author (403 ``sanctioned``) or a blocked word (400 ``blocked_word``);
    otherwise the texts with censored words masked and the strongest review need. ``html`` is
    screened as the text a reader sees (tags stripped), so markup between letters hides nothing;
    the stored ``texts`` are masked as typed."""
    ensure_can_publish(actor)
    masked, need = texts_screen(*texts)
    if html:
        _, seen_need = texts_screen(strip_tags(html))
        if seen_need == WordAction.REQUIRE_APPROVAL or need is None:
            need = seen_need or need
    return Screened(texts=masked, needs_review=need)


def premoderated(actor: User) -> bool:
    """A trust-level-0 author's notes and reviews wait for a moderator (moderators never do)."""
    return trust_requires_premoderation(actor)


def queue_for_review(
    *, target_type: str, target_id: int, author_id: int, source: str, hidden: bool, note: str
) -> None:
    """Open (or join) the queue item of content just stored; call inside its transaction."""
    content_review_open(
        target_type=target_type,
        target_id=target_id,
        author_id=author_id,
        source=source,
        hidden=hidden,
        note=note,
    )


def queue_screened(
    *, target_type: str, target_id: int, author_id: int, screened: Screened, premoderate: bool
) -> None:
    """Queue content that a watched word or pre-moderation sent to the moderators, if any."""
    if premoderate:
        note = "New member: waiting for approval"
        if screened.needs_review:
            note += f" (watched word: {screened.needs_review})"
        queue_for_review(
            target_type=target_type,
            target_id=target_id,
            author_id=author_id,
            source=ItemSource.PRE_MODERATION,
            hidden=True,
            note=note,
        )
    elif screened.needs_review:
        queue_for_review(
            target_type=target_type,
            target_id=target_id,
            author_id=author_id,
            source=ItemSource.WATCHED_WORD,
            hidden=screened.held,
            note=f"Watched word: {screened.needs_review}",
        )
