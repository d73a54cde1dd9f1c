"""Finding 7 of issue #17: Content-Security-Policy and Permissions-Policy on the pages, Secure
cookies and a clean ``check --deploy`` in production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_carry_a_csp_whose_nonce_unlocks_only_their_own_inline_scripts(db):
    response = Client().get("/login/")

    csp = _csp(response)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the early-taps script is inline"
    assert all(
        f'nonce="{nonce}"' in attributes or "application/json" in attributes
        for attributes in inline
    )
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"


def test_each_response_gets_a_fresh_nonce(db):
    first, second = Client().get("/login/"), Client().get("/login/")

    assert _csp(first)["script-src"] != _csp(second)["script-src"]


def test_permissions_policy_turns_off_what_no_page_uses(db):
    policy = Client().get("/healthz")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "clipboard-write" not in policy  # the "copy link" buttons need it


def test_the_api_docs_page_needs_no_inline_script(db, user):
    client = Client()
    client.force_login(user)
    html = client.get("/api/docs/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html) == []


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_COOKIE", "PYTEST_"))
        # Browser tests in the same process set DJANGO_ALLOW_ASYNC_UNSAFE; production never does.
        and k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TUANJU_TESTING="0",
        TUANJU_SKIP_LOGGING="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tuanju",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="tuanju.example",
        TRUSTED_PROXIES="127.0.0.1",
        **extra,
    )
    return env


def test_production_settings_make_cookies_secure(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(TUANJU_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert loaded.stdout.split() == ["True", "True", "True"], loaded.stderr


@pytest.mark.timeout(300)
def test_check_deploy_passes_in_production_settings(tmp_path):
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(TUANJU_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=280,
    )

    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout, checked.stdout + checked.stderr


def test_the_live_media_server_is_an_allowed_source(db, settings):
    settings.LIVE_MEDIA_URL = ""
    settings.LIVE_MEDIA_PORT = 8088

    csp = _csp(Client().get("/login/"))

    assert "http://testserver:8088" in csp["media-src"].split()
    assert "http://testserver:8088" in csp["connect-src"].split()
