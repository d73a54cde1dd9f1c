from django.urls import path

from feeds.views import share_redirect

urlpatterns = [path("s/<str:code>", share_redirect, name="share-redirect")]
