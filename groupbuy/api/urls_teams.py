from django.urls import path

from groupbuy.api import team_views as views

urlpatterns = [
    path("campaigns/", views.CampaignListCreateView.as_view(), name="campaign-list"),
    path("campaigns/<int:campaign_id>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:campaign_id>/teams/", views.TeamOpenView.as_view(), name="campaign-teams"),
    path("teams/<int:team_id>/", views.TeamDetailView.as_view(), name="team"),
    path("teams/<int:team_id>/join/", views.TeamJoinView.as_view(), name="team-join"),
    path("teams/<int:team_id>/events/", views.TeamEventsView.as_view(), name="team-events"),
    path("me/teams/", views.MyTeamsView.as_view(), name="my-teams"),
]
