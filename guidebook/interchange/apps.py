from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Record files in and out: the demo and synthetic catalogues, open-data downloads.

    Installed so that its management commands (``demo``) are found; it has no models.
    """

    name = "guidebook.interchange"
    verbose_name = "Interchange"
