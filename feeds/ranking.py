"""Pure ranking functions for the feeds: engagement with time decay, author diversity,
item-to-item co-occurrence and the offline metrics. No database access here."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations


def engagement(likes: int, saves: int, comments: int, shares: int) -> float:
    # A save or a share says more than a like; a comment is the costliest signal to give.
    return likes + 2 * saves + 3 * comments + 2 * shares


def decayed(
    score: float, *, published_at: datetime, now: datetime, half_life_hours: float
) -> float:
    age_hours = max((now - published_at).total_seconds() / 3600, 0.0)
    return score * 0.5 ** (age_hours / half_life_hours)


def hot_score(
    likes: int,
    saves: int,
    comments: int,
    shares: int,
    *,
    published_at: datetime,
    now: datetime,
    half_life_hours: float,
) -> float:
    base = 1.0 + math.log1p(engagement(likes, saves, comments, shares))
    return decayed(base, published_at=published_at, now=now, half_life_hours=half_life_hours)


@dataclass(frozen=True)
class Candidate:
    post_id: int
    author_id: int
    score: float


def diversify(ranked: Iterable[Candidate], *, per_author: int, size: int) -> list[Candidate]:
    """The best ``size`` candidates with at most ``per_author`` from any one author."""
    page: list[Candidate] = []
    taken: Counter[int] = Counter()
    for candidate in ranked:
        if taken[candidate.author_id] >= per_author:
            continue
        page.append(candidate)
        taken[candidate.author_id] += 1
        if len(page) == size:
            break
    return page


def cooccurrence(
    user_items: Mapping[int, set[int]], *, neighbours: int
) -> dict[int, list[tuple[int, float, int]]]:
    """For each item its ``neighbours`` most similar items as ``(item, cosine, together)``.

    Similarity is the cosine of two items' user sets: how many users touched both, divided by
    the geometric mean of their popularity, so a popular item is not similar to everything.
    """
    popularity: Counter[int] = Counter()
    together: Counter[tuple[int, int]] = Counter()
    for items in user_items.values():
        popularity.update(items)
        for a, b in combinations(sorted(items), 2):
            together[(a, b)] += 1
    similar: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    for (a, b), n in together.items():
        cosine = n / math.sqrt(popularity[a] * popularity[b])
        similar[a].append((b, cosine, n))
        similar[b].append((a, cosine, n))
    return {
        item: sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))[:neighbours]
        for item, rows in similar.items()
    }


def recommend_by_similarity(
    history: set[int], similar: Mapping[int, list[tuple[int, float, int]]], *, k: int
) -> list[int]:
    """Items most similar to what the user touched, not counting what they touched."""
    scores: dict[int, float] = defaultdict(float)
    for item in history:
        for other, cosine, _ in similar.get(item, []):
            if other not in history:
                scores[other] += cosine
    return [item for item, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def recommend_popular(history: set[int], popularity: Mapping[int, int], *, k: int) -> list[int]:
    ranked = sorted(popularity.items(), key=lambda kv: (-kv[1], kv[0]))
    return [item for item, _ in ranked if item not in history][:k]


def precision_recall_at_k(
    recommended: list[int], relevant: set[int], k: int
) -> tuple[float, float]:
    if not relevant:
        return 0.0, 0.0
    hits = len(set(recommended[:k]) & relevant)
    return hits / k, hits / len(relevant)
