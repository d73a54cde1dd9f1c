import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_for_visitors_invites_to_join(client):
    html = client.get("/").content.decode()

    assert "Create an account" in html
    assert "data-user-id" not in html  # no socket for visitors


def test_home_for_members_shows_tier_and_starts_realtime(client):
    member = UserFactory(display_name="小红")
    client.force_login(member)

    html = client.get("/").content.decode()

    assert "小红" in html
    assert f'data-user-id="{member.id}"' in html
    assert "tuanju/realtime.js" in html
    assert "vendor/htmx.min.js" in html and "vendor/alpine.min.js" in html


def test_me_page_requires_login(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/me/")


def test_login_page_ignores_offsite_next(client):
    html = client.get("/login/?next=https://evil.example/").content.decode()

    assert "evil.example" not in html


def test_static_files_are_served(client):
    assert client.get("/static/tuanju/realtime.js").status_code == 200
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
