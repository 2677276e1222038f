from __future__ import annotations

import hashlib
import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from PIL import Image

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen.passport import PHOTO_DAMAGED
from caseledger.passports import services
from caseledger.passports.models import PassportVersion
from caseledger.passports.services import Part
from caseledger.passports.tests import factories
from caseledger.vault import storage
from caseledger.vault.models import StoredFile

pytestmark = pytest.mark.django_db


def test_the_first_version_is_numbered_one_and_audited(senco: User) -> None:
    isla = factories.pupil("Bennett")
    version = factories.write(senco, isla)
    assert version.number == 1
    assert version.key_summary == "Isla reads well but needs extra time to write."
    assert version.find_difficult_with == "Isla with Mrs Price"
    assert version.access_arrangements == ["extra_time", "reader"]
    assert version.arrangements_text == "Extra time, a reader"
    event = AuditEvent.objects.filter(action=Action.PASSPORT_AGREED).latest("sequence")
    assert event.object_id == str(version.id)
    assert event.detail["version"] == 1
    assert "Isla reads" not in str(event.detail)  # the words are never logged


def test_a_new_version_keeps_the_earlier_one_as_it_was(senco: User) -> None:
    isla = factories.pupil("Bennett")
    first = factories.write(senco, isla)
    second = factories.write(senco, isla, key_summary=Part("Now uses a laptop.", "Isla"))
    assert second.number == 2
    assert services.current_version(isla) == second
    assert [v.number for v in services.versions_of(isla)] == [2, 1]
    first.refresh_from_db()
    assert first.key_summary == "Isla reads well but needs extra time to write."


def test_the_database_refuses_to_change_or_delete_a_version(senco: User) -> None:
    version = factories.write(senco, factories.pupil("Bennett"))
    with pytest.raises(DatabaseError), transaction.atomic():
        PassportVersion.objects.filter(pk=version.pk).update(key_summary="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        PassportVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE passports_passportversion SET key_summary = %s WHERE id = %s",
            ["Changed", version.pk.hex if connection.vendor == "sqlite" else version.pk],
        )
    version.refresh_from_db()
    assert version.key_summary.startswith("Isla reads well")


def test_the_photo_is_kept_in_the_vault_and_carried_to_the_next_version(senco: User) -> None:
    isla = factories.pupil("Bennett")
    photo = factories.image_bytes("PNG")
    first = factories.write(senco, isla, photo=photo)
    assert first.photo_kind == "png" and first.photo_id is not None
    # What is kept is the photo encoded again (its pixels, nothing else), under that hash.
    with storage.open_stored(first.photo_id) as stored:
        kept = stored.read()
    assert hashlib.sha256(kept).hexdigest() == first.photo_id
    assert StoredFile.objects.get(sha256=first.photo_id).size == len(kept)
    with Image.open(io.BytesIO(kept)) as image:
        assert (image.format, image.size) == ("PNG", (60, 80))
        assert image.convert("RGB").getpixel((30, 40)) == (200, 120, 40)
    second = factories.write(senco, isla)
    assert second.photo_id == first.photo_id and second.photo_kind == "png"
    third = services.agree_version(
        actor=senco, child=isla, content=factories.content(), keep_photo=False
    )
    assert third.photo_id is None and third.photo_kind == ""
    fourth = factories.write(senco, isla, photo=factories.image_bytes("JPEG"))
    assert fourth.photo_kind == "jpeg"


