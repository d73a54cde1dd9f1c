from django.urls import path

from chat.api import views

urlpatterns = [
    path("rooms/", views.RoomsView.as_view(), name="chat-rooms"),
    path("rooms/<int:room_id>/", views.RoomDetailView.as_view(), name="chat-room"),
    path("rooms/<int:room_id>/messages/", views.MessagesView.as_view(), name="chat-messages"),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/",
        views.MessageDetailView.as_view(),
        name="chat-message",
    ),
    path("rooms/<int:room_id>/images/", views.ImageMessageView.as_view(), name="chat-images"),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/reactions/",
        views.ReactionsView.as_view(),
        name="chat-reactions",
    ),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/reactions/<str:emoji>/",
        views.ReactionDetailView.as_view(),
        name="chat-reaction",
    ),
    path("presence/", views.PresenceView.as_view(), name="chat-presence"),
    path("rooms/<int:room_id>/read/", views.ReadView.as_view(), name="chat-read"),
    path("rooms/<int:room_id>/members/", views.MembersView.as_view(), name="chat-members"),
    path(
        "rooms/<int:room_id>/members/<str:username>/",
        views.MemberDetailView.as_view(),
        name="chat-member",
    ),
]

from chat.api import views_support as sv  # noqa: E402

urlpatterns += [
    path("support/conversations/", sv.ConversationsView.as_view(), name="support-conversations"),
    path(
        "support/conversations/<int:conversation_id>/",
        sv.ConversationDetailView.as_view(),
        name="support-conversation",
    ),
    path(
        "support/conversations/<int:conversation_id>/handoff/",
        sv.HandoffView.as_view(),
        name="support-handoff",
    ),
    path(
        "support/conversations/<int:conversation_id>/claim/",
        sv.ClaimView.as_view(),
        name="support-claim",
    ),
    path(
        "support/conversations/<int:conversation_id>/transfer/",
        sv.TransferView.as_view(),
        name="support-transfer",
    ),
    path(
        "support/conversations/<int:conversation_id>/close/",
        sv.CloseView.as_view(),
        name="support-close",
    ),
    path(
        "support/conversations/<int:conversation_id>/rate/",
        sv.RateView.as_view(),
        name="support-rate",
    ),
    path("support/queue/", sv.QueueView.as_view(), name="support-queue"),
    path("support/faq/", sv.FaqView.as_view(), name="support-faq"),
    path("feedback/", sv.FeedbackListView.as_view(), name="feedback"),
    path(
        "feedback/<int:feedback_id>/accept/",
        sv.FeedbackAcceptView.as_view(),
        name="feedback-accept",
    ),
    path(
        "feedback/<int:feedback_id>/reject/",
        sv.FeedbackRejectView.as_view(),
        name="feedback-reject",
    ),
]

from chat.api import views_live as lv  # noqa: E402

urlpatterns += [
    path("livestreams/", lv.LiveStreamsView.as_view(), name="livestreams"),
    path("livestreams/<int:stream_id>/", lv.LiveStreamDetailView.as_view(), name="livestream"),
    path("livestreams/<int:stream_id>/start/", lv.LiveStartView.as_view(), name="livestream-start"),
    path("livestreams/<int:stream_id>/end/", lv.LiveEndView.as_view(), name="livestream-end"),
    path(
        "livestreams/<int:stream_id>/comments/",
        lv.LiveCommentsView.as_view(),
        name="livestream-comments",
    ),
    path(
        "livestreams/<int:stream_id>/comments/<int:seq>/",
        lv.LiveCommentDetailView.as_view(),
        name="livestream-comment",
    ),
    path("livestreams/<int:stream_id>/likes/", lv.LiveLikesView.as_view(), name="livestream-likes"),
    path(
        "livestreams/<int:stream_id>/subscription/",
        lv.LiveSubscriptionView.as_view(),
        name="livestream-subscription",
    ),
    path("livestreams/<int:stream_id>/deals/", lv.LiveDealsView.as_view(), name="livestream-deals"),
    path("livestreams/<int:stream_id>/mutes/", lv.LiveMutesView.as_view(), name="livestream-mutes"),
    path(
        "livestreams/<int:stream_id>/mutes/<str:username>/",
        lv.LiveMuteDetailView.as_view(),
        name="livestream-mute",
    ),
]
