"""Demo sign-ins exist only for local use."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from guidebook.editorial.management.commands.demo_users import DEMO_PASSWORD, DEMO_USERS


def test_it_creates_one_sign_in_per_role_and_keeps_existing_ones(db, settings, capsys):
    settings.DEMO_LOGINS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_users")
    assert "8 created, 0 already present" in capsys.readouterr().out
    for username, role in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_staff == (role != "provider")
        assert user.email == f"{username}@guidebook.example"
    call_command("demo_users")
    assert "0 created, 8 already present" in capsys.readouterr().out


def test_it_gives_an_address_to_a_demo_account_without_one_and_keeps_any_other(
    db, settings, capsys
):
    settings.DEMO_LOGINS = True
    User.objects.create_user("editor")
    User.objects.create_user("panel", email="chair@panel.example")
    call_command("demo_users")
    assert User.objects.get(username="editor").email == "editor@guidebook.example"
    assert User.objects.get(username="panel").email == "chair@panel.example"


def test_it_refuses_where_demo_sign_ins_are_off(db, settings, capsys):
    settings.DEMO_LOGINS = False
    with pytest.raises(CommandError, match="Demo sign-ins are off here"):
        call_command("demo_users")
    call_command("demo_users", if_allowed=True)
    assert "none created" in capsys.readouterr().out
    assert not User.objects.exists()
