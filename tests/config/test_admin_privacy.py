"""Finding 9 of issue #17 (privacy): moderators cannot read private messages, support
conversations or any other private content in Django admin."""

import pytest
from django.test import Client

from community.admin.accounts import MODERATOR_MODELS, role_permissions
from community.models import Role
from community.services import role_grant
from feeds.models import Post
from tests.factories import UserFactory
from tests.feeds.conftest import make_post

pytestmark = pytest.mark.django_db

# Public content moderators review, and member look-ups. Anything added to MODERATOR_MODELS
# must be argued into this list: private models never are.
PUBLIC_MODELS = {
    "feeds.post",
    "feeds.review",
    "feeds.sharefraudflag",
    "chat.livecomment",
    "chat.livestream",
    "community.user",
}
PRIVATE_ADMIN_PAGES = [
    "/admin/chat/message/",
    "/admin/chat/supportconversation/",
    "/admin/chat/room/",
    "/admin/chat/feedback/",
    "/admin/community/notification/",
    "/admin/community/pointsentry/",
    "/admin/groupbuy/order/",
    "/admin/groupbuy/payment/",
    "/admin/groupbuy/aftersalesrequest/",
]


def _moderator_admin() -> Client:
    moderator = UserFactory()
    role_grant(actor=None, user=moderator, role="moderator")
    client = Client()
    client.force_login(moderator)
    return client


def test_moderators_hold_permissions_on_public_models_only():
    models = {
        perm.split(".")[0] + "." + perm.split("_", 1)[1]
        for perm in role_permissions({Role.MODERATOR})
    }

    assert set(MODERATOR_MODELS) <= PUBLIC_MODELS
    assert models <= PUBLIC_MODELS


@pytest.mark.parametrize("page", PRIVATE_ADMIN_PAGES)
def test_private_admin_pages_are_closed_to_moderators(page):
    assert _moderator_admin().get(page).status_code == 403


def test_a_member_page_shows_a_moderator_the_profile_not_the_private_details():
    member = UserFactory(email="private@example.com", first_name="Secret")
    admin = _moderator_admin()

    page = admin.get(f"/admin/community/user/{member.pk}/change/")

    assert page.status_code == 200
    assert member.username.encode() in page.content
    assert b"private@example.com" not in page.content
    assert b"Secret" not in page.content
    assert b"pbkdf2" not in page.content and b"md5" not in page.content


def test_a_draft_is_not_listed_for_moderators_but_submitted_posts_are():
    author = UserFactory()
    draft = make_post(author, title="My unfinished draft")
    Post.objects.filter(pk=draft.pk).update(status="draft")
    make_post(author, title="Published for everyone")

    listing = _moderator_admin().get("/admin/feeds/post/").content

    assert b"Published for everyone" in listing
    assert b"My unfinished draft" not in listing
    assert _moderator_admin().get(f"/admin/feeds/post/{draft.pk}/change/").status_code == 302
