"""`make run`'s last step, `python -m config.serve`, in the embedded mode on a fresh data
directory: no PostgreSQL, no Redis. It must serve pages, docs, health and the socket, accept the
demo logins, and stop every process it started on Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest
from websockets.sync.client import connect

from tests.processes import free_port, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _embedded_env(var_dir, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ALLOW"))}
    env.update(
        DATABASE_URL="",
        REDIS_URL="",
        TUANJU_VAR_DIR=str(var_dir),
        PORT=str(port),
        HOST="127.0.0.1",
        TUANJU_TESTING="0",
        MEDIA_ROOT=str(var_dir / "media"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _manage(env, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.timeout(240)
def test_embedded_service_starts_serves_and_stops_together(tmp_path):
    port = free_port()
    env = _embedded_env(tmp_path, port)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "seed_demo", "--quiet")
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed with the process below
    serve = subprocess.Popen(
        [sys.executable, "-m", "config.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    children: list[psutil.Process] = []
    try:

        def up() -> bool:
            try:
                return _get(f"{base}/healthz")[0] == 200
            except OSError:
                return False

        assert wait_until(up, timeout=90, interval=0.5), (tmp_path / "serve.log").read_text()[
            -3000:
        ]
        health = json.loads(_get(f"{base}/healthz")[1])
        assert health == {
            "status": "ok",
            "database": "ok",
            "channel_layer": "in_memory",
            "broker": "embedded",
        }
        assert _get(f"{base}/")[0] == 200
        assert b"swagger-ui" in _get(f"{base}/api/docs/")[1]

        login = _post_json(
            f"{base}/api/v1/auth/login/", {"username": "alice", "password": "tuanju-demo-2026"}
        )
        with connect(
            f"ws://127.0.0.1:{port}/ws/",
            additional_headers={"Authorization": f"Token {login['token']}"},
        ) as ws:
            hello = json.loads(ws.recv(timeout=10))
        assert (hello["type"], hello["data"]["user_id"]) == ("realtime.hello", login["user"]["id"])
        assert wait_until(lambda: "celery@" in (tmp_path / "serve.log").read_text(), timeout=30)
        children = psutil.Process(serve.pid).children(recursive=True)
        assert len(children) >= 2  # daphne and the Celery worker (with beat)
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)
        log.close()

    assert wait_until(
        lambda: (
            not any(
                child.is_running() and child.status() != psutil.STATUS_ZOMBIE for child in children
            )
        ),
        timeout=20,
    )
    assert "Tuanju is running at" in (tmp_path / "serve.log").read_text()
