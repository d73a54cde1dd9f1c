"""Finding 6 of issue #17 (memory): bodies past the cap are refused with 413 ``too_large``
before anything reads them, anonymously too, and images are sized from their header and
decoded at reduced scale."""

import io
import json

import pytest
from channels.testing import ApplicationCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile
from rest_framework.test import APIClient

from community.exceptions import ImageTooLargeError
from community.models import User
from community.selectors.accounts import process_image
from config.asgi import application

LOGIN = "/api/v1/auth/login/"


# --- the Django middleware (WSGI, and the test client) -------------------------------------------


def test_an_oversized_anonymous_login_body_is_refused_unread(db, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    body = json.dumps({"username": "x" * 2000, "password": "y"})

    response = Client().post(LOGIN, body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (413, "too_large")


def test_uploads_get_the_larger_cap_and_json_the_smaller(db, settings, user):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    settings.UPLOAD_MAX_BODY_BYTES = 10 * 1024 * 1024
    client = APIClient()
    client.force_authenticate(user)
    bio = "b" * 4000  # past the JSON cap, far under the upload cap

    as_json = client.patch("/api/v1/me/", {"bio": bio}, format="json")
    as_upload = client.patch("/api/v1/me/", {"bio": bio}, format="multipart")

    assert (as_json.status_code, as_json.json()["code"]) == (413, "too_large")
    assert as_upload.status_code != 413


# --- the ASGI wrapper (daphne): refused before Django spools the body ----------------------------


async def _asgi_post(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, dict]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": LOGIN,
        "raw_path": LOGIN.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    app = ApplicationCommunicator(application, scope)
    for index, chunk in enumerate(chunks):
        await app.send_input(
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        )
    start = await app.receive_output(timeout=5)
    body = await app.receive_output(timeout=5)
    await app.wait(timeout=5)
    return start["status"], json.loads(body["body"])


@pytest.mark.django_db(transaction=True)
async def test_a_30_mb_declared_body_is_refused_before_any_of_it_is_read():
    # Not one body byte is sent: the answer comes from the Content-Length alone.
    status, body = await _asgi_post(
        [(b"content-type", b"application/json"), (b"content-length", b"30000000")], []
    )

    assert (status, body["code"]) == (413, "too_large")


@pytest.mark.django_db(transaction=True)
async def test_a_chunked_body_is_cut_off_at_the_cap(settings):
    settings.REQUEST_MAX_BODY_BYTES = 1000
    chunks = [b"[" * 600, b"]" * 600, b"never read"]

    status, body = await _asgi_post([(b"content-type", b"application/json")], chunks)

    assert (status, body["code"]) == (413, "too_large")


@pytest.mark.django_db(transaction=True)
async def test_a_body_under_the_cap_still_reaches_the_view():
    payload = json.dumps({"username": "nobody", "password": "wrong"}).encode()

    status, body = await _asgi_post(
        [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        [payload],
    )

    assert (status, body["code"]) == (400, "invalid_credentials")
    assert await User.objects.acount() == 0


# --- images ---------------------------------------------------------------------------------------


def _png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")  # 400 Mpx in a few tens of KB
    return out.getvalue()


def test_a_decompression_bomb_is_refused_without_decoding_a_pixel(monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self.size))
    bomb = SimpleUploadedFile("bomb.png", _png_bomb(), content_type="image/png")

    with pytest.raises(ImageTooLargeError):
        process_image(bomb, max_side=512)

    assert decoded == []


def test_a_bomb_upload_answers_400_and_stores_nothing(db, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(user)
    bomb = SimpleUploadedFile("bomb.png", _png_bomb(), content_type="image/png")

    response = client.post("/api/v1/me/avatar/", {"avatar": bomb}, format="multipart")

    assert (response.status_code, response.json()["code"]) == (400, "image_too_large")
    assert list(tmp_path.rglob("*.*")) == []


def test_a_large_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    decoded_sizes = []
    original_load = ImageFile.ImageFile.load

    def spy(self):
        decoded_sizes.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), "blue").save(out, format="JPEG")

    processed = process_image(SimpleUploadedFile("big.jpg", out.getvalue()), max_side=512)

    assert (processed.width, processed.height) == (512, 384)
    # 1/4 scale: 12 Mpx never sit in memory at full size to become 0.2 Mpx.
    assert decoded_sizes and max(w * h for w, h in decoded_sizes) <= 1000 * 750
