from django.urls import path

from chat.api import live, live_video, presence, rooms, support
from chat.api.messages import views as messages

urlpatterns = [
    path("rooms/", rooms.RoomsView.as_view(), name="chat-rooms"),
    path("rooms/<int:room_id>/", rooms.RoomDetailView.as_view(), name="chat-room"),
    path("rooms/<int:room_id>/messages/", messages.MessagesView.as_view(), name="chat-messages"),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/",
        messages.MessageDetailView.as_view(),
        name="chat-message",
    ),
    path("rooms/<int:room_id>/images/", messages.ImageMessageView.as_view(), name="chat-images"),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/reactions/",
        messages.ReactionsView.as_view(),
        name="chat-reactions",
    ),
    path(
        "rooms/<int:room_id>/messages/<int:message_id>/reactions/<str:emoji>/",
        messages.ReactionDetailView.as_view(),
        name="chat-reaction",
    ),
    path("presence/", presence.PresenceView.as_view(), name="chat-presence"),
    path("rooms/<int:room_id>/read/", messages.ReadView.as_view(), name="chat-read"),
    path("rooms/<int:room_id>/members/", rooms.MembersView.as_view(), name="chat-members"),
    path(
        "rooms/<int:room_id>/members/<str:username>/",
        rooms.MemberDetailView.as_view(),
        name="chat-member",
    ),
]

urlpatterns += [
    path(
        "support/conversations/", support.ConversationsView.as_view(), name="support-conversations"
    ),
    path(
        "support/conversations/<int:conversation_id>/",
        support.ConversationDetailView.as_view(),
        name="support-conversation",
    ),
    path(
        "support/conversations/<int:conversation_id>/handoff/",
        support.HandoffView.as_view(),
        name="support-handoff",
    ),
    path(
        "support/conversations/<int:conversation_id>/claim/",
        support.ClaimView.as_view(),
        name="support-claim",
    ),
    path(
        "support/conversations/<int:conversation_id>/transfer/",
        support.TransferView.as_view(),
        name="support-transfer",
    ),
    path(
        "support/conversations/<int:conversation_id>/close/",
        support.CloseView.as_view(),
        name="support-close",
    ),
    path(
        "support/conversations/<int:conversation_id>/rate/",
        support.RateView.as_view(),
        name="support-rate",
    ),
    path("support/queue/", support.QueueView.as_view(), name="support-queue"),
    path("support/faq/", support.FaqView.as_view(), name="support-faq"),
    path("feedback/", support.FeedbackListView.as_view(), name="feedback"),
    path(
        "feedback/<int:feedback_id>/accept/",
        support.FeedbackAcceptView.as_view(),
        name="feedback-accept",
    ),
    path(
        "feedback/<int:feedback_id>/reject/",
        support.FeedbackRejectView.as_view(),
        name="feedback-reject",
    ),
]

urlpatterns += [
    path("livestreams/", live.LiveStreamsView.as_view(), name="livestreams"),
    path("livestreams/<int:stream_id>/", live.LiveStreamDetailView.as_view(), name="livestream"),
    path(
        "livestreams/<int:stream_id>/start/", live.LiveStartView.as_view(), name="livestream-start"
    ),
    path("livestreams/<int:stream_id>/end/", live.LiveEndView.as_view(), name="livestream-end"),
    path(
        "livestreams/<int:stream_id>/ingest/",
        live_video.LiveIngestView.as_view(),
        name="livestream-ingest",
    ),
    path(
        "livestreams/<int:stream_id>/comments/",
        live.LiveCommentsView.as_view(),
        name="livestream-comments",
    ),
    path(
        "livestreams/<int:stream_id>/comments/<int:seq>/",
        live.LiveCommentDetailView.as_view(),
        name="livestream-comment",
    ),
    path(
        "livestreams/<int:stream_id>/likes/", live.LiveLikesView.as_view(), name="livestream-likes"
    ),
    path(
        "livestreams/<int:stream_id>/subscription/",
        live.LiveSubscriptionView.as_view(),
        name="livestream-subscription",
    ),
    path(
        "livestreams/<int:stream_id>/deals/", live.LiveDealsView.as_view(), name="livestream-deals"
    ),
    path(
        "livestreams/<int:stream_id>/mutes/", live.LiveMutesView.as_view(), name="livestream-mutes"
    ),
    path(
        "livestreams/<int:stream_id>/mutes/<str:username>/",
        live.LiveMuteDetailView.as_view(),
        name="livestream-mute",
    ),
]
