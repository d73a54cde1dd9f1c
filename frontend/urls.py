from django.urls import include, path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_page, name="login"),
    path("register/", views.register_page, name="register"),
    path("me/", views.me_page, name="me"),
    path("leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("", include("frontend.urls_community")),
    path("", include("frontend.urls_shop")),
    path("", include("frontend.urls_flash")),
    path("", include("frontend.urls_teams")),
    path("", include("frontend.urls_chat")),
    path("", include("frontend.urls_feeds")),
]
