"""Roles are groups whose permissions come from one table."""

from django.contrib.auth.models import Group, Permission

from guidebook.editorial import roles


def test_every_role_exists_as_a_group_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_each_role_holds_exactly_the_permissions_of_its_row(db):
    for role, names in roles.ROLE_PERMISSIONS.items():
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert held == set(names), role


def test_the_administrator_holds_every_permission(db):
    administrator = Group.objects.get(name=roles.ADMINISTRATOR)
    assert administrator.permissions.count() == Permission.objects.count()


def test_ensuring_roles_again_resets_a_changed_group(db):
    provider = Group.objects.get(name=roles.PROVIDER)
    provider.permissions.add(Permission.objects.get(codename="sign_off"))
    roles.ensure_roles()
    assert not provider.permissions.filter(codename="sign_off").exists()


def test_roles_of_names_the_groups_a_person_holds(personas):
    assert roles.roles_of(personas["panel"]) == [roles.PANEL_MEMBER]
    assert roles.roles_of(personas["nobody"]) == []
