from django.urls import path

from community.api import accounts, communities, loyalty, moderation, social
from community.api.insights import campaigns as insights_campaigns
from community.api.insights import events as insights_events
from community.api.insights import experiments as insights_experiments
from community.api.insights import metrics as insights_metrics
from community.api.insights import segments as insights_segments
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
    path("moderation/act/", moderation.ActView.as_view(), name="moderation-act"),
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
    path("events/", insights_events.EventBatchView.as_view(), name="events"),
    # insights: experiments, segments and campaigns (staff; assignment for anyone)
    path("experiments/", insights_experiments.ExperimentsView.as_view(), name="experiments"),
    path(
        "experiments/<slug:key>/assignment/",
        insights_experiments.AssignmentView.as_view(),
        name="experiment-assignment",
    ),
    path(
        "experiments/<slug:key>/results/",
        insights_experiments.ResultsView.as_view(),
        name="experiment-results",
    ),
    # insights: metrics (staff)
    path("insights/overview/", insights_metrics.OverviewView.as_view(), name="insights-overview"),
    path(
        "insights/retention/", insights_metrics.RetentionView.as_view(), name="insights-retention"
    ),
    path("insights/funnel/", insights_metrics.FunnelView.as_view(), name="insights-funnel"),
    path(
        "insights/lifecycle/", insights_metrics.LifecycleView.as_view(), name="insights-lifecycle"
    ),
    path("insights/channels/", insights_metrics.ChannelsView.as_view(), name="insights-channels"),
    path("insights/business/", insights_metrics.BusinessView.as_view(), name="insights-business"),
    path("insights/segments/", insights_segments.SegmentsView.as_view(), name="insights-segments"),
    path(
        "insights/churn-risk/",
        insights_segments.ChurnRiskView.as_view(),
        name="insights-churn-risk",
    ),
    path(
        "insights/campaigns/", insights_campaigns.CampaignsView.as_view(), name="insights-campaigns"
    ),
    path(
        "insights/campaigns/rewards/",
        insights_campaigns.CampaignRewardsView.as_view(),
        name="insights-campaign-rewards",
    ),
    path(
        "insights/campaigns/<int:campaign_id>/",
        insights_campaigns.CampaignView.as_view(),
        name="insights-campaign",
    ),
    path(
        "insights/campaigns/<int:campaign_id>/send/",
        insights_campaigns.CampaignSendView.as_view(),
        name="insights-campaign-send",
    ),
    path(
        "insights/campaigns/<int:campaign_id>/results/",
        insights_campaigns.CampaignResultsView.as_view(),
        name="insights-campaign-results",
    ),
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
