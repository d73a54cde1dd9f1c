"""Watched words: what moderators list, and the screening every submit point runs on its text.

Matching folds what spammers vary: full-width letters (``ｆｒｅｅ``), case, and anything between the
letters that is not a letter or digit (``f r e e``, ``f.r.e.e``). Chinese words match the same
way (``加 微 信`` finds 加微信). The words live in the cache as one compiled pattern per action,
rebuilt when a word is added or removed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction

from community.exceptions import BlockedWordError, WatchedWordInvalidError
from community.models import AuditEntry, WatchedWord, WordAction

_CACHE_KEY = "moderation:watched-words:v1"
# Most severe first: the strongest action any matched word asks for wins.
_SEVERITY = [WordAction.BLOCK, WordAction.REQUIRE_APPROVAL, WordAction.FLAG, WordAction.CENSOR]


def normalize(text: str) -> tuple[str, list[int]]:
    """The text as matching sees it, and for each of its characters the index it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).casefold():
            if unicodedata.category(piece)[0] in "LN":
                folded.append(piece)
                origin.append(index)
    return "".join(folded), origin


@dataclass
class Screened:
    """A text after screening: ``text`` with censored words masked, and what else it asks for."""

    text: str
    needs_review: str | None = None  # "require_approval" or "flag"
    words: list[str] = field(default_factory=list)


def _patterns() -> dict[str, re.Pattern | None]:
    patterns = cache.get(_CACHE_KEY)
    if patterns is None:
        by_action: dict[str, list[str]] = {action: [] for action in WordAction.values}
        for normalized, action in WatchedWord.objects.values_list("normalized", "action"):
            by_action[action].append(normalized)
        patterns = {
            action: (
                re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
                if words
                else None
            )
            for action, words in by_action.items()
        }
        cache.set(_CACHE_KEY, patterns, timeout=3600)
    return patterns


def text_screen(text: str) -> Screened:
    """Screen a member's text: refuse a blocked word (``blocked_word``), mask censored ones, and
    say whether the content must wait for approval or be published and flagged."""
    if not text:
        return Screened(text=text)
    patterns = _patterns()
    if not any(patterns.values()):
        return Screened(text=text)
    folded, origin = normalize(text)
    hits: dict[str, list[tuple[int, int]]] = {}
    for action in _SEVERITY:
        pattern = patterns.get(action)
        if pattern is not None:
            spans = [(m.start(), m.end()) for m in pattern.finditer(folded)]
            if spans:
                hits[action] = spans
    if WordAction.BLOCK in hits:
        start, end = hits[WordAction.BLOCK][0]
        raise BlockedWordError(word=folded[start:end])
    screened = Screened(text=text)
    if WordAction.CENSOR in hits:
        chars = list(text)
        for start, end in hits[WordAction.CENSOR]:
            for index in range(origin[start], origin[end - 1] + 1):
                if not chars[index].isspace():
                    chars[index] = "*"
        screened.text = "".join(chars)
    for action in (WordAction.REQUIRE_APPROVAL, WordAction.FLAG):
        if action in hits:
            screened.needs_review = screened.needs_review or str(action)
    screened.words = sorted({folded[s:e] for spans in hits.values() for s, e in spans})
    return screened


def texts_screen(*texts: str) -> tuple[list[str], str | None]:
    """Screen several fields of one submission; the strongest review need of any field wins."""
    results = [text_screen(text) for text in texts]
    needs = [r.needs_review for r in results if r.needs_review]
    need = WordAction.REQUIRE_APPROVAL if WordAction.REQUIRE_APPROVAL in needs else None
    return [r.text for r in results], (str(need) if need else (needs[0] if needs else None))


def watched_word_add(*, actor, word: str, action: str) -> WatchedWord:
    """List a word with its action; the screening sees it at once."""
    normalized, _ = normalize(word or "")
    if not normalized or len(word) > 100:
        raise WatchedWordInvalidError()
    if action not in WordAction.values:
        raise WatchedWordInvalidError("Unknown action.")
    try:
        with transaction.atomic():
            created = WatchedWord.objects.create(
                word=word.strip(), normalized=normalized, action=action, created_by=actor
            )
            AuditEntry.objects.create(
                actor=actor, verb="word_added", data={"word": word.strip(), "action": action}
            )
    except IntegrityError:
        raise WatchedWordInvalidError("This word is already listed with this action.") from None
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))
    cache.delete(_CACHE_KEY)
    return created


@transaction.atomic
def watched_word_remove(*, actor, word_id: int) -> bool:
    """Unlist a word; returns False when it was not listed."""
    word = WatchedWord.objects.filter(pk=word_id).first()
    if word is None:
        return False
    AuditEntry.objects.create(
        actor=actor, verb="word_removed", data={"word": word.word, "action": word.action}
    )
    word.delete()
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))
    return True
