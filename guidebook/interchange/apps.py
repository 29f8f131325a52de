from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Record files in and out: the demo and synthetic catalogues, open-data downloads,
    releases of the published catalogue (its one model) and their FHIR export."""

    name = "guidebook.interchange"
    verbose_name = "Interchange"
