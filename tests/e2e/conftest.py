import os

import pytest

from tests.processes import (
    end_child_database_sessions,
    free_port,
    service_env,
    start_daphne,
    stop,
    wait_until,
)

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """daphne serving config.asgi in a subprocess, on this run's test database."""
    import urllib.request

    port = free_port()
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = service_env()
    process = start_daphne(port, env, log)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    if not wait_until(healthy, timeout=60, interval=0.3):
        stop(process)
        pytest.fail(f"daphne did not start:\n{log.read_text()[-3000:]}")
    yield url
    stop(process)
    with django_db_blocker.unblock():
        end_child_database_sessions(env)


@pytest.fixture
def relay_to(live_url, settings):
    """Without Redis the test process reaches daphne's in-memory layer through the relay."""
    if not settings.REDIS_URL:
        settings.REALTIME_RELAY_URL = live_url
    return live_url


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's loop must be gone before this worker runs any asyncio test
    # (the test command distributes whole files to workers: --dist loadfile).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
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

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result(timeout=30)
