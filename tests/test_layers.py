"""Each command lives in the app it belongs to, under the name it has always had.

Storage (``guidebook.catalogue``) must not import the apps built on it (the
import-linter contract in pyproject.toml), so a command that needs one of them lives
in that app; ``guidebook <command>`` finds it by name wherever it is.
"""

import pytest
from django.core.management import get_commands

from guidebook.cli import main

COMMANDS = [
    ("demo", "guidebook.interchange"),
    ("demo_users", "guidebook.editorial"),
    ("export", "guidebook.catalogue"),
    ("front_cache", "guidebook.catalogue"),
    ("import", "guidebook.catalogue"),
    ("imported_report", "guidebook.catalogue"),
    ("publish", "guidebook.catalogue"),
    ("reindex", "guidebook.catalogue"),
    ("rerate", "guidebook.editorial"),
    ("serve", "guidebook.catalogue"),
]


@pytest.mark.parametrize(("command", "app"), COMMANDS)
def test_the_command_is_found_in_its_app(command, app):
    assert get_commands()[command] == app


def test_the_table_lists_every_guidebook_command():
    ours = {name for name, app in get_commands().items() if app.startswith("guidebook.")}
    assert ours == {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("command", "app"), COMMANDS)
def test_the_guidebook_command_runs_it_by_name(capsys, command, app):
    with pytest.raises(SystemExit) as exit:
        main([command.replace("_", "-"), "--help"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: guidebook {command} ")
