from django.urls import include, path

from frontend import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_page, name="login"),
    path("register/", views.register_page, name="register"),
    path("me/", views.me_page, name="me"),
    path("", include("frontend.urls_community")),
]
