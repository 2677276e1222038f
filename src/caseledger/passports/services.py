"""Writing and reading pupil passports (issue 8). Every write goes through here: it checks who
is acting, runs in one transaction and writes one audit event; every read of a passport is
audited too (ASVS 16.3.2: reads of special category data are logged, never their content).

The rules: a passport is written with the pupil and agreed (SEND Code of Practice 6.39,
6.64–6.65), shared with the adults who work with them (6.72) and with the parents the school
shares the pupil's records with; each agreed version is kept as it was (migration 0002).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.filetypes import FileKind, FileRefusedError, identify_content
from caseledger.domain.sen.passport import (
    PHOTO_DAMAGED,
    AccessArrangement,
    PassportSheet,
    PrintedPassport,
    SheetPart,
    photo_too_large,
    photo_without_metadata,
    to_pdf,
)
from caseledger.passports.models import (
    KEY_SUMMARY_HEADING,
    TEXT_PARTS,
    Passport,
    PassportVersion,
)
from caseledger.people.models import Child
from caseledger.sen.access import keeps_sen_register
from caseledger.vault import storage
from caseledger.vault.models import StoredFile

PART_LENGTH = 2000
KEY_SUMMARY_LENGTH = 600
WRITTEN_WITH_LENGTH = 100
ACCESS_OTHER_LENGTH = 200
# A passport photo is a head and shoulders picture: a phone photo is 2 to 5 MB and 12
# million pixels. The pixel limit bounds the memory drawing it into the PDF takes.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 30_000_000
PHOTO_KINDS = (FileKind.JPEG, FileKind.PNG)
PHOTO_WRONG_TYPE = "The photo must be a JPEG or PNG image"
PHOTO_EMPTY = "The selected photo is empty"


@dataclass(frozen=True)
class Part:
    text: str = ""
    written_with: str = ""


@dataclass(frozen=True)
class PassportContent:
    """What a version says, as the form sends it: each written part by its field name
    (`TEXT_PARTS`), the access arrangements, the key summary and the date it was agreed."""

    key_summary: Part
    agreed_on: date | None
    parts: Mapping[str, Part] = field(default_factory=dict)
    access_arrangements: Sequence[str] = ()
    access_other: str = ""
    access_with: str = ""


@dataclass(frozen=True)
class PhotoUpload:
    source: BinaryIO
    size: int


@dataclass(frozen=True)
class _KeptPhoto:
    sha256: str
    size: int
    kind: FileKind


def passport_of(child: Child) -> Passport | None:
    return Passport.objects.filter(organisation_id=child.organisation_id, child=child).first()


def versions_of(child: Child) -> QuerySet[PassportVersion]:
    """Every version of the pupil's passport, newest first."""
    return (
        PassportVersion.objects.filter(
            passport__organisation_id=child.organisation_id, passport__child=child
        )
        .select_related("recorded_by", "passport__organisation")
        .order_by("-number")
    )


def current_version(child: Child) -> PassportVersion | None:
    return versions_of(child).first()


def version_of(child: Child, number: int) -> PassportVersion | None:
    return versions_of(child).filter(number=number).first()


def first_name(child: Child) -> str:
    """The name a pupil is called by in the passport's questions ("Who wrote it with Isla?")."""
    return child.preferred_name or child.first_names.split(" ")[0]


def _clean(text: str) -> str:
    return text.strip().replace("\r\n", "\n")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _part_problems(
    part: Part, *, name: str, heading: str, child: Child, limit: int, required: bool = False
) -> list[DomainError]:
    """Everything wrong with one part: at most one problem for its words and one for who
    wrote it, so a page can show them all at once (GOV.UK error summary pattern)."""
    text, written_with = _clean(part.text), _squash(part.written_with)
    problems: list[DomainError] = []
    if required and not text:
        problems.append(DomainError(f"Enter the {heading.lower()}", field=name))
    elif len(text) > limit:
        problems.append(
            DomainError(f"‘{heading}’ must be {limit:,} characters or fewer", field=name)
        )
    elif written_with and not text:
        problems.append(
            DomainError(f"Enter what ‘{heading}’ says, or leave who wrote it empty", field=name)
        )
    if len(written_with) > WRITTEN_WITH_LENGTH:
        problems.append(
            DomainError(
                f"Who wrote ‘{heading}’ must be {WRITTEN_WITH_LENGTH} characters or fewer",
                field=f"{name}_with",
            )
        )
    # Each part records who wrote it with the pupil: the pupil's own voice is the point of
    # a passport (Code of Practice 6.64), and the reader must know whose words these are.
    elif text and not written_with:
        problems.append(
            DomainError(
                f"Enter who wrote ‘{heading}’ with {first_name(child)}", field=f"{name}_with"
            )
        )
    return problems


