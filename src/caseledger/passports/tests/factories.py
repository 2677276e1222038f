"""State for the passport's tests, made as people would make it: passports through the
services; classes and parents' access (whose services live in the sen app) as rows."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from caseledger.accounts.models import Organisation, User
from caseledger.passports.models import TEXT_PARTS, PassportVersion
from caseledger.passports.services import Part, PassportContent, PhotoUpload, agree_version
from caseledger.people.models import Child
from caseledger.sen.models import ParentAccess, SchoolClass


def riverside() -> Organisation:
    return Organisation.objects.get(reference_prefix="RPS")


def pupil(last_name: str) -> Child:
    return Child.objects.select_related("organisation").get(
        organisation=riverside(), last_name=last_name
    )


def content(**changes: object) -> PassportContent:
    """A whole passport, every part written with the pupil; `changes` replace fields."""
    values: dict[str, object] = {
        "key_summary": Part(
            "Isla reads well but needs extra time to write.", "Isla with Mrs Price"
        ),
        "agreed_on": timezone.localdate() - timedelta(days=3),
        "parts": {
            name: Part(f"{heading} words.", "Isla with Mrs Price") for name, heading in TEXT_PARTS
        },
        "access_arrangements": ["extra_time", "reader"],
        "access_other": "",
        "access_with": "Isla with Mrs Price",
    }
    values.update(changes)
    return PassportContent(**values)  # type: ignore[arg-type]  # the test's own values


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


def upload(data: bytes) -> PhotoUpload:
    return PhotoUpload(source=io.BytesIO(data), size=len(data))


def write(
    actor: User, child: Child, *, photo: bytes | None = None, **changes: object
) -> PassportVersion:
    return agree_version(
        actor=actor,
        child=child,
        content=content(**changes),
        photo=upload(photo) if photo is not None else None,
    )


def teach(teacher: User, *pupils: Child) -> SchoolClass:
    """A class of the teacher's school, taught by them, with these pupils."""
    assert teacher.organisation is not None
    school_class = SchoolClass.objects.create(organisation=teacher.organisation, name="5B")
    school_class.teachers.add(teacher)
    school_class.pupils.add(*pupils)
    return school_class


def share_with(parent: User, child: Child, *, granted_by: User) -> ParentAccess:
    return ParentAccess.objects.create(
        organisation=child.organisation, child=child, grantee=parent, granted_by=granted_by
    )


def other_school_senco() -> User:
    school = Organisation.objects.create(
        name="Hillside Academy", kind=Organisation.Kind.SCHOOL, reference_prefix="HSA"
    )
    return User.objects.create_user(
        "sam@hillside.example", full_name="Sam Hill", organisation=school, role=User.Role.SENCO
    )
