"""Roles as Django groups, each with the permissions its work needs.

Groups are created (and their permissions reset to this table) after every migrate,
so the table below is the one place that says who may do what. Staff roles may use
the admin (``is_staff``); providers never do and see only their own programmes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

PROVIDER = "provider"
ASSESSOR = "assessor"
REVIEWER = "reviewer"
PANEL_MEMBER = "panel member"
EDITOR = "editor"
ADMINISTRATOR = "administrator"

ROLES = (PROVIDER, ASSESSOR, REVIEWER, PANEL_MEMBER, EDITOR, ADMINISTRATOR)
STAFF_ROLES = frozenset(ROLES) - {PROVIDER}

_RECORD_MODELS = (
    "programme",
    "characteristic",
    "costprofile",
    "importedrating",
    "review",
    "study",
    "publication",
    "finding",
    "appraisal",
)
_SEE_WORK = ("editorial.view_assessment", "editorial.view_history")
_READ_RECORDS = tuple(f"catalogue.view_{model}" for model in _RECORD_MODELS)
_EDIT_RECORDS = tuple(
    f"catalogue.{action}_{model}" for model in _RECORD_MODELS for action in ("add", "change")
)
_DELETE_RECORDS = tuple(f"catalogue.delete_{model}" for model in _RECORD_MODELS)

ROLE_PERMISSIONS: Mapping[str, tuple[str, ...]] = {
    PROVIDER: ("editorial.submit_programme", "editorial.check_facts"),
    ASSESSOR: (
        *_SEE_WORK,
        *_READ_RECORDS,
        *_EDIT_RECORDS,
        "editorial.search_evidence",
        "editorial.enter_findings",
        "editorial.settle_consensus",
    ),
    REVIEWER: (
        *_SEE_WORK,
        *_READ_RECORDS,
        "editorial.appraise_study",
        "editorial.settle_consensus",
        "editorial.review_assessment",
    ),
    PANEL_MEMBER: (*_SEE_WORK, *_READ_RECORDS, "editorial.sign_off"),
    EDITOR: (
        *_SEE_WORK,
        *_READ_RECORDS,
        *_EDIT_RECORDS,
        *_DELETE_RECORDS,
        "editorial.manage_assessment",
        "editorial.rerate",
        "editorial.decide_provider_application",
        "interchange.make_release",
    ),
}
"""Permissions of every role but the administrator, who holds every permission."""


def _permissions(names: Iterable[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = [
        p
        for p in Permission.objects.select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"roles: permissions not found: {sorted(missing)}")
    return found


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and give each exactly the permissions of the table."""
    for label in ("catalogue", "editorial", "interchange"):
        create_permissions(global_apps.get_app_config(label), verbosity=0)
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == ADMINISTRATOR:
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
        groups[role] = group
    return groups


def ensure_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate receiver: once per migrate, when the editorial app's turn comes."""
    if sender.name == "guidebook.editorial":
        ensure_roles()


def roles_of(user: Any) -> list[str]:
    """The role names a user holds, in the order of ``ROLES``."""
    if not user.is_authenticated:
        return []
    held = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role in held]