def _checked_part(
    part: Part, *, name: str, heading: str, child: Child, limit: int, required: bool = False
) -> Part:
    problems = _part_problems(
        part, name=name, heading=heading, child=child, limit=limit, required=required
    )
    if problems:
        raise problems[0]
    return Part(_clean(part.text), _squash(part.written_with))


def _arrangement_problems(content: PassportContent, child: Child) -> list[DomainError]:
    known = {arrangement.value for arrangement in AccessArrangement}
    chosen = list(content.access_arrangements)
    other, written_with = _squash(content.access_other), _squash(content.access_with)
    problems: list[DomainError] = []
    if any(code not in known for code in chosen):
        problems.append(
            DomainError("Select access arrangements from the list", field="access_arrangements")
        )
    elif written_with and not (chosen or other):
        problems.append(
            DomainError(
                "Select the access arrangements, or leave who agreed them empty",
                field="access_arrangements",
            )
        )
    if len(other) > ACCESS_OTHER_LENGTH:
        problems.append(
            DomainError(
                f"Other access arrangements must be {ACCESS_OTHER_LENGTH} characters or fewer",
                field="access_other",
            )
        )
    if len(written_with) > WRITTEN_WITH_LENGTH:
        problems.append(
            DomainError(
                "Who agreed the access arrangements must be "
                f"{WRITTEN_WITH_LENGTH} characters or fewer",
                field="access_with",
            )
        )
    elif (chosen or other) and not written_with:
        problems.append(
            DomainError(
                f"Enter who agreed the access arrangements with {first_name(child)}",
                field="access_with",
            )
        )
    return problems


def _checked_arrangements(content: PassportContent, child: Child) -> tuple[list[str], str, str]:
    problems = _arrangement_problems(content, child)
    if problems:
        raise problems[0]
    chosen = set(content.access_arrangements)
    return (
        [arrangement.value for arrangement in AccessArrangement if arrangement in chosen],
        _squash(content.access_other),
        _squash(content.access_with),
    )


def _agreed_on_problem(agreed_on: date | None, child: Child) -> DomainError | None:
    if agreed_on is None:
        return DomainError("Enter the date the passport was agreed", field="agreed_on")
    if agreed_on > timezone.localdate():
        return DomainError(
            "The date the passport was agreed must be today or in the past", field="agreed_on"
        )
    if agreed_on < child.date_of_birth:
        return DomainError(
            "The date the passport was agreed must be after "
            f"{first_name(child)}'s date of birth, {_day(child.date_of_birth)}",
            field="agreed_on",
        )
    return None


def _checked_agreed_on(agreed_on: date | None, child: Child) -> date:
    problem = _agreed_on_problem(agreed_on, child)
    if problem is not None:
        raise problem
    assert agreed_on is not None  # a missing date is a problem above
    return agreed_on


def content_problems(content: PassportContent, child: Child) -> list[DomainError]:
    """Every rule the content breaks, each on its field, in the order of the form.

    For the form, which shows them all at once; `agree_version` checks the same rules
    again and refuses the first it finds."""
    problems: list[DomainError] = _part_problems(
        content.key_summary,
        name="key_summary",
        heading=KEY_SUMMARY_HEADING,
        child=child,
        limit=KEY_SUMMARY_LENGTH,
        required=True,
    )
    for name, heading in TEXT_PARTS:
        problems += _part_problems(
            content.parts.get(name, Part()),
            name=name,
            heading=heading,
            child=child,
            limit=PART_LENGTH,
        )
    problems += _arrangement_problems(content, child)
    agreed = _agreed_on_problem(content.agreed_on, child)
    return [*problems, *([agreed] if agreed is not None else [])]


