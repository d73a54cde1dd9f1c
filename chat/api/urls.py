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
    path("rooms/<int:room_id>/read/", views.ReadView.as_view(), name="chat-read"),
    path("rooms/<int:room_id>/members/", views.MembersView.as_view(), name="chat-members"),
    path(
        "rooms/<int:room_id>/members/<str:username>/",
        views.MemberDetailView.as_view(),
        name="chat-member",
    ),
]
