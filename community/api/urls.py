from django.urls import path

from community.api import accounts, communities, loyalty, moderation, social
from community.api.notifications import views as notifications

urlpatterns = [
    path("reports/", moderation.ReportCreateView.as_view(), name="reports"),
    path("moderation/queue/", moderation.QueueView.as_view(), name="moderation-queue"),
    path(
        "moderation/items/<int:item_id>/",
        moderation.ItemView.as_view(),
        name="moderation-item",
    ),
    path(
        "moderation/items/<int:item_id>/claim/",
        moderation.ItemClaimView.as_view(),
        name="moderation-claim",
    ),
    path(
        "moderation/items/<int:item_id>/decide/",
        moderation.ItemDecideView.as_view(),
        name="moderation-decide",
    ),
    path(
        "moderation/watched-words/",
        moderation.WatchedWordsView.as_view(),
        name="moderation-words",
    ),
    path(
        "moderation/watched-words/<int:word_id>/",
        moderation.WatchedWordView.as_view(),
        name="moderation-word",
    ),
    path("moderation/log/", moderation.PublicLogView.as_view(), name="moderation-log"),
    path("me/moderation/", moderation.MyModerationView.as_view(), name="me-moderation"),
    path("appeals/", moderation.AppealCreateView.as_view(), name="appeals"),
    path("auth/register/", accounts.RegisterView.as_view(), name="auth-register"),
    path("auth/login/", accounts.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="auth-logout"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("users/<str:username>/", accounts.UserDetailView.as_view(), name="user-detail"),
    path("checkins/", loyalty.CheckInView.as_view(), name="checkins"),
    path("points/", loyalty.PointsSummaryView.as_view(), name="points-summary"),
    path("points/ledger/", loyalty.PointsLedgerView.as_view(), name="points-ledger"),
    path("points/leaderboard/", loyalty.LeaderboardView.as_view(), name="points-leaderboard"),
    path("points/adjustments/", loyalty.PointsAdjustmentView.as_view(), name="points-adjust"),
    path("tasks/", loyalty.TasksView.as_view(), name="tasks"),
    path("tiers/", loyalty.TiersView.as_view(), name="tiers"),
    path("me/invite/", loyalty.InviteView.as_view(), name="me-invite"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/unread-count/",
        notifications.NotificationUnreadView.as_view(),
        name="notifications-unread",
    ),
    path(
        "notifications/read/",
        notifications.NotificationReadView.as_view(),
        name="notifications-read",
    ),
    path(
        "notifications/preferences/",
        notifications.NotificationPreferencesView.as_view(),
        name="notifications-preferences",
    ),
    path("users/<str:username>/follow/", social.FollowView.as_view(), name="user-follow"),
    path("users/<str:username>/block/", social.BlockView.as_view(), name="user-block"),
    path("users/<str:username>/profile/", social.ProfileView.as_view(), name="user-profile"),
    path("users/<str:username>/followers/", social.FollowersView.as_view(), name="user-followers"),
    path("users/<str:username>/following/", social.FollowingView.as_view(), name="user-following"),
    path("me/blocks/", social.MyBlocksView.as_view(), name="me-blocks"),
    path("me/avatar/", social.AvatarView.as_view(), name="me-avatar"),
    path("me/interests/", social.InterestsView.as_view(), name="me-interests"),
    path("me/suggestions/", social.SuggestionsView.as_view(), name="me-suggestions"),
    path("me/export/", social.ExportView.as_view(), name="me-export"),
    path("me/account/", accounts.AccountDeleteView.as_view(), name="me-account"),
    path("communities/", communities.CommunityListView.as_view(), name="community-list"),
    path(
        "communities/<int:community_id>/",
        communities.CommunityDetailView.as_view(),
        name="community-detail",
    ),
    path(
        "communities/<int:community_id>/join/",
        communities.CommunityJoinView.as_view(),
        name="community-join",
    ),
    path(
        "communities/<int:community_id>/leave/",
        communities.CommunityLeaveView.as_view(),
        name="community-leave",
    ),
    path(
        "communities/<int:community_id>/members/",
        communities.CommunityMembersView.as_view(),
        name="community-members",
    ),
    path(
        "communities/<int:community_id>/requests/",
        communities.CommunityRequestsView.as_view(),
        name="community-requests",
    ),
    path(
        "communities/<int:community_id>/requests/<int:user_id>/approve/",
        communities.CommunityRequestApproveView.as_view(),
        name="community-request-approve",
    ),
    path(
        "communities/<int:community_id>/requests/<int:user_id>/reject/",
        communities.CommunityRequestRejectView.as_view(),
        name="community-request-reject",
    ),
    path(
        "communities/<int:community_id>/members/<int:user_id>/role/",
        communities.CommunityMemberRoleView.as_view(),
        name="community-member-role",
    ),
    path(
        "communities/<int:community_id>/members/<int:user_id>/remove/",
        communities.CommunityMemberRemoveView.as_view(),
        name="community-member-remove",
    ),
]
