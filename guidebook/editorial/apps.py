from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "guidebook.editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from guidebook.editorial import roles

        post_migrate.connect(roles.ensure_roles_after_migrate, dispatch_uid="editorial-roles")
