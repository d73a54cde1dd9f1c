"""Interest communities over REST: create, list, join, approve, leave, roles, removal."""

import pytest
from rest_framework.test import APIClient

from community.models import Community, CommunityMembership, Notification
from community.services.communities import (
    community_create,
    community_join,
    community_member_role_set,
)
from community.services.social import block_create
from community.signals import (
    community_created,
    community_member_joined,
    community_member_left,
    community_member_role_changed,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/communities/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(community, suffix="") -> str:
    return f"/api/v1/communities/{community.id}/{suffix}"


@pytest.fixture
def signals():
    received = []
    handlers = {}
    for name, signal in {
        "created": community_created,
        "joined": community_member_joined,
        "left": community_member_left,
        "role": community_member_role_changed,
    }.items():

        def handler(sender, signal, _name=name, **kwargs):
            received.append((_name, kwargs))

        handlers[name] = (signal, handler)
        signal.connect(handler)
    yield received
    for signal, handler in handlers.values():
        signal.disconnect(handler)


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def public(owner):
    return community_create(actor=owner, name="Runners", tags=["running"])


@pytest.fixture
def approval(owner):
    return community_create(actor=owner, name="Film club", join_policy="approval", tags=["film"])


@pytest.fixture
def leader(public, approval):
    person = UserFactory(username="leader")
    for community in (public, approval):
        membership = community_join(actor=person, community=community)
        if membership.status == "pending":
            client_for(community.owner).post(url(community, f"requests/{person.id}/approve/"))
        community_member_role_set(
            actor=community.owner, community=community, user_id=person.id, role="leader"
        )
    return person


def counts(community) -> tuple[int, int]:
    community.refresh_from_db()
    active = CommunityMembership.objects.filter(community=community, status="active").count()
    return community.member_count, active


# --- create ------------------------------------------------------------------------------------


def test_create_makes_creator_the_active_owner(user, signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(
            LIST,
            {
                "name": "  Tea   lovers ",
                "description": "Oolong",
                "join_policy": "approval",
                "tags": ["Tea", "tea", "oolong"],
            },
        )

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Tea lovers"
    assert body["member_count"] == 1
    assert body["join_policy"] == "approval"
    assert body["tags"] == ["oolong", "Tea"]
    assert body["owner"]["username"] == user.username
    assert body["my_membership"] == {"role": "owner", "status": "active"}
    community = Community.objects.get(pk=body["id"])
    assert community.owner == user
    assert signals == [("created", {"community_id": community.id, "owner_id": user.id})]


def test_create_refuses_taken_name_regardless_of_case(user, public):
    response = client_for(user).post(LIST, {"name": "RUNNERS"})

    assert response.status_code == 400
    assert response.json()["code"] == "community_name_taken"
    assert Community.objects.count() == 1
    assert CommunityMembership.objects.filter(user=user).count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": "x"},
        {"name": "ok name", "join_policy": "secret"},
        {"name": "ok", "tags": ["a"] * 6},
    ],
)
def test_create_refuses_bad_input(user, payload):
    response = client_for(user).post(LIST, payload)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert Community.objects.count() == 0


def test_create_requires_login(api_client):
    response = api_client.post(LIST, {"name": "Anon club"})

    assert response.status_code == 401
    assert Community.objects.count() == 0


# --- list and detail ---------------------------------------------------------------------------


def test_list_shows_counts_and_my_membership(user, public, approval):
    community_join(actor=user, community=approval)

    body = client_for(user).get(LIST).json()

    rows = {row["name"]: row for row in body["results"]}
    assert rows["Runners"]["my_membership"] is None
    assert rows["Film club"]["my_membership"] == {"role": "member", "status": "pending"}
    assert rows["Film club"]["member_count"] == 1
    assert [row["name"] for row in body["results"]] == ["Film club", "Runners"]


