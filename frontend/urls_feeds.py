from django.urls import path

from frontend import views_feeds as views

urlpatterns = [
    path("feed/", views.feed_page, name="feed"),
    path("posts/new/", views.compose_page, name="post-compose"),
    path("posts/<int:post_id>/", views.post_page, name="post"),
    path("topics/<str:name>/", views.topic_page, name="topic"),
    path("search/", views.search_page, name="search"),
    path("me/share-links/", views.share_links_page, name="share-links"),
]
