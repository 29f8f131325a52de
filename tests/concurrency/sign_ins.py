"""Staff sign in again and again until told to stop; print how many succeeded and failed.

Run beside an import (``test_import_beside_sign_ins``): every sign-in writes (a session
row, the last sign-in time), so each one needs SQLite's write lock while the import
may hold it. A failure is any answer but the redirect after signing in, or an error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(stop_file: Path) -> None:
    setup_test_environment()
    User.objects.create_user("night-editor", password="a-long-test-password", is_staff=True)
    signed_in = failed = 0
    errors: list[str] = []
    while True:
        stopping = stop_file.exists()  # one more round after the import has finished
        client = Client()
        try:
            response = client.post(
                "/staff/login/",
                {"username": "night-editor", "password": "a-long-test-password"},
            )
            if response.status_code == 302:
                signed_in += 1
            else:
                failed += 1
                errors.append(f"status {response.status_code}")
        except Exception as error:
            failed += 1
            errors.append(repr(error)[:200])
        if stopping:
            break
    print(json.dumps({"signed_in": signed_in, "failed": failed, "errors": errors[:5]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
