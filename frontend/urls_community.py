from django.urls import path

from frontend import views_community as views

urlpatterns = [
    path("u/<str:username>/", views.profile_page, name="profile"),
    path("settings/", views.settings_page, name="settings"),
    path("communities/", views.communities_page, name="communities"),
    path("communities/<int:community_id>/", views.community_page, name="community"),
]
