"""Who may see and keep a school's SEN register (issue 8).

The SENCO, the head (team manager) and admins of a school read its whole register; a teacher
reads the entries of the pupils in their classes; its SENCO and its organisation admins keep
it (add, change, remove). A parent reads what the school shares with them about their own
child (`ParentAccess`), never the register. Anyone else — a council, a family, an advocate, another
school — gets a 404 on every page, whether or not the entry exists. `register_entries_for` is
the single definition the list, the export and each entry's page are built on.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from caseledger.accounts.models import Organisation, User
from caseledger.people.models import Child
from caseledger.sen.models import ParentAccess, RegisterEntry, SchoolClass

KEEPERS = frozenset({User.Role.SENCO, User.Role.ORGANISATION_ADMIN})
# Staff who see every pupil of the school: the SENCO, the head (team manager) and admins. A
# teacher sees the pupils in their classes ("teachers see pupils in their classes").
WHOLE_SCHOOL = frozenset({User.Role.SENCO, User.Role.TEAM_MANAGER, User.Role.ORGANISATION_ADMIN})


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


def sees_whole_school(user: User) -> bool:
    return reads_sen_register(user) and user.role in WHOLE_SCHOOL


def class_pupil_ids(user: User) -> QuerySet[SchoolClass, Any]:
    """The ids of the pupils in the classes the user teaches, as a subquery."""
    return SchoolClass.objects.filter(organisation=user.organisation, teachers=user).values(
        "pupils"
    )


def live_parent_accesses(user: User) -> QuerySet[ParentAccess]:
    if not user.is_authenticated or not user.is_active or user.role != User.Role.PARENT:
        return ParentAccess.objects.none()
    return ParentAccess.objects.filter(grantee=user, revoked_at__isnull=True)


def pupils_seen_by_staff(user: User) -> QuerySet[Child]:
    """The school's pupils a member of its staff sees: all of them for the SENCO, the head
    and admins, a teacher's own classes' for a teacher; none for anyone else."""
    if not reads_sen_register(user):
        return Child.objects.none()
    pupils = Child.objects.filter(organisation=user.organisation)
    if sees_whole_school(user):
        return pupils
    return pupils.filter(id__in=class_pupil_ids(user))


def pupils_shared_with_parent(user: User) -> QuerySet[Child]:
    """The pupils a school shares with this parent through a live `ParentAccess`."""
    return Child.objects.filter(id__in=live_parent_accesses(user).values("child_id"))


def access_pupil(user: User, child_id: UUID) -> Child:
    """A pupil whose SEN records the user may read (staff who see them, or a parent the
    school shares them with); otherwise 404, whether or not the child exists."""
    scope = pupils_seen_by_staff(user) if reads_sen_register(user) else None
    if scope is None:
        scope = pupils_shared_with_parent(user)
    child = scope.select_related("organisation").filter(pk=child_id).first()
    if child is None:
        raise Http404
    return child


def access_pupil_as_staff(user: User, child_id: UUID) -> Child:
    """A pupil of the user's school they see as staff; a parent gets 404."""
    child = pupils_seen_by_staff(user).select_related("organisation").filter(pk=child_id).first()
    if child is None:
        raise Http404
    return child


def access_pupil_to_change(user: User, child_id: UUID) -> Child:
    """A pupil whose SEN records the user keeps (the SENCO and admins); otherwise 404."""
    if not keeps_sen_register(user):
        raise Http404
    return access_pupil_as_staff(user, child_id)


def is_parent_viewer(user: User) -> bool:
    """True for a parent account (who reads what a school shares, in plain language)."""
    return user.is_authenticated and user.role == User.Role.PARENT


def register_entries_for(user: User) -> QuerySet[RegisterEntry]:
    if not reads_sen_register(user):
        return RegisterEntry.objects.none()
    entries = RegisterEntry.objects.filter(organisation=user.organisation)
    if sees_whole_school(user):
        return entries
    return entries.filter(child_id__in=class_pupil_ids(user))


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
