"""Run the same call from many threads at once, each on its own database connection."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_concurrently(function: Callable[[int], Any], count: int, timeout: float = 60) -> list[Any]:
    """Start ``count`` threads that wait on one barrier, then call ``function(index)``.

    Returns each thread's result or the exception it raised, in index order.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = function(index)
        except Exception as exc:  # noqa: BLE001 - the caller asserts on what each thread raised
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results
