"""Shared set-up for benchmarks: a dedicated PostgreSQL database, members with tokens, and
servers started as subprocesses on free loopback ports. Nothing here is used by the tests."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuanju_bench")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# PostgreSQL + Redis is not the embedded mode, so the servers refuse to start without a key:
# one throwaway key per bench run, shared by every process it starts.
BENCH_SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)


def bench_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=BENCH_DB,
        REDIS_URL=BENCH_REDIS,
        SECRET_KEY=BENCH_SECRET_KEY,
        # Plain HTTP on loopback: no HTTPS redirect, HSTS or Secure-only cookies.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        TUANJU_REDIS_PREFIX="tuanju-bench",
        REDIS_CHANNEL_DB="6",
        REDIS_CACHE_DB="7",
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="WARNING",
        # Frames from hundreds of bench clients on one connection each must not trip flood control.
        REALTIME_FRAME_RATE="1000",
        REALTIME_FRAME_BURST="1000",
        **extra,
    )
    return env


def prepare_database() -> None:
    """Create the bench database if needed and migrate it."""
    import psycopg

    name = BENCH_DB.rsplit("/", 1)[1]
    admin_url = BENCH_DB.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=bench_env(),
        check=True,
    )


def setup_django() -> None:
    os.environ.update(bench_env())
    import django

    django.setup()


def members_with_tokens(count: int, prefix: str = "bench") -> list[tuple[int, str]]:
    """``count`` members named ``<prefix>NNNNN`` with API tokens (created once, reused)."""
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from community.models import User

    names = [f"{prefix}{n:05d}" for n in range(count)]
    password = make_password("bench-password-123")
    User.objects.bulk_create(
        [User(username=name, password=password) for name in names], ignore_conflicts=True
    )
    users = list(User.objects.filter(username__in=names).order_by("username"))
    Token.objects.bulk_create(
        [Token(user=u, key=Token.generate_key()) for u in users], ignore_conflicts=True
    )
    tokens = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    return [(u.pk, tokens[u.pk]) for u in users]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _serving(command: list[str], env: dict[str, str], port: int):
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def daphne(application: str, env: dict[str, str], port: int | None = None):
    """Run ``daphne <application>`` on ``port`` (a free one by default); yields its base URL."""
    port = port or free_port()
    command = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), application]
    with _serving(command, env, port) as url:
        yield url


@contextmanager
def gunicorn(
    application: str, env: dict[str, str], *, workers: int, threads: int, port: int | None = None
):
    """Run the production REST tier, ``gunicorn <application>`` with threaded workers."""
    port = port or free_port()
    command = [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        application,
    ]
    with _serving(command, env, port) as url:
        yield url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
