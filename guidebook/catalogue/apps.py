from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "guidebook.catalogue"
    verbose_name = "Catalogue"
