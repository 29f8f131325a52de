from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "guidebook.editorial"
    verbose_name = "Editorial workflow"
