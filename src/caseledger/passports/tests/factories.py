"""State for the passport's tests, made as people would make it: passports through the
services; classes and parents' access (whose services live in the sen app) as rows."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image, PngImagePlugin

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


def content(**changes: Any) -> PassportContent:
    """A whole passport, every part written with the pupil; `changes` replace fields."""
    whole = PassportContent(
        key_summary=Part("Isla reads well but needs extra time to write.", "Isla with Mrs Price"),
        agreed_on=timezone.localdate() - timedelta(days=3),
        parts={
            name: Part(f"{heading} words.", "Isla with Mrs Price") for name, heading in TEXT_PARTS
        },
        access_arrangements=["extra_time", "reader"],
        access_other="",
        access_with="Isla with Mrs Price",
    )
    return replace(whole, **changes)


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


# What a phone writes into a photo and a passport must not keep: where it was taken, the
# phone, the time. Distinctive strings, so a test can look for them in the bytes.
PHONE_MAKER = "SecretPhoneMaker"
PHONE_TAKEN_AT = "2026:05:01 08:15:00"
PHONE_PLACE = "secret-playground"
RED = (220, 20, 20)
BLUE = (20, 20, 220)


def phone_photo(kind: str = "JPEG") -> bytes:
    """A 60 × 80 photo, blue with a red top-left corner, stored on its side as a phone does:
    EXIF orientation 6 (turn it a quarter clockwise to show it), GPS, the phone, the time,
    an XMP packet naming the place, a comment (JPEG) or text chunks (PNG), an ICC profile."""
    image = Image.new("RGB", (60, 80), BLUE)
    image.paste(RED, (0, 0, 30, 30))
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = PHONE_MAKER  # Make
    exif[0x0132] = PHONE_TAKEN_AT  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (53.0, 48.0, 27.25)  # GPSLatitudeRef, GPSLatitude
    gps[3], gps[4] = "W", (1.0, 32.0, 50.5)  # GPSLongitudeRef, GPSLongitude
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><place>{PHONE_PLACE}</place></x:xmpmeta>'
    buffer = io.BytesIO()
    if kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", f"Taken at {PHONE_PLACE}")
        text.add_itxt("XML:com.adobe.xmp", xmp)
        image.save(buffer, "PNG", pnginfo=text, exif=exif, icc_profile=b"SecretICC" * 8)
    else:
        image.save(
            buffer,
            "JPEG",
            exif=exif,
            xmp=xmp.encode(),
            comment=f"Taken at {PHONE_PLACE}".encode(),
            icc_profile=b"SecretICC" * 8,
            quality=95,
        )
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
    """The parent's live access to the child's records: the one already given (the demo
    may have given it: one live grant per parent and child), or a new one."""
    live = ParentAccess.objects.filter(child=child, grantee=parent, revoked_at__isnull=True)
    return live.first() or ParentAccess.objects.create(
        organisation=child.organisation, child=child, grantee=parent, granted_by=granted_by
    )


def teach_only(teacher: User, *pupils: Child) -> SchoolClass:
    """As `teach`, and the teacher teaches no other class (whatever the demo gave them)."""
    for taught in SchoolClass.objects.filter(teachers=teacher):
        taught.teachers.remove(teacher)
    return teach(teacher, *pupils)


def other_school_senco() -> User:
    school = Organisation.objects.create(
        name="Hillside Academy", kind=Organisation.Kind.SCHOOL, reference_prefix="HSA"
    )
    return User.objects.create_user(
        "sam@hillside.example", full_name="Sam Hill", organisation=school, role=User.Role.SENCO
    )
