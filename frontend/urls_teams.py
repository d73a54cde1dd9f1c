from django.urls import path

from frontend import views_teams as views

urlpatterns = [
    path("campaigns/", views.campaigns_page, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign_page, name="campaign"),
    path("teams/<int:team_id>/", views.team_page, name="team"),
    path("me/group-buys/", views.my_group_buys_page, name="my-group-buys"),
]
