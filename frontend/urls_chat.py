from django.urls import path

from frontend import views_chat as views

urlpatterns = [
    path("chat/", views.chat_list_page, name="chat"),
    path("chat/new/", views.chat_new_page, name="chat-new"),
    path("chat/<int:room_id>/", views.chat_room_page, name="chat-room"),
]
