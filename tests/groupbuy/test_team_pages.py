"""Group-buy pages render the campaign's open teams, a team's real members and its outcome."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from groupbuy.models import Team
from groupbuy.services import team_expire, team_open
from tests.factories import UserFactory
from tests.groupbuy.orderflow import staff_member
from tests.groupbuy.teamflow import campaign, join_paid, open_paid

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_campaign_page_lists_open_teams_and_offers_to_start_one():
    deal = campaign(staff_member(), team_size=3)
    team_open(actor=UserFactory(display_name="Mei"), campaign_id=deal.pk)

    page = browser_for(UserFactory()).get(f"/campaigns/{deal.pk}/").content.decode()
    listing = browser_for(None).get("/campaigns/").content.decode()

    assert "Mei&#x27;s team" in page or "Mei's team" in page
    assert "2 seats left" in page
    assert "1 hour to fill" in page  # the test campaign's 60-minute window, said for people
    assert 'data-testid="open-team"' in page
    assert f"/campaigns/{deal.pk}/" in listing


def test_team_page_shows_members_empty_seats_and_a_join_button_to_others():
    deal = campaign(staff_member(), team_size=3)
    lead = UserFactory(display_name="Mei")
    seat = team_open(actor=lead, campaign_id=deal.pk)

    other = browser_for(UserFactory()).get(f"/teams/{seat.team.pk}/").content.decode()
    own = browser_for(lead).get(f"/teams/{seat.team.pk}/").content.decode()

    assert other.count('data-testid="empty-seat"') == 2
    assert "Mei · leader" in other
    assert 'data-testid="join-team"' in other
    assert 'data-testid="join-team"' not in own
    assert 'data-last-seq="1"' in other  # the "opened" event


def test_a_platform_filled_team_says_so_and_shows_only_real_members():
    deal = campaign(staff_member(), team_size=3, platform_fill=True)
    team = open_paid(UserFactory(display_name="Mei"), deal.pk).team
    join_paid(UserFactory(display_name="Bob"), team.pk)
    Team.objects.filter(pk=team.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    team_expire(team_id=team.pk)

    page = browser_for(None).get(f"/teams/{team.pk}/").content.decode()

    assert "Team complete" in page
    assert 'data-testid="platform-filled" hidden' not in page
    assert page.count('data-testid="member"') == 2
    assert 'data-testid="join-team"' not in page


def test_my_group_buys_lists_my_seats_only():
    deal = campaign(staff_member(), team_size=2)
    mei, bob = UserFactory(), UserFactory()
    mine = team_open(actor=mei, campaign_id=deal.pk)
    other = team_open(actor=bob, campaign_id=deal.pk)

    page = browser_for(mei).get("/me/group-buys/").content.decode()

    assert f"/teams/{mine.team.pk}/" in page
    assert f"/teams/{other.team.pk}/" not in page
    assert browser_for(None).get("/me/group-buys/").status_code == 302


def test_unknown_team_and_campaign_pages_are_not_found():
    assert browser_for(None).get("/teams/999999/").status_code == 404
    assert browser_for(None).get("/campaigns/999999/").status_code == 404


def test_the_product_page_offers_its_live_group_buy():
    deal = campaign(staff_member(), team_size=3)

    page = browser_for(None).get(f"/products/{deal.product_id}/").content.decode()

    assert f'href="/campaigns/{deal.pk}/"' in page
    assert "Team up: ¥39.90 with 3 people" in page


def test_members_see_a_link_to_the_team_chat_and_others_do_not(django_capture_on_commit_callbacks):
    deal = campaign(staff_member(), team_size=3)
    lead = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        team = team_open(actor=lead, campaign_id=deal.pk).team

    own = browser_for(lead).get(f"/teams/{team.pk}/").content.decode()
    other = browser_for(UserFactory()).get(f"/teams/{team.pk}/").content.decode()

    assert 'data-testid="team-chat"' in own
    assert 'data-testid="team-chat"' not in other
