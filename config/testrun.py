"""The test command (``make test``): lint, layering, then the whole pytest suite.

Uses PostgreSQL and Redis when they answer (DATABASE_URL / REDIS_URL, or the local defaults
127.0.0.1:5432 and 127.0.0.1:6379) and says which backends it used. With CI=true an unreachable
service is a failure, not a fallback. pytest's "no tests collected" (exit 5) is a failure too.
"""

import os
import secrets
import socket
import subprocess
import sys
from urllib.parse import urlparse

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/tuanju"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def _choose_backends(ci: bool) -> list[str]:
    problems = []
    database_url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if _reachable(database_url, 5432):
        os.environ["DATABASE_URL"] = database_url
    elif ci:
        problems.append(f"PostgreSQL is not reachable at {database_url}")
    else:
        os.environ["DATABASE_URL"] = ""
    redis_url = os.environ.get("REDIS_URL") or LOCAL_REDIS
    if _reachable(redis_url, 6379):
        os.environ["REDIS_URL"] = redis_url
    elif ci:
        problems.append(f"Redis is not reachable at {redis_url}")
    else:
        os.environ["REDIS_URL"] = ""
    return problems


def _run(step: str, command: list[str]) -> int:
    print(f"\n==> {step}: {' '.join(command)}", flush=True)
    return subprocess.call(command)


def main(argv: list[str]) -> int:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    problems = _choose_backends(ci)
    if problems:
        for problem in problems:
            print(f"FAIL: {problem} (CI=true forbids falling back)", file=sys.stderr)
        return 2
    database = (
        "PostgreSQL " + os.environ["DATABASE_URL"] if os.environ["DATABASE_URL"] else "SQLite"
    )
    redis = (
        "Redis " + os.environ["REDIS_URL"] if os.environ["REDIS_URL"] else "in-memory (no Redis)"
    )
    banner = f"Test backends: database = {database}; channel layer / cache = {redis}"
    # With PostgreSQL / Redis the settings refuse to load without a key, and mypy's Django plugin
    # loads them outside pytest: one throwaway key for this run's children.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    print(banner, flush=True)

    binary = os.path.dirname(sys.executable)
    if not argv:  # a narrowed run (make test ARGS=...) skips the linters
        for step, command in [
            ("ruff lint", [os.path.join(binary, "ruff"), "check", "."]),
            ("ruff format", [os.path.join(binary, "ruff"), "format", "--check", "."]),
            ("import layers", [os.path.join(binary, "lint-imports")]),
            ("types", [os.path.join(binary, "mypy"), "."]),
        ]:
            if _run(step, command) != 0:
                print(f"FAIL: {step}", file=sys.stderr)
                return 1
    workers = os.environ.get("TEST_WORKERS", "2")
    pytest_args = [sys.executable, "-m", "pytest", "-n", workers, "--dist", "loadfile"]
    pytest_args += ["-p", "no:cacheprovider", *argv]
    code = _run("pytest", pytest_args)
    print(banner, flush=True)
    if code == 5:
        print("FAIL: pytest collected no tests", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
