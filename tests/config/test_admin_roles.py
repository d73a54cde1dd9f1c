"""Django admin follows roles: staff run the product's models, moderators review content and
nothing else, a member without a role cannot get in, and revoking a role closes the door."""

import pytest
from django.test import Client

from community.services import role_grant, role_revoke
from feeds.models import Post
from tests.factories import UserFactory
from tests.feeds.conftest import make_post

pytestmark = pytest.mark.django_db


def _admin_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _holding(role):
    person = UserFactory()
    role_grant(actor=None, user=person, role=role)
    return person


def test_the_staff_role_alone_runs_the_shop_and_the_content_in_the_admin():
    staff = _holding("staff")
    assert not staff.is_superuser
    admin = _admin_as(staff)

    pages = ["/admin/", "/admin/groupbuy/product/", "/admin/groupbuy/order/", "/admin/feeds/post/"]
    assert [admin.get(page).status_code for page in pages] == [200, 200, 200, 200]
    assert b"groupbuy/coupon/" in admin.get("/admin/").content


def test_a_moderator_reviews_posts_but_cannot_open_orders():
    moderator = _holding("moderator")
    post = make_post(UserFactory(), title="Spam spam spam")
    admin = _admin_as(moderator)

    orders = admin.get("/admin/groupbuy/order/")
    admin.post("/admin/feeds/post/", {"action": "hide", "_selected_action": [post.pk]})

    assert admin.get("/admin/feeds/post/").status_code == 200
    assert orders.status_code == 403
    assert Post.objects.get(pk=post.pk).status == "hidden"
    assert b"groupbuy" not in admin.get("/admin/").content


def test_members_without_an_admin_role_and_revoked_moderators_are_kept_out():
    member = UserFactory()
    moderator = _holding("moderator")
    role_revoke(actor=None, user=moderator, role="moderator")

    for person in (member, moderator):
        response = _admin_as(person).get("/admin/feeds/post/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
