"""Profile, settings and community pages; admin registration; the demo social graph."""

import io

import pytest

from community.models import Block, Community, CommunityMembership, Follow, InterestTag, User
from community.services.communities import community_create, community_join
from community.services.social import block_create, follow_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_page_shows_counts_and_follow_button(client, user, other_user):
    follow_create(actor=user, followee=other_user)
    client.force_login(user)

    html = client.get(f"/u/{other_user.username}/").content.decode()

    assert 'data-testid="followers-count">1<' in html
    assert "Following ✓" in html
    assert 'data-testid="block"' in html
    assert "tuanju/community.js" in html and "tuanju/community.css" in html


def test_profile_page_for_visitors_and_unknown_users(client, other_user):
    html = client.get(f"/u/{other_user.username}/").content.decode()

    assert "Log in to follow" in html
    assert 'data-testid="follow"' not in html
    assert client.get("/u/nobody-here/").status_code == 404


def test_settings_page_requires_login_and_lists_blocks(client, user, other_user):
    assert client.get("/settings/").status_code == 302
    block_create(actor=user, blocked=other_user)
    client.force_login(user)

    html = client.get("/settings/").content.decode()

    assert other_user.username in html
    assert "/api/v1/me/export/" in html
    assert 'data-json-form="/api/v1/me/account/"' in html


def test_communities_pages_show_membership_state(client, user):
    owner = UserFactory()
    public = community_create(actor=owner, name="Runners")
    approval = community_create(actor=owner, name="Film", join_policy="approval")
    community_join(actor=user, community=approval)
    client.force_login(user)

    listing = client.get("/communities/").content.decode()
    public_page = client.get(f"/communities/{public.id}/").content.decode()
    approval_page = client.get(f"/communities/{approval.id}/").content.decode()

    assert "Runners" in listing and "Requested" in listing
    assert 'data-testid="join"' in public_page
    assert 'data-testid="pending"' in approval_page
    assert "Only members see who is in this community." in approval_page
    assert client.get("/communities/999999/").status_code == 404


def test_community_page_shows_requests_to_leaders_only(client, user):
    owner = UserFactory()
    approval = community_create(actor=owner, name="Film", join_policy="approval")
    community_join(actor=user, community=approval)

    client.force_login(owner)
    as_owner = client.get(f"/communities/{approval.id}/").content.decode()
    client.force_login(UserFactory())
    as_other = client.get(f"/communities/{approval.id}/").content.decode()

    assert f"/requests/{user.id}/approve/" in as_owner
    assert "Join requests" not in as_other


@pytest.mark.parametrize("model", [InterestTag, Follow, Block, Community])
def test_admin_changelists_open(admin_client, model):
    community_create(actor=UserFactory(), name="Admin view")
    meta = model._meta

    response = admin_client.get(f"/admin/{meta.app_label}/{meta.model_name}/")

    assert response.status_code == 200


def test_admin_community_page_shows_memberships_inline(admin_client):
    community = community_create(actor=UserFactory(username="founder"), name="Inline")

    html = admin_client.get(f"/admin/community/community/{community.id}/change/").content.decode()

    assert "founder" in html
    assert "Community memberships" in html or "community membership" in html.lower()


def test_seed_social_is_idempotent(settings, tmp_path):
    from django.core.management import call_command

    from community.demo.social import seed_social

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--quiet")
    out = io.StringIO()

    seed_social(out)
    first = (
        Community.objects.count(),
        CommunityMembership.objects.count(),
        Follow.objects.count(),
        InterestTag.objects.count(),
    )
    seed_social(out)

    assert first == (
        Community.objects.count(),
        CommunityMembership.objects.count(),
        Follow.objects.count(),
        InterestTag.objects.count(),
    )
    assert first[0] == 4
    assert Community.objects.filter(owner__username="leader").exists()
    assert Community.objects.filter(join_policy="approval").count() == 1
    for community in Community.objects.all():
        active = CommunityMembership.objects.filter(community=community, status="active").count()
        assert community.member_count == active
    assert CommunityMembership.objects.filter(status="pending").count() == 1
    assert User.objects.get(username="alice").interest_tags.count() == 4
    assert "Social graph ready" in out.getvalue()
