from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "guidebook.catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from guidebook import checks  # noqa: F401  (registers the system checks)
