"""Finding 1 of issue #17: no secret defaults outside the embedded mode, and the embedded mode's
key is made on the machine instead of being a constant from the repository."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OLD_PUBLIC_KEY = "django-insecure-tuanju-embedded-mode-only"
PRINT_SETTINGS = (
    "from django.conf import settings; "
    "print(settings.SECRET_KEY); print(settings.REALTIME_RELAY_ENABLED)"
)


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    child = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"}
    }
    child.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TUANJU_TESTING="0",
        TUANJU_SKIP_LOGGING="1",
        TUANJU_VAR_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=child,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "backends",
    [
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tuanju"},
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/tuanju",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    ],
    ids=["postgres", "redis", "both"],
)
def test_the_service_refuses_to_start_without_a_key_outside_the_embedded_mode(tmp_path, backends):
    loaded = _load_settings(tmp_path, **backends)

    assert loaded.returncode != 0
    assert "SECRET_KEY is not set" in loaded.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_embedded_mode_makes_its_own_key_and_keeps_it(tmp_path):
    first = _load_settings(tmp_path)
    second = _load_settings(tmp_path)

    assert first.returncode == 0, first.stderr
    key, relay_enabled = first.stdout.split()
    assert key != OLD_PUBLIC_KEY and len(key) >= 50
    assert relay_enabled == "True"
    # daphne and the worker are separate processes: they must agree on the key.
    assert second.stdout.split()[0] == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_configured_key_is_used_and_redis_has_no_relay(tmp_path):
    loaded = _load_settings(
        tmp_path,
        SECRET_KEY="configured-key",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tuanju",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split() == ["configured-key", "False"]
