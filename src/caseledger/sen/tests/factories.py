"""State for the SEN register's tests, made through the services as people would make it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.people.models import Child, RelatedAdult
from caseledger.people.services import add_adult
from caseledger.sen.classes import add_school_class
from caseledger.sen.models import ParentAccess, RegisterEntry, SchoolClass
from caseledger.sen.parents import give_parent_access
from caseledger.sen.services import Needs, add_to_register


def riverside() -> Organisation:
    return Organisation.objects.get(reference_prefix="RPS")


def pupil(last_name: str) -> Child:
    return Child.objects.get(organisation=riverside(), last_name=last_name)


def entry_of(last_name: str) -> RegisterEntry:
    return RegisterEntry.objects.select_related("child", "organisation").get(child=pupil(last_name))


def make_pupil(actor: User, last_name: str, *, years: int = 7) -> Child:
    """A new pupil of the actor's school, not on the register."""
    assert actor.organisation is not None
    return Child.objects.create(
        organisation=actor.organisation,
        first_names="Test",
        last_name=last_name,
        date_of_birth=timezone.localdate() - timedelta(days=int(years * 365.25)),
    )


def make_teacher(full_name: str = "Nina New") -> User:
    """A Riverside teacher with no classes yet (the demo's Tom Barnes already teaches Oak
    class, so a test that starts from "sees no one" needs a teacher of its own)."""
    email = full_name.lower().replace(" ", ".") + "@riverside.example"
    return User.objects.create_user(
        email, full_name=full_name, organisation=riverside(), role=User.Role.TEACHER
    )


def oak_class() -> SchoolClass:
    """The demo's Oak class: Tom Barnes teaches Freddie Morgan and Leo Fraser."""
    return SchoolClass.objects.get(organisation=riverside(), name="Oak class")


def put_on_register(actor: User, child: Child, needs: Needs | None = None) -> RegisterEntry:
    return add_to_register(
        actor=actor,
        child=child,
        needs=needs or Needs("K", "SPLD"),
        started_on=timezone.localdate() - timedelta(days=30),
    )


def school_class(
    actor: User,
    name: str,
    *,
    teachers: Sequence[User] = (),
    pupils: Sequence[Child] = (),
) -> SchoolClass:
    return add_school_class(actor=actor, name=name, teachers=teachers, pupils=pupils)


def share_with(actor: User, child: Child, grantee: User) -> ParentAccess:
    return give_parent_access(actor=actor, child=child, email=grantee.email)


def record_adult(
    actor: User,
    child: Child,
    full_name: str,
    relationship: str = RelatedAdult.Relationship.MOTHER,
    *,
    parental_responsibility: bool = True,
) -> RelatedAdult:
    """An adult in the pupil's life, on the school's record of the pupil."""
    return add_adult(
        actor=actor,
        child=child,
        fields={
            "full_name": full_name,
            "relationship": relationship,
            "has_parental_responsibility": parental_responsibility,
        },
    )


def other_school_senco() -> User:
    """Sam Hill, SENCO of Hillside Academy: another school, who must see nothing of
    Riverside's."""
    school = Organisation.objects.create(
        name="Hillside Academy", kind=Organisation.Kind.SCHOOL, reference_prefix="HSA"
    )
    return User.objects.create_user(
        "sam@hillside.example", full_name="Sam Hill", organisation=school, role=User.Role.SENCO
    )
