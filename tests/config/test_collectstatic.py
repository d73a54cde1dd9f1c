from django.core.management import call_command


def test_production_static_build_succeeds(settings, tmp_path):
    # The run command collects static files into the hashed, compressed manifest storage; a
    # vendored file that points at a missing source map would abort it.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/htmx.min.js" in manifest
    assert "tuanju/realtime.js" in manifest
    assert any(tmp_path.glob("vendor/htmx.min.*.js.gz"))