def _keep_photo(photo: PhotoUpload) -> _KeptPhoto:
    """Check the photo by its bytes (JPEG or PNG, whatever it is called), its size and its
    pixels, encode its pixels again without the metadata a phone writes into it (where and
    when it was taken: `photo_without_metadata`), then keep that in the vault's storage.
    The upload itself is never kept: its spooled copy is removed on leaving. Done before the
    transaction opens, as the vault does, so no database lock is held while bytes are
    copied. A file kept but never recorded is harmless: storage is by content."""
    if photo.size > PHOTO_MAX_BYTES:
        raise DomainError("The photo must be smaller than 5 MB", field="photo")
    try:
        with (
            storage.spooled(photo.source, limit=PHOTO_MAX_BYTES) as spool,
            spool.path.open("rb") as copy,
        ):
            kind = _photo_kind(copy, size=spool.size)
            # Pillow (installed with fpdf2, docs/adr/0006) reads the header for the size
            # before decoding; the PDF draws the photo with it, so a photo it cannot read
            # is refused now, not at printing.
            cleaned = photo_without_metadata(
                copy, png=kind is FileKind.PNG, max_pixels=PHOTO_MAX_PIXELS
            )
    except storage.FileTooLargeError as error:
        raise DomainError("The photo must be smaller than 5 MB", field="photo") from error
    # The upload's size was limited above; the encoded photo is bounded by its pixels (a
    # JPEG can come out a little larger than it went in), so it is stored whatever its size.
    kept = storage.store_bytes(cleaned, limit=len(cleaned))
    return _KeptPhoto(kept.sha256, kept.size, kind)


def _photo_kind(stream: BinaryIO, *, size: int) -> FileKind:
    """JPEG or PNG by the bytes, whatever the file is called; a file that starts as one but
    does not hold together is damaged, anything else the wrong type."""
    if size <= 0:
        raise DomainError(PHOTO_EMPTY, field="photo")
    stream.seek(0)
    head = stream.read(8)
    try:
        kind = identify_content(stream, size=size).kind
    except FileRefusedError as error:
        # The vault's own pixel limit (past the photo's) refuses a decompression bomb by
        # its header: say it is too large, as for one under that limit, not damaged.
        if error.message.startswith("The image is too large"):
            raise DomainError(photo_too_large(), field="photo") from error
        if head.startswith((_PNG_SIGNATURE, _JPEG_SIGNATURE)):
            raise DomainError(PHOTO_DAMAGED, field="photo") from error
        raise DomainError(PHOTO_WRONG_TYPE, field="photo") from error
    if kind not in PHOTO_KINDS:
        raise DomainError(PHOTO_WRONG_TYPE, field="photo")
    return kind


def photo_problem(photo: PhotoUpload) -> DomainError | None:
    """What is wrong with a photo by its size and its type, read from its first bytes,
    without keeping it: for the form, so a wrong file shows with the other errors at once.
    `agree_version` checks the photo again, fully (its pixels too). Leaves `photo.source`
    at its start."""
    if photo.size > PHOTO_MAX_BYTES:
        return DomainError("The photo must be smaller than 5 MB", field="photo")
    try:
        _photo_kind(photo.source, size=photo.size)
    except DomainError as error:
        return error
    finally:
        photo.source.seek(0)
    return None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"


def agree_version(
    *,
    actor: User,
    child: Child,
    content: PassportContent,
    photo: PhotoUpload | None = None,
    keep_photo: bool = True,
) -> PassportVersion:
    """Record a newly agreed version of the pupil's passport (the first, or the next one).

    A new photo replaces the last version's; without one, the last version's photo is kept
    unless `keep_photo` is False. The photo is checked and stored before the transaction."""
    _check_may_write(actor, child)
    _check_content(content, child)  # before the photo is stored: one round of errors
    kept = _keep_photo(photo) if photo is not None else None
    return _agree(actor=actor, child=child, content=content, kept=kept, keep_photo=keep_photo)


