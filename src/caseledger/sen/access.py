"""Who may see and keep a school's SEN register (issue 8).

Every member of staff of a school reads its register; its SENCO and its organisation admins
keep it (add, change, remove). Anyone else — a council, a family, an advocate, another
school — gets a 404 on every page, whether or not the entry exists. `register_entries_for` is
the single definition the list, the export and each entry's page are built on.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from caseledger.accounts.models import Organisation, User
from caseledger.sen.models import RegisterEntry

KEEPERS = frozenset({User.Role.SENCO, User.Role.ORGANISATION_ADMIN})


def reads_sen_register(user: User) -> bool:
    """Staff of a school: its SENCO, teachers, team managers and admins."""
    return (
        user.is_authenticated
        and user.is_active
        and user.organisation is not None
        and user.organisation.kind == Organisation.Kind.SCHOOL
    )


def keeps_sen_register(user: User) -> bool:
    return reads_sen_register(user) and user.role in KEEPERS


def access_register(user: User) -> Organisation:
    """The user's school, if they read its register; otherwise 404."""
    if not reads_sen_register(user):
        raise Http404
    assert user.organisation is not None
    return user.organisation


def access_register_to_change(user: User) -> Organisation:
    if not keeps_sen_register(user):
        raise Http404
    assert user.organisation is not None
    return user.organisation


def register_entries_for(user: User) -> QuerySet[RegisterEntry]:
    if not reads_sen_register(user):
        return RegisterEntry.objects.none()
    return RegisterEntry.objects.filter(organisation=user.organisation)


def access_register_entry(user: User, entry_id: UUID) -> RegisterEntry:
    """An entry on the user's school's register; otherwise 404, whether or not it exists."""
    entry = (
        register_entries_for(user)
        .select_related("child", "organisation", "education_plan", "healthcare_plan")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def access_register_entry_to_change(user: User, entry_id: UUID) -> RegisterEntry:
    entry = access_register_entry(user, entry_id)
    if not keeps_sen_register(user):
        raise Http404
    return entry
