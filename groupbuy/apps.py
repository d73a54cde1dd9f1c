from django.apps import AppConfig


class GroupbuyConfig(AppConfig):
    name = "groupbuy"
