"""A school's classes (issue 8: "teachers see pupils in their classes").

A class decides which pupils' SEN records a teacher reads (`sen.access.pupils_seen_by_staff`),
so who is in it is a decision about access to special category data: only the people who keep
the SEN register — the SENCO and organisation admins — set it up, and every change is audited
with what changed. The SENCO, the head and admins see every pupil whatever the classes say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.people.models import Child
from caseledger.sen.access import keeps_sen_register, reads_sen_register, sees_whole_school
from caseledger.sen.models import SchoolClass

NAME_LENGTH = 100
# Who may teach a class: the school's teachers, its SENCO and its head (team manager). Admins
# keep the records but do not teach.
TEACHING_ROLES = (User.Role.TEACHER, User.Role.SENCO, User.Role.TEAM_MANAGER)


def classes_of(organisation: Organisation) -> QuerySet[SchoolClass]:
    """The school's classes with their teachers and how many pupils each has: two queries
    however many classes there are."""
    return (
        SchoolClass.objects.filter(organisation=organisation)
        .annotate(pupil_count=Count("pupils", distinct=True))
        .prefetch_related(Prefetch("teachers", queryset=User.objects.order_by("full_name", "id")))
        .order_by("name", "id")
    )


def teaching_staff(organisation: Organisation) -> QuerySet[User]:
    """The staff who may be named as a class's teachers."""
    return User.objects.filter(
        organisation=organisation, is_active=True, role__in=TEACHING_ROLES
    ).order_by("full_name", "id")


def school_pupils(organisation: Organisation) -> QuerySet[Child]:
    """Every pupil of the school, by name, to choose a class's pupils from."""
    return Child.objects.filter(organisation=organisation).order_by(
        "last_name", "first_names", "id"
    )


def access_school_class(user: User, class_id: UUID) -> SchoolClass:
    """A class whose pupils the user sees: any class of their school for the SENCO, the head
    and admins, a class they teach for a teacher; otherwise 404."""
    if not reads_sen_register(user):
        raise Http404
    classes = SchoolClass.objects.filter(organisation=user.organisation)
    if not sees_whole_school(user):
        classes = classes.filter(teachers=user)
    school_class = classes.filter(pk=class_id).first()
    if school_class is None:
        raise Http404
    return school_class


def access_school_class_to_change(user: User, class_id: UUID) -> SchoolClass:
    """A class of the user's school, if they keep its SEN register; otherwise 404."""
    if not keeps_sen_register(user):
        raise Http404
    school_class = SchoolClass.objects.filter(organisation=user.organisation, pk=class_id).first()
    if school_class is None:
        raise Http404
    return school_class


def _check_may_keep(actor: User, organisation_id: UUID) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != organisation_id:
        raise NotPermittedError


def _checked_name(organisation_id: UUID, name: str, *, this_class: UUID | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter the name of the class", field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(
            f"The name of the class must be {NAME_LENGTH} characters or fewer", field="name"
        )
    others = SchoolClass.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if this_class is not None:
        others = others.exclude(pk=this_class)
    if others.exists():
        raise DomainError(
            f"There is already a class called {name}: enter a different name", field="name"
        )
    return name


def _check_members(
    organisation_id: UUID, teachers: Sequence[User], pupils: Sequence[Child]
) -> None:
    for teacher in teachers:
        if (
            teacher.organisation_id != organisation_id
            or not teacher.is_active
            or teacher.role not in TEACHING_ROLES
        ):
            raise DomainError("Select the class's teachers from the list", field="teachers")
    for child in pupils:
        if child.organisation_id != organisation_id:
            raise DomainError("Select the class's pupils from the list", field="pupils")


def _ids(objects: Sequence[User] | Sequence[Child]) -> list[str]:
    return sorted({str(item.pk) for item in objects})


def _save(school_class: SchoolClass) -> None:
    """Save, turning a name taken a moment ago by someone else into the same message the
    check gives (the database's unique constraint is the last word)."""
    try:
        with transaction.atomic():
            school_class.save()
    except IntegrityError:
        raise DomainError(
            f"There is already a class called {school_class.name}: enter a different name",
            field="name",
        ) from None


@transaction.atomic
def add_school_class(
    *, actor: User, name: str, teachers: Sequence[User], pupils: Sequence[Child]
) -> SchoolClass:
    """Set up a class in the actor's school, with its teachers and pupils: from now on its
    teachers read its pupils' SEN records (issue 8)."""
    if actor.organisation is None:
        raise NotPermittedError
    organisation = actor.organisation
    _check_may_keep(actor, organisation.pk)
    name = _checked_name(organisation.pk, name, this_class=None)
    _check_members(organisation.pk, teachers, pupils)
    school_class = SchoolClass(organisation=organisation, name=name)
    _save(school_class)
    school_class.teachers.set(teachers)
    school_class.pupils.set(pupils)
    record_event(
        actor=actor,
        action=Action.SCHOOL_CLASS_ADDED,
        obj=school_class,
        organisation=organisation,
        changes={
            "name": {"old": None, "new": name},
            "teachers": {"old": [], "new": _ids(teachers)},
            "pupils": {"old": [], "new": _ids(pupils)},
        },
    )
    return school_class


@transaction.atomic
def change_school_class(
    *,
    actor: User,
    school_class: SchoolClass,
    name: str,
    teachers: Sequence[User],
    pupils: Sequence[Child],
) -> SchoolClass:
    """Rename a class or change who teaches it and who is in it. A teacher taken off the class
    stops seeing its pupils' records from their next click; the audit event keeps the old and
    new teachers and pupils."""
    school_class = SchoolClass.objects.select_for_update().get(pk=school_class.pk)
    _check_may_keep(actor, school_class.organisation_id)
    name = _checked_name(school_class.organisation_id, name, this_class=school_class.pk)
    _check_members(school_class.organisation_id, teachers, pupils)
    old_teachers = sorted(str(pk) for pk in school_class.teachers.values_list("pk", flat=True))
    old_pupils = sorted(str(pk) for pk in school_class.pupils.values_list("pk", flat=True))
    changes: dict[str, dict[str, Any]] = {}
    if name != school_class.name:
        changes["name"] = {"old": school_class.name, "new": name}
    if _ids(teachers) != old_teachers:
        changes["teachers"] = {"old": old_teachers, "new": _ids(teachers)}
    if _ids(pupils) != old_pupils:
        changes["pupils"] = {"old": old_pupils, "new": _ids(pupils)}
    if not changes:
        raise DomainError("Change at least one of the details, or cancel")
    if "name" in changes:
        school_class.name = name
        _save(school_class)
    if "teachers" in changes:
        school_class.teachers.set(teachers)
    if "pupils" in changes:
        school_class.pupils.set(pupils)
    record_event(
        actor=actor,
        action=Action.SCHOOL_CLASS_CHANGED,
        obj=school_class,
        organisation=school_class.organisation,
        changes=changes,
    )
    return school_class
