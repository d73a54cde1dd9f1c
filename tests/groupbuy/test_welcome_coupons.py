"""Welcome coupons (PRODUCT §6 "issued automatically (new user)", §14 "a new-user coupon to the
invitee"): issued once at registration, the invitee's only to members who came through an invite."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from community.models import User
from groupbuy.models import Coupon, UserCoupon
from groupbuy.services import coupons_welcome_issue
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the signal goes out on commit


def _coupon(title, auto_issue, **fields) -> Coupon:
    return Coupon.objects.create(
        title=title,
        kind="amount",
        value=Decimal("10"),
        threshold=Decimal("39"),
        auto_issue=auto_issue,
        claimable=False,
        **fields,
    )


def _register(username, **extra):
    response = APIClient().post(
        "/api/v1/auth/register/", {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 201, response.json()
    return User.objects.get(username=username)


def _wallet(user) -> list[str]:
    return sorted(UserCoupon.objects.filter(user=user).values_list("coupon__title", flat=True))


def test_every_new_member_gets_the_new_user_coupons_and_only_invitees_the_invitee_ones():
    _coupon("Welcome ¥10", "new_user")
    _coupon("Invited ¥10", "invitee")
    _coupon("Not automatic", "")
    inviter = UserFactory(invite_code="FRIEND01")

    stranger = _register("stranger")
    friend = _register("friend", invite_code="FRIEND01")

    assert _wallet(stranger) == ["Welcome ¥10"]
    assert _wallet(friend) == ["Invited ¥10", "Welcome ¥10"]
    sources = dict(UserCoupon.objects.filter(user=friend).values_list("coupon__title", "source"))
    assert sources == {"Invited ¥10": "reward", "Welcome ¥10": "auto"}
    assert _wallet(inviter) == []


def test_a_welcome_coupon_that_ran_out_does_not_stop_a_registration_or_the_others():
    _coupon("Gone", "new_user", total_quantity=1, claimed_count=1)
    _coupon("Still here", "new_user")

    newcomer = _register("late")

    assert _wallet(newcomer) == ["Still here"]


def test_welcome_coupons_are_issued_once_however_often_the_issue_runs():
    _coupon("Welcome ¥10", "new_user")
    member = _register("twice")

    coupons_welcome_issue(user_id=member.pk, invited=False)
    coupons_welcome_issue(user_id=member.pk, invited=False)

    assert _wallet(member) == ["Welcome ¥10"]
    assert Coupon.objects.get(title="Welcome ¥10").claimed_count == 1