def _check_may_write(actor: User, child: Child) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != child.organisation_id:
        raise NotPermittedError


def _check_content(content: PassportContent, child: Child) -> None:
    problems = content_problems(content, child)
    if problems:
        raise problems[0]


@transaction.atomic
def _agree(
    *,
    actor: User,
    child: Child,
    content: PassportContent,
    kept: _KeptPhoto | None,
    keep_photo: bool,
) -> PassportVersion:
    _check_may_write(actor, child)
    passport, _ = Passport.objects.get_or_create(organisation_id=child.organisation_id, child=child)
    # The passport row is locked so that two people agreeing at once number their versions
    # one after the other (the unique constraint would refuse the second otherwise).
    passport = Passport.objects.select_for_update().get(pk=passport.pk)
    last = passport.versions.order_by("-number").first()
    version = PassportVersion(
        passport=passport, number=(last.number + 1) if last else 1, recorded_by=actor
    )
    summary = _checked_part(
        content.key_summary,
        name="key_summary",
        heading=KEY_SUMMARY_HEADING,
        child=child,
        limit=KEY_SUMMARY_LENGTH,
        required=True,
    )
    version.key_summary, version.key_summary_with = summary.text, summary.written_with
    for name, heading in TEXT_PARTS:
        part = _checked_part(
            content.parts.get(name, Part()),
            name=name,
            heading=heading,
            child=child,
            limit=PART_LENGTH,
        )
        setattr(version, name, part.text)
        setattr(version, f"{name}_with", part.written_with)
    version.access_arrangements, version.access_other, version.access_with = _checked_arrangements(
        content, child
    )
    version.agreed_on = _checked_agreed_on(content.agreed_on, child)
    if kept is not None:
        StoredFile.objects.get_or_create(sha256=kept.sha256, defaults={"size": kept.size})
        version.photo_id, version.photo_kind = kept.sha256, kept.kind.value
    elif keep_photo and last is not None and last.photo_id:
        version.photo_id, version.photo_kind = last.photo_id, last.photo_kind
    version.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.PASSPORT_AGREED,
        obj=version,
        organisation=child.organisation,
        detail={
            "child": str(child.id),
            "version": version.number,
            "agreed_on": version.agreed_on.isoformat(),
            # The photo by its hash, as the vault logs files; the words are never logged.
            "photo": version.photo_id or None,
        },
    )
    return version


@transaction.atomic
def record_passport_read(*, actor: User, version: PassportVersion, action: Action) -> None:
    """Log that someone read (PASSPORT_VIEWED) or downloaded (PASSPORT_DOWNLOADED) a
    version: who and which, never what it says."""
    if action not in (Action.PASSPORT_VIEWED, Action.PASSPORT_DOWNLOADED):
        raise ValueError("not a passport read")
    record_event(
        actor=actor,
        action=action,
        obj=version,
        organisation=version.passport.organisation,
        detail={"child": str(version.passport.child_id), "version": version.number},
    )


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def printed(version: PassportVersion, *, child: Child) -> PrintedPassport:
    """The version on one A4 page, with its photo (read from the vault's storage)."""
    photo: bytes | None = None
    if version.photo_id:
        with storage.open_stored(version.photo_id) as stored:
            photo = stored.read()
    sheet = PassportSheet(
        pupil_name=child.display_name,
        school_name=child.organisation.name,
        agreed_on=_day(version.agreed_on),
        key_summary=version.key_summary,
        key_summary_with=version.key_summary_with,
        parts=[SheetPart(part.heading, part.text, part.written_with) for part in version.parts],
        footer=(
            f"Version {version.number}, recorded by {version.recorded_by.full_name} on "
            f"{_day(timezone.localdate(version.recorded_at))}. Printed on "
            f"{_day(timezone.localdate())}: check the online passport for a newer version."
        ),
        photo=photo,
        photo_description=f"Photo of {child.display_name}",
    )
    return to_pdf(sheet)
