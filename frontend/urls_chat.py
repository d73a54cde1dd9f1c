from django.urls import path

from frontend import views_chat as views
from frontend import views_live, views_support

urlpatterns = [
    path("chat/", views.chat_list_page, name="chat"),
    path("chat/new/", views.chat_new_page, name="chat-new"),
    path("chat/<int:room_id>/", views.chat_room_page, name="chat-room"),
    path("live/", views_live.live_list_page, name="live-list"),
    path("live/new/", views_live.live_new_page, name="live-new"),
    path("live/<int:stream_id>/", views_live.live_page, name="live"),
    path("live/<int:stream_id>/console/", views_live.live_console_page, name="live-console"),
    path("support/", views_support.support_page, name="support"),
    path("support/agent/", views_support.support_agent_page, name="support-agent"),
    path(
        "support/<int:conversation_id>/",
        views_support.support_conversation_page,
        name="support-conversation",
    ),
]
