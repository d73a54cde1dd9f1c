import os

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI shares two cores between two test workers, daphne and chromium: a push or a reload can take
# longer than Playwright's 5 s default there without anything being wrong.
expect.set_options(timeout=10_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _without_tracker(instance) -> None:
    """Pages of this browser skip the insights tracker: its keepalive sends, still in flight when
    a test ends, deadlock with the teardown's TRUNCATE. Tracker tests set TRACKER_ON = True."""
    new_context = instance.new_context

    def new_context_without_tracker(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script("window.tuanjuNoTracking = true;")
        return context

    instance.new_context = new_context_without_tracker


@pytest.fixture(scope="module")
def browser(request):
    # Module scope: Playwright's loop must be gone before this worker runs any asyncio test
    # (the test command distributes whole files to workers: --dist loadfile).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        if not getattr(request.module, "TRACKER_ON", False):
            _without_tracker(instance)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def outside_event_loop(function, *args, **kwargs):
    """Run server-side code in a plain thread: Playwright's sync API owns this thread's loop."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            # The thread ends here: give its connection back, or the pool runs dry after a few
            # dozen calls in one test process.
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=30)
