from django.urls import path

from community.api import social_views as v

urlpatterns = [
    path("users/<str:username>/follow/", v.FollowView.as_view(), name="user-follow"),
    path("users/<str:username>/block/", v.BlockView.as_view(), name="user-block"),
    path("users/<str:username>/profile/", v.ProfileView.as_view(), name="user-profile"),
    path("users/<str:username>/followers/", v.FollowersView.as_view(), name="user-followers"),
    path("users/<str:username>/following/", v.FollowingView.as_view(), name="user-following"),
    path("me/blocks/", v.MyBlocksView.as_view(), name="me-blocks"),
    path("me/avatar/", v.AvatarView.as_view(), name="me-avatar"),
    path("me/interests/", v.InterestsView.as_view(), name="me-interests"),
    path("me/suggestions/", v.SuggestionsView.as_view(), name="me-suggestions"),
    path("me/export/", v.ExportView.as_view(), name="me-export"),
    path("me/account/", v.AccountDeleteView.as_view(), name="me-account"),
    path("communities/", v.CommunityListView.as_view(), name="community-list"),
    path(
        "communities/<int:community_id>/",
        v.CommunityDetailView.as_view(),
        name="community-detail",
    ),
    path(
        "communities/<int:community_id>/join/",
        v.CommunityJoinView.as_view(),
        name="community-join",
    ),
    path(
        "communities/<int:community_id>/leave/",
        v.CommunityLeaveView.as_view(),
        name="community-leave",
    ),
    path(
        "communities/<int:community_id>/members/",
        v.CommunityMembersView.as_view(),
        name="community-members",
    ),
    path(
        "communities/<int:community_id>/requests/",
        v.CommunityRequestsView.as_view(),
        name="community-requests",
    ),
    path(
        "communities/<int:community_id>/requests/<int:user_id>/approve/",
        v.CommunityRequestApproveView.as_view(),
        name="community-request-approve",
    ),
    path(
        "communities/<int:community_id>/requests/<int:user_id>/reject/",
        v.CommunityRequestRejectView.as_view(),
        name="community-request-reject",
    ),
    path(
        "communities/<int:community_id>/members/<int:user_id>/role/",
        v.CommunityMemberRoleView.as_view(),
        name="community-member-role",
    ),
    path(
        "communities/<int:community_id>/members/<int:user_id>/remove/",
        v.CommunityMemberRemoveView.as_view(),
        name="community-member-remove",
    ),
]
