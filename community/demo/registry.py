"""Demo-data seeders of every app, run in order by ``manage.py seed_demo``.

Higher apps (groupbuy, chat, feeds) register theirs in ``AppConfig.ready()``, so the command in
community needs to import none of them. A seeder is ``seeder(stdout)`` and must be idempotent.
"""

from collections.abc import Callable
from typing import Any

Seeder = Callable[[Any], None]

_seeders: list[tuple[int, str, Seeder]] = []


def register_seeder(name: str, seeder: Seeder, *, order: int) -> None:
    """Add an app's demo seeder; lower ``order`` runs first (accounts are always first)."""
    if any(existing == name for _, existing, _ in _seeders):
        return
    _seeders.append((order, name, seeder))
    _seeders.sort(key=lambda item: (item[0], item[1]))


def seeders() -> list[tuple[str, Seeder]]:
    return [(name, seeder) for _, name, seeder in _seeders]