def test_list_filters_by_tag_and_mine(api_client, user, public, approval):
    community_join(actor=user, community=public)

    by_tag = api_client.get(f"{LIST}?tag=FILM").json()
    mine = client_for(user).get(f"{LIST}?mine=1").json()
    anonymous_mine = api_client.get(f"{LIST}?mine=1")

    assert [row["name"] for row in by_tag["results"]] == ["Film club"]
    assert [row["name"] for row in mine["results"]] == ["Runners"]
    assert anonymous_mine.status_code == 401


def test_list_uses_constant_queries(user, django_assert_max_num_queries):
    viewer = client_for(user)
    for n in range(2):
        community_create(actor=UserFactory(), name=f"club {n}", tags=["a", "b"])
    with django_assert_max_num_queries(4):
        small = viewer.get(LIST)
    for n in range(2, 14):
        community = community_create(actor=UserFactory(), name=f"club {n}", tags=["a", "b"])
        community_join(actor=user, community=community)
    with django_assert_max_num_queries(4):
        large = viewer.get(LIST)

    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 14


def test_detail_is_public_and_404s_for_unknown(api_client, public):
    assert api_client.get(url(public)).json()["member_count"] == 1
    missing = api_client.get("/api/v1/communities/999999/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


# --- join --------------------------------------------------------------------------------------


def test_join_public_is_immediate(user, public, signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(url(public, "join/"))

    assert response.status_code == 201
    body = response.json()
    assert body["membership"] == {"role": "member", "status": "active"}
    assert body["community"]["member_count"] == 2
    assert counts(public) == (2, 2)
    assert signals == [
        ("joined", {"community_id": public.id, "user_id": user.id, "role": "member"})
    ]


def test_join_approval_community_is_a_pending_request(
    user, approval, signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(url(approval, "join/"))

    assert response.status_code == 202
    assert response.json()["membership"] == {"role": "member", "status": "pending"}
    assert counts(approval) == (1, 1)
    assert signals == []


def test_join_twice_is_refused(user, public, approval):
    client = client_for(user)
    client.post(url(public, "join/"))
    client.post(url(approval, "join/"))

    again_public = client.post(url(public, "join/"))
    again_approval = client.post(url(approval, "join/"))
    owner_joins = client_for(public.owner).post(url(public, "join/"))

    assert (again_public.status_code, again_public.json()["code"]) == (409, "already_member")
    assert (again_approval.status_code, again_approval.json()["code"]) == (409, "join_pending")
    assert (owner_joins.status_code, owner_joins.json()["code"]) == (409, "already_member")
    assert counts(public) == (2, 2)
    assert counts(approval) == (1, 1)


def test_join_refused_when_owner_blocked_me(user, public):
    block_create(actor=public.owner, blocked=user)

    response = client_for(user).post(url(public, "join/"))

    assert response.status_code == 403
    assert response.json()["code"] == "blocked"
    assert counts(public) == (1, 1)


def test_join_requires_login(api_client, public):
    response = api_client.post(url(public, "join/"))

    assert response.status_code == 401
    assert counts(public) == (1, 1)


# --- leave -------------------------------------------------------------------------------------


def test_leave_decrements_and_signals(user, public, signals, django_capture_on_commit_callbacks):
    community_join(actor=user, community=public)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(url(public, "leave/"))

    assert response.status_code == 204
    assert counts(public) == (1, 1)
    assert signals == [("left", {"community_id": public.id, "user_id": user.id})]


def test_leave_withdraws_a_pending_request_without_touching_the_count(user, approval):
    community_join(actor=user, community=approval)

    response = client_for(user).post(url(approval, "leave/"))

    assert response.status_code == 204
    assert not CommunityMembership.objects.filter(user=user).exists()
    assert counts(approval) == (1, 1)


def test_leave_refusals(user, public):
    not_member = client_for(user).post(url(public, "leave/"))
    owner = client_for(public.owner).post(url(public, "leave/"))

    assert (not_member.status_code, not_member.json()["code"]) == (409, "not_a_member")
    assert (owner.status_code, owner.json()["code"]) == (409, "owner_cannot_leave")
    assert counts(public) == (1, 1)


# --- join requests -----------------------------------------------------------------------------


def test_requests_matrix(api_client, user, approval, leader):
    applicant = UserFactory()
    community_join(actor=applicant, community=approval)
    path = url(approval, "requests/")

    anonymous = api_client.get(path)
    member_of_public = client_for(user).get(path)
    as_leader = client_for(leader).get(path)
    as_owner = client_for(approval.owner).get(path)

    assert anonymous.status_code == 401
    assert (member_of_public.status_code, member_of_public.json()["code"]) == (
        403,
        "permission_denied",
    )
    assert as_leader.status_code == as_owner.status_code == 200
    assert [r["user"]["id"] for r in as_leader.json()["results"]] == [applicant.id]


@pytest.mark.parametrize("approver", ["owner", "leader"])
def test_approve_by_owner_or_leader(
    approver, approval, leader, signals, django_capture_on_commit_callbacks
):
    applicant = UserFactory()
    community_join(actor=applicant, community=approval)
    actor = approval.owner if approver == "owner" else leader
    before = counts(approval)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(actor).post(url(approval, f"requests/{applicant.id}/approve/"))

    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert counts(approval) == (before[0] + 1, before[1] + 1)
    membership = CommunityMembership.objects.get(community=approval, user=applicant)
    assert membership.decided_by == actor
    assert Notification.objects.get(user=applicant).type == "community_join_approved"
    assert (
        "joined",
        {"community_id": approval.id, "user_id": applicant.id, "role": "member"},
    ) in signals


def test_approve_and_reject_refused_for_others(api_client, user, approval):
    applicant = UserFactory()
    community_join(actor=applicant, community=approval)
    member = UserFactory()
    community_join(actor=member, community=approval)
    client_for(approval.owner).post(url(approval, f"requests/{member.id}/approve/"))
    before = counts(approval)

    for client, status in (
        (api_client, 401),
        (client_for(user), 403),
        (client_for(member), 403),
        (client_for(applicant), 403),
    ):
        for action in ("approve", "reject"):
            response = client.post(url(approval, f"requests/{applicant.id}/{action}/"))
            assert response.status_code == status
    assert counts(approval) == before
    assert CommunityMembership.objects.get(community=approval, user=applicant).status == "pending"


def test_reject_deletes_the_request_and_allows_asking_again(approval, leader):
    applicant = UserFactory()
    community_join(actor=applicant, community=approval)

    response = client_for(leader).post(url(approval, f"requests/{applicant.id}/reject/"))

    assert response.status_code == 204
    assert not CommunityMembership.objects.filter(community=approval, user=applicant).exists()
    assert client_for(applicant).post(url(approval, "join/")).status_code == 202


def test_approve_unknown_request_is_404(approval, user):
    response = client_for(approval.owner).post(url(approval, f"requests/{user.id}/approve/"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- roles and removal -------------------------------------------------------------------------


def test_owner_promotes_and_demotes(public, user, signals, django_capture_on_commit_callbacks):
    community_join(actor=user, community=public)
    owner = client_for(public.owner)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = owner.post(url(public, f"members/{user.id}/role/"), {"role": "leader"})
        demoted = owner.post(url(public, f"members/{user.id}/role/"), {"role": "member"})

    assert promoted.status_code == demoted.status_code == 200
    assert promoted.json()["role"] == "leader"
    assert demoted.json()["role"] == "member"
    assert [s for s in signals if s[0] == "role"] == [
        ("role", {"community_id": public.id, "user_id": user.id, "role": "leader"}),
        ("role", {"community_id": public.id, "user_id": user.id, "role": "member"}),
    ]


def test_role_changes_refused_for_everyone_but_the_owner(api_client, public, leader, user):
    member = UserFactory()
    community_join(actor=member, community=public)
    path = url(public, f"members/{member.id}/role/")

    results = [
        api_client.post(path, {"role": "leader"}).status_code,
        client_for(user).post(path, {"role": "leader"}).status_code,
        client_for(leader).post(path, {"role": "leader"}).status_code,
        client_for(member).post(path, {"role": "leader"}).status_code,
    ]
    owner_role = client_for(public.owner).post(
        url(public, f"members/{public.owner_id}/role/"), {"role": "member"}
    )
    bad_role = client_for(public.owner).post(path, {"role": "owner"})

    assert results == [401, 403, 403, 403]
    assert (owner_role.status_code, owner_role.json()["code"]) == (403, "permission_denied")
    assert (bad_role.status_code, bad_role.json()["code"]) == (400, "validation_error")
    assert CommunityMembership.objects.get(community=public, user=member).role == "member"
    assert CommunityMembership.objects.get(community=public, user=public.owner).role == "owner"


def test_leader_removes_a_member(public, leader, signals, django_capture_on_commit_callbacks):
    member = UserFactory()
    community_join(actor=member, community=public)
    before = counts(public)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(url(public, f"members/{member.id}/remove/"))

    assert response.status_code == 204
    assert counts(public) == (before[0] - 1, before[1] - 1)
    assert ("left", {"community_id": public.id, "user_id": member.id}) in signals


def test_removal_refusals(api_client, public, leader, user):
    other_leader = UserFactory()
    community_join(actor=other_leader, community=public)
    community_member_role_set(
        actor=public.owner, community=public, user_id=other_leader.id, role="leader"
    )
    member = UserFactory()
    community_join(actor=member, community=public)
    before = counts(public)

    anonymous = api_client.post(url(public, f"members/{member.id}/remove/"))
    outsider = client_for(user).post(url(public, f"members/{member.id}/remove/"))
    plain_member = client_for(member).post(url(public, f"members/{leader.id}/remove/"))
    leader_on_leader = client_for(leader).post(url(public, f"members/{other_leader.id}/remove/"))
    leader_on_owner = client_for(leader).post(url(public, f"members/{public.owner_id}/remove/"))

    assert anonymous.status_code == 401
    for response in (outsider, plain_member, leader_on_leader, leader_on_owner):
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert counts(public) == before


def test_owner_removes_a_leader(public, leader):
    response = client_for(public.owner).post(url(public, f"members/{leader.id}/remove/"))

    assert response.status_code == 204
    assert not CommunityMembership.objects.filter(community=public, user=leader).exists()


# --- members -----------------------------------------------------------------------------------


def test_members_of_public_community_are_public(api_client, public, leader):
    body = api_client.get(url(public, "members/")).json()

    assert [(m["user"]["username"], m["role"]) for m in body["results"]] == [
        ("owner", "owner"),
        ("leader", "leader"),
    ]


def test_members_of_approval_community_are_for_members_only(api_client, user, approval, leader):
    applicant = UserFactory()
    community_join(actor=applicant, community=approval)

    anonymous = api_client.get(url(approval, "members/"))
    outsider = client_for(user).get(url(approval, "members/"))
    pending = client_for(applicant).get(url(approval, "members/"))
    member = client_for(leader).get(url(approval, "members/"))

    assert anonymous.status_code == 401
    assert (outsider.status_code, outsider.json()["code"]) == (403, "permission_denied")
    assert pending.status_code == 403
    assert member.status_code == 200
    assert len(member.json()["results"]) == 2


def test_members_list_uses_constant_queries(api_client, public, django_assert_max_num_queries):
    for person in UserFactory.create_batch(3):
        community_join(actor=person, community=public)
    with django_assert_max_num_queries(4):
        small = api_client.get(url(public, "members/"))
    for person in UserFactory.create_batch(12):
        community_join(actor=person, community=public)
    with django_assert_max_num_queries(4):
        large = api_client.get(url(public, "members/"))

    assert len(small.json()["results"]) == 4
    assert len(large.json()["results"]) == 16