def _png_declaring(width: int, height: int) -> bytes:
    """A real PNG whose header claims another size (as a decompression bomb's does)."""
    real = factories.image_bytes("PNG")
    chunk = b"IHDR" + struct.pack(">II", width, height) + real[24:29]
    return real[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + real[33:]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", services.PHOTO_EMPTY),
        (b"GIF89a" + b"\x00" * 100, services.PHOTO_WRONG_TYPE),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", services.PHOTO_WRONG_TYPE),
        (b"Just some words, not a picture at all.\n", services.PHOTO_WRONG_TYPE),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, PHOTO_DAMAGED),
        (_png_declaring(8000, 6000), "The photo is too large (8,000 × 6,000 pixels)"),
        # Past Pillow's own decompression-bomb limit, which refuses it on opening.
        (_png_declaring(100_000, 100_000), "The photo is too large. Save it"),
        # A JPEG cut short: its header reads, its pixels do not.
        (factories.image_bytes("JPEG", (300, 300))[:400], PHOTO_DAMAGED),
    ],
)
def test_a_photo_is_checked_by_its_content(senco: User, data: bytes, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        factories.write(senco, factories.pupil("Bennett"), photo=data)
    assert refused.value.field == "photo"
    assert refused.value.message.startswith(message)
    assert not PassportVersion.objects.filter(passport__child=factories.pupil("Bennett")).exists()


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_phone_photo_is_kept_upright_without_its_metadata(senco: User, kind: str) -> None:
    version = factories.write(senco, factories.pupil("Bennett"), photo=factories.phone_photo(kind))
    assert version.photo_id is not None and version.photo_kind == kind.lower()
    with storage.open_stored(version.photo_id) as stored:
        kept = stored.read()
    assert hashlib.sha256(kept).hexdigest() == version.photo_id
    for told in (b"Exif", b"eXIf", b"tEXt", b"iTXt", b"iCCP", b"xmpmeta", b"SecretICC"):
        assert told not in kept
    for said in (factories.PHONE_MAKER, factories.PHONE_TAKEN_AT, factories.PHONE_PLACE):
        assert said.encode() not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == kind and not image.getexif()
        assert "icc_profile" not in image.info and "comment" not in image.info
        # Turned a quarter clockwise: 80 wide now, and the red corner is at the top right.
        assert image.size == (80, 60)
        upright = image.convert("RGB")
        assert _near(upright.getpixel((70, 5)), factories.RED)
        assert _near(upright.getpixel((5, 5)), factories.BLUE)


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    """The same colour give or take what JPEG compression moves it."""
    assert isinstance(pixel, tuple)
    return all(abs(got - wanted) < 40 for got, wanted in zip(pixel, colour, strict=True))


def test_a_photo_over_the_size_limit_is_refused(senco: User) -> None:
    data = factories.image_bytes("JPEG") + b"\x00" * services.PHOTO_MAX_BYTES
    with pytest.raises(DomainError, match="smaller than 5 MB"):
        factories.write(senco, factories.pupil("Bennett"), photo=data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"key_summary": Part("", "")}, "key_summary", "Enter the key summary"),
        ({"agreed_on": None}, "agreed_on", "Enter the date the passport was agreed"),
        (
            {"agreed_on": timezone.localdate() + timedelta(days=1)},
            "agreed_on",
            "The date the passport was agreed must be today or in the past",
        ),
        (
            {"parts": {"find_difficult": Part("Writing long answers.", "")}},
            "find_difficult_with",
            "Enter who wrote ‘I find it difficult to…’ with Isla",
        ),
        (
            {"parts": {"this_means": Part("", "Isla with Mrs Price")}},
            "this_means",
            "Enter what ‘This means that…’ says, or leave who wrote it empty",
        ),
        (
            {"access_arrangements": ["extra_time"], "access_with": ""},
            "access_with",
            "Enter who agreed the access arrangements with Isla",
        ),
        (
            {"access_arrangements": ["a_robot"]},
            "access_arrangements",
            "Select access arrangements from the list",
        ),
        (
            {"key_summary": Part("x" * 601, "Isla")},
            "key_summary",
            "‘Key summary’ must be 600 characters or fewer",
        ),
    ],
)
def test_broken_rules_name_the_field(
    senco: User, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.agree_version(
            actor=senco, child=factories.pupil("Bennett"), content=factories.content(**changes)
        )
    assert (refused.value.field, refused.value.message) == (field, message)


def test_content_problems_lists_every_broken_rule_each_on_its_field() -> None:
    isla = factories.pupil("Bennett")
    content = factories.content(
        key_summary=Part("", ""),
        parts={
            "this_means": Part("Isla tires by the afternoon.", ""),
            "find_difficult": Part("Writing long answers.", ""),
            "help_myself": Part("", "Isla with Mrs Price"),
        },
        access_with="",
        agreed_on=isla.date_of_birth - timedelta(days=1),
    )
    found = [
        (problem.field, problem.message) for problem in services.content_problems(content, isla)
    ]
    born = f"{isla.date_of_birth.day} {isla.date_of_birth:%B %Y}"
    assert found == [
        ("key_summary", "Enter the key summary"),
        ("this_means_with", "Enter who wrote ‘This means that…’ with Isla"),
        ("find_difficult_with", "Enter who wrote ‘I find it difficult to…’ with Isla"),
        ("help_myself", "Enter what ‘I will help myself by…’ says, or leave who wrote it empty"),
        ("access_with", "Enter who agreed the access arrangements with Isla"),
        (
            "agreed_on",
            f"The date the passport was agreed must be after Isla's date of birth, {born}",
        ),
    ]
    assert services.content_problems(factories.content(), isla) == []


def test_the_service_still_refuses_the_first_problem_when_called_directly(senco: User) -> None:
    isla = factories.pupil("Bennett")
    with pytest.raises(DomainError) as refused:
        factories.write(
            senco,
            isla,
            key_summary=Part("", ""),
            parts={"this_means": Part("Isla tires by the afternoon.", "")},
        )
    assert refused.value.field == "key_summary"
    assert not PassportVersion.objects.filter(passport__child=isla).exists()


def test_photo_problem_checks_type_and_size_without_keeping_the_photo() -> None:
    stored_before = StoredFile.objects.count()
    good = factories.upload(factories.image_bytes("PNG"))
    assert services.photo_problem(good) is None
    assert good.source.tell() == 0  # left ready for the service to read
    wrong = services.photo_problem(factories.upload(b"%PDF-1.7\n%%EOF\n"))
    assert wrong is not None and (wrong.field, wrong.message) == (
        "photo",
        services.PHOTO_WRONG_TYPE,
    )
    big = services.PhotoUpload(source=io.BytesIO(b""), size=services.PHOTO_MAX_BYTES + 1)
    too_large = services.photo_problem(big)
    assert too_large is not None and too_large.message == "The photo must be smaller than 5 MB"
    assert StoredFile.objects.count() == stored_before


def test_only_the_senco_or_an_admin_of_the_school_writes_a_passport(
    teacher: User, worker: User
) -> None:
    isla = factories.pupil("Bennett")
    for actor in (teacher, worker, factories.other_school_senco()):
        with pytest.raises(NotPermittedError):
            factories.write(actor, isla)


def test_a_read_is_audited_without_the_content(senco: User, teacher: User) -> None:
    version = factories.write(senco, factories.pupil("Bennett"))
    services.record_passport_read(actor=teacher, version=version, action=Action.PASSPORT_VIEWED)
    event = AuditEvent.objects.filter(action=Action.PASSPORT_VIEWED).latest("sequence")
    assert event.actor == teacher and event.detail["version"] == 1
    with pytest.raises(ValueError):
        services.record_passport_read(actor=teacher, version=version, action=Action.PASSPORT_AGREED)
