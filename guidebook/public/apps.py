from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "guidebook.public"
    verbose_name = "Public site"
