import pytest

from community.models import Role, RoleGrant
from community.services import role_grant, role_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_granting_moderator_opens_admin_and_revoking_closes_it(user):
    role_grant(actor=None, user=user, role=Role.MODERATOR)
    user.refresh_from_db()
    assert user.is_staff

    role_revoke(actor=None, user=user, role=Role.MODERATOR)
    user.refresh_from_db()
    assert not user.is_staff
    assert not RoleGrant.objects.filter(user=user).exists()


def test_granting_twice_keeps_one_grant(user):
    role_grant(actor=None, user=user, role=Role.CREATOR)
    role_grant(actor=None, user=user, role=Role.CREATOR)

    assert RoleGrant.objects.filter(user=user, role=Role.CREATOR).count() == 1
    user.refresh_from_db()
    assert not user.is_staff  # creators do not get admin


def test_revoking_one_admin_role_keeps_admin_while_another_remains(user):
    role_grant(actor=None, user=user, role=Role.MODERATOR)
    role_grant(actor=None, user=user, role=Role.STAFF)

    role_revoke(actor=None, user=user, role=Role.MODERATOR)

    user.refresh_from_db()
    assert user.is_staff


def test_admin_user_list_is_for_staff_only(client, user):
    client.force_login(user)
    assert client.get("/admin/community/user/").status_code == 302  # to the admin login

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/community/user/")
    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_admin_action_grants_role_through_the_service(client, user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        "/admin/community/user/",
        {"action": "grant_support_agent", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.granted_by) == (Role.SUPPORT_AGENT, admin)
