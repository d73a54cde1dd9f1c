from django.urls import path

from community.api import loyalty_views, views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("users/<str:username>/", views.UserDetailView.as_view(), name="user-detail"),
    path("checkins/", loyalty_views.CheckInView.as_view(), name="checkins"),
    path("points/", loyalty_views.PointsSummaryView.as_view(), name="points-summary"),
    path("points/ledger/", loyalty_views.PointsLedgerView.as_view(), name="points-ledger"),
    path("points/leaderboard/", loyalty_views.LeaderboardView.as_view(), name="points-leaderboard"),
    path("points/adjustments/", loyalty_views.PointsAdjustmentView.as_view(), name="points-adjust"),
    path("tasks/", loyalty_views.TasksView.as_view(), name="tasks"),
    path("tiers/", loyalty_views.TiersView.as_view(), name="tiers"),
    path("me/invite/", loyalty_views.InviteView.as_view(), name="me-invite"),
    path("notifications/", loyalty_views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/",
        loyalty_views.NotificationUnreadView.as_view(),
        name="notifications-unread",
    ),
    path(
        "notifications/read/",
        loyalty_views.NotificationReadView.as_view(),
        name="notifications-read",
    ),
    path(
        "notifications/preferences/",
        loyalty_views.NotificationPreferencesView.as_view(),
        name="notifications-preferences",
    ),
]
