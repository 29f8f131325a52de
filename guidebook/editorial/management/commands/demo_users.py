"""Create the demo sign-ins, one per role, for trying the workflow on your own machine.

Their passwords are published in the README, so they exist only where the
``DEMO_LOGINS`` setting allows: by default, only while no real ``SECRET_KEY`` is set
(a deployment sets one). Existing accounts keep their passwords. Each has an address
at ``DEMO_EMAIL_DOMAIN``, a domain reserved for examples, so the workflow's emails
are written (as files, locally) without reaching anyone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from guidebook.editorial import roles

DEMO_PASSWORD = "guidebook-demo"
DEMO_EMAIL_DOMAIN = "guidebook.example"

DEMO_USERS = (
    ("provider", roles.PROVIDER),
    ("provider2", roles.PROVIDER),
    ("assessor", roles.ASSESSOR),
    ("reviewer1", roles.REVIEWER),
    ("reviewer2", roles.REVIEWER),
    ("panel", roles.PANEL_MEMBER),
    ("editor", roles.EDITOR),
    ("admin", roles.ADMINISTRATOR),
)


class Command(BaseCommand):
    help = "Create demo sign-ins for each role (local use only; refused when DEMO_LOGINS is off)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-allowed",
            action="store_true",
            help="say so and stop quietly, instead of failing, when demo sign-ins are off",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_LOGINS:
            message = (
                "Demo sign-ins are off here (a SECRET_KEY is set, or GUIDEBOOK_DEMO_LOGINS=0): "
                "none created."
            )
            if options["if_allowed"]:
                self.stdout.write(message)
                return
            raise CommandError(message)
        groups = roles.ensure_roles()
        created = 0
        for username, role in DEMO_USERS:
            user, is_new = User.objects.get_or_create(username=username)
            if is_new:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = role in roles.STAFF_ROLES
                user.save()
                created += 1
            if not user.email:
                user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
                user.save(update_fields=["email"])
            user.groups.add(groups[role])
        self.stdout.write(
            f"Demo sign-ins: {created} created, {len(DEMO_USERS) - created} already present "
            f"(password '{DEMO_PASSWORD}', local use only)."
        )
