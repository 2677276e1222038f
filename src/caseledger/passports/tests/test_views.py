from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from datetime import timedelta

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.sen.passport import CONTINUED
from caseledger.passports.models import TEXT_PARTS, PassportVersion
from caseledger.passports.services import Part
from caseledger.passports.tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def _urls(child_id: object, number: int = 1) -> dict[str, str]:
    base = f"/pupils/{child_id}/passport/"
    return {
        "passport": base,
        "version": f"{base}versions/{number}/",
        "photo": f"{base}versions/{number}/photo",
        "pdf": f"{base}passport.pdf",
        "new": f"{base}new/",
    }


def _form(**changes: str) -> dict[str, str]:
    agreed = timezone.localdate() - timedelta(days=1)
    data = {
        "key_summary": "Isla needs instructions one step at a time.",
        "key_summary_with": "Isla with Mrs Price",
        "access_arrangements": "extra_time",
        "access_other": "A coloured overlay",
        "access_with": "Isla with Mrs Price",
        "agreed_on-day": str(agreed.day),
        "agreed_on-month": str(agreed.month),
        "agreed_on-year": str(agreed.year),
    }
    for name, heading in TEXT_PARTS:
        data[name] = f"Isla says: {heading}"
        data[f"{name}_with"] = "Isla with Mrs Price"
    data.update(changes)
    return data


def _error_summary(body: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', body, re.S)
    assert match, "no error summary"
    return match.group()


def test_the_senco_writes_the_first_passport_and_reads_it(
    senco: User, client_for: ClientFor
) -> None:
    isla = factories.pupil("Bennett")
    client = client_for(senco)
    urls = _urls(isla.id)
    assert "Write the passport" in client.get(urls["passport"]).content.decode()
    photo = SimpleUploadedFile("isla.png", factories.image_bytes("PNG"), "image/png")
    response = client.post(urls["new"], {**_form(), "photo": photo})
    assert response.status_code == 302 and response["Location"] == urls["passport"]
    body = client.get(urls["passport"]).content.decode()
    assert "Isla needs instructions one step at a time." in body
    assert '<h2 class="govuk-heading-m">I find it difficult to…</h2>' in body
    assert "Written by Isla with Mrs Price" in body
    assert "Extra time" in body and "Other: A coloured overlay" in body
    assert 'alt="Photo of Isla Bennett"' in body
    assert "Write a new version" in body
    assert AuditEvent.objects.filter(action=Action.PASSPORT_AGREED, actor=senco).exists()
    assert AuditEvent.objects.filter(action=Action.PASSPORT_VIEWED, actor=senco).exists()


def test_an_empty_form_shows_an_error_summary(senco: User, client_for: ClientFor) -> None:
    response = client_for(senco).post(_urls(factories.pupil("Bennett").id)["new"], {})
    assert response.status_code == 400
    summary = _error_summary(response.content.decode())
    assert "Enter the key summary" in summary
    assert "Enter the date the passport was agreed" in summary


def test_errors_keep_what_was_typed_and_ask_for_the_photo_again(
    senco: User, client_for: ClientFor
) -> None:
    client = client_for(senco)
    url = _urls(factories.pupil("Bennett").id)["new"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url,
        _form(
            **{
                "agreed_on-day": str(tomorrow.day),
                "agreed_on-month": str(tomorrow.month),
                "agreed_on-year": str(tomorrow.year),
            }
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "the passport was agreed must be today or in the past" in _error_summary(body)
    assert "Isla needs instructions one step at a time." in body
    assert "A coloured overlay" in body
    # A file pretending to be a photo: refused by its content, and the page says to choose
    # the photo again, because a browser cannot keep it.
    fake = SimpleUploadedFile("isla.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")
    response = client.post(url, {**_form(), "photo": fake})
    body = response.content.decode()
    assert response.status_code == 400
    assert "The photo must be a JPEG or PNG image" in _error_summary(body)
    assert "choose it again: browsers do not keep a chosen file" in body
    assert "Isla says: I will help myself by…" in body


def test_a_part_without_who_wrote_it_is_an_error_on_that_field(
    senco: User, client_for: ClientFor
) -> None:
    response = client_for(senco).post(
        _urls(factories.pupil("Bennett").id)["new"], _form(this_means_with="")
    )
    assert response.status_code == 400
    assert "Enter who wrote ‘This means that…’ with Isla" in _error_summary(
        response.content.decode()
    )


def test_every_error_shows_at_once_each_linked_to_its_field(
    senco: User, client_for: ClientFor
) -> None:
    # The key summary missing (the form's own check) and two parts without who wrote them
    # (the service's rules, run by the form too): one page, not one round per error.
    isla = factories.pupil("Bennett")
    response = client_for(senco).post(
        _urls(isla.id)["new"], _form(key_summary="", this_means_with="", find_difficult_with="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', _error_summary(body))
    assert links == [
        ("id_key_summary", "Enter the key summary"),
        ("id_this_means_with", "Enter who wrote ‘This means that…’ with Isla"),
        ("id_find_difficult_with", "Enter who wrote ‘I find it difficult to…’ with Isla"),
    ]
    for field_id, _ in links:
        assert f'id="{field_id}"' in body
    # Everything typed is still there, the parts with errors included.
    assert "Isla says: This means that…" in body
    assert "Isla says: I find it difficult to…" in body
    # The key summary, the four other parts and the access arrangements: who wrote them.
    assert body.count('value="Isla with Mrs Price"') == 6
    assert not PassportVersion.objects.filter(passport__child=isla).exists()


def test_arrangements_the_date_and_the_photo_are_checked_in_the_same_round(
    senco: User, client_for: ClientFor
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    fake = SimpleUploadedFile("isla.png", b"GIF89a" + b"\x00" * 100, "image/png")
    response = client_for(senco).post(
        _urls(factories.pupil("Bennett").id)["new"],
        {
            **_form(
                key_summary="",
                access_with="",
                **{
                    "agreed_on-day": str(tomorrow.day),
                    "agreed_on-month": str(tomorrow.month),
                    "agreed_on-year": str(tomorrow.year),
                },
            ),
            "photo": fake,
        },
    )
    assert response.status_code == 400
    links = dict(
        re.findall(
            r'<li><a href="#([^"]+)">([^<]+)</a></li>', _error_summary(response.content.decode())
        )
    )
    assert links == {
        "id_key_summary": "Enter the key summary",
        "id_access_with": "Enter who agreed the access arrangements with Isla",
        "id_photo": "The photo must be a JPEG or PNG image",
        "id_agreed_on-day": "Date the passport was agreed must be today or in the past",
    }


def test_a_written_with_without_words_is_an_error_on_the_words(
    senco: User, client_for: ClientFor
) -> None:
    data = _form(help_myself="", access_other="")
    del data["access_arrangements"]  # none ticked: the browser sends nothing
    response = client_for(senco).post(_urls(factories.pupil("Bennett").id)["new"], data)
    summary = _error_summary(response.content.decode())
    assert (
        '<a href="#id_help_myself">Enter what ‘I will help myself by…’ says, or leave who wrote '
        "it empty</a>"
    ) in summary
    assert (
        '<a href="#id_access_arrangements_0">Select the access arrangements, or leave who '
        "agreed them empty</a>"
    ) in summary


def test_questions_and_errors_call_the_pupil_by_their_preferred_name(
    senco: User, client_for: ClientFor
) -> None:
    freddie = factories.pupil("Morgan")
    assert freddie.preferred_name == "Freddie"
    client = client_for(senco)
    response = client.post(_urls(freddie.id)["new"], _form(like_you_to_know_with=""))
    body = response.content.decode()
    assert "Enter who wrote ‘I would like you to know that…’ with Freddie" in _error_summary(body)
    assert "Who agreed the access arrangements with Freddie?" in body


def test_a_new_version_starts_from_the_current_one(senco: User, client_for: ClientFor) -> None:
    isla = factories.pupil("Bennett")
    factories.write(senco, isla, photo=factories.image_bytes("JPEG"))
    client = client_for(senco)
    urls = _urls(isla.id)
    body = client.get(urls["new"]).content.decode()
    assert "Isla reads well but needs extra time to write." in body
    assert "Remove the current photo" in body
    response = client.post(urls["new"], _form(key_summary="Isla now uses a laptop."))
    assert response.status_code == 302
    body = client.get(urls["passport"]).content.decode()
    assert "Isla now uses a laptop." in body
    assert f"/pupils/{isla.id}/passport/versions/2/photo" in body  # the photo carried over
    earlier = client.get(urls["version"]).content.decode()
    assert "an earlier version" in earlier
    assert "Isla reads well but needs extra time to write." in earlier
    assert client.get(f"/pupils/{isla.id}/passport/versions/3/").status_code == 404


def test_the_photo_is_served_only_through_the_access_check_and_never_cached(
    senco: User, client_for: ClientFor
) -> None:
    isla = factories.pupil("Bennett")
    version = factories.write(senco, isla, photo=factories.image_bytes("JPEG"))
    response = client_for(senco).get(_urls(isla.id)["photo"])
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    served = b"".join(response.streaming_content)
    assert hashlib.sha256(served).hexdigest() == version.photo_id
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    factories.write(senco, isla, photo=None)
    without = factories.pupil("Fraser")
    factories.write(senco, without)
    assert client_for(senco).get(_urls(without.id)["photo"]).status_code == 404


@pytest.mark.parametrize(
    ("kind", "name", "media_type"),
    [("JPEG", "isla.jpg", "image/jpeg"), ("PNG", "isla.png", "image/png")],
)
def test_a_phone_photo_uploaded_is_served_without_where_or_when_it_was_taken(
    senco: User, client_for: ClientFor, kind: str, name: str, media_type: str
) -> None:
    isla = factories.pupil("Bennett")
    client = client_for(senco)
    urls = _urls(isla.id)
    photo = SimpleUploadedFile(name, factories.phone_photo(kind), media_type)
    assert client.post(urls["new"], {**_form(), "photo": photo}).status_code == 302
    response = client.get(urls["photo"])
    assert response.status_code == 200 and response["Content-Type"] == media_type
    assert isinstance(response, FileResponse)
    served = b"".join(response.streaming_content)
    for told in (b"Exif", b"eXIf", b"tEXt", b"iTXt", b"xmpmeta", b"SecretICC"):
        assert told not in served
    for said in (factories.PHONE_MAKER, factories.PHONE_TAKEN_AT, factories.PHONE_PLACE):
        assert said.encode() not in served
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == kind and image.size == (80, 60)  # turned upright
        exif = image.getexif()
        assert not exif and not exif.get_ifd(0x8825)  # no EXIF, no GPS
        assert "comment" not in image.info and "Comment" not in image.info
    # The audit names the photo by the hash of what is served, never of the upload.
    agreed = AuditEvent.objects.filter(action=Action.PASSPORT_AGREED).latest("sequence")
    assert agreed.detail["photo"] == hashlib.sha256(served).hexdigest()


def test_the_pdf_is_one_page_with_the_key_summary_and_no_name_in_the_file_name(
    senco: User, client_for: ClientFor
) -> None:
    isla = factories.pupil("Bennett")
    factories.write(senco, isla, photo=factories.image_bytes("PNG"))
    response = client_for(senco).get(_urls(isla.id)["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "pupil-passport-version-1-" in disposition
    assert "isla" not in disposition.lower() and "bennett" not in disposition.lower()
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Isla reads well but needs extra time to write." in text
    assert "Isla Bennett" in text
    assert AuditEvent.objects.filter(action=Action.PASSPORT_DOWNLOADED, actor=senco).exists()


def test_a_long_passport_still_prints_on_one_page(senco: User, client_for: ClientFor) -> None:
    isla = factories.pupil("Bennett")
    long_text = "Isla likes to talk about horses and the farm she visits. " * 34
    factories.write(
        senco,
        isla,
        parts={name: Part(long_text[:2000], "Isla with Mrs Price") for name, _ in TEXT_PARTS},
        key_summary=Part("Short summary everyone must read.", "Isla with Mrs Price"),
    )
    response = client_for(senco).get(_urls(isla.id)["pdf"])
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Short summary everyone must read." in text
    assert "continued in the online passport" in text.replace("\n", " ")
    assert CONTINUED.startswith("…")


def test_the_pdf_and_version_pages_are_404_without_a_passport(
    senco: User, client_for: ClientFor
) -> None:
    urls = _urls(factories.pupil("Bennett").id)
    client = client_for(senco)
    assert client.get(urls["passport"]).status_code == 200
    for name in ("pdf", "version", "photo"):
        assert client.get(urls[name]).status_code == 404


def test_a_teacher_reads_the_passport_of_a_pupil_in_their_class_but_does_not_write(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    isla, leo = factories.pupil("Bennett"), factories.pupil("Fraser")
    factories.write(senco, isla, photo=factories.image_bytes("JPEG"))
    factories.write(senco, leo)
    factories.teach_only(teacher, isla)
    client = client_for(teacher)
    urls = _urls(isla.id)
    body = client.get(urls["passport"]).content.decode()
    assert "Isla reads well" in body and "Write a new version" not in body
    for name in ("version", "photo", "pdf"):
        assert client.get(urls[name]).status_code == 200
    assert client.get(urls["new"]).status_code == 404
    assert client.post(urls["new"], _form()).status_code == 404
    # Leo is not in the teacher's class.
    for url in _urls(leo.id).values():
        assert client.get(url).status_code == 404


def test_a_parent_with_access_reads_a_friendly_page(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    freddie = factories.pupil("Morgan")
    written = factories.write(senco, freddie, photo=factories.image_bytes("PNG"))
    access = factories.share_with(parent, freddie, granted_by=senco)
    client = client_for(parent)
    urls = _urls(freddie.id, written.number)  # the demo may have agreed an earlier one
    body = client.get(urls["passport"]).content.decode()
    assert "Freddie Morgan&#x27;s passport" in body or "Freddie Morgan's passport" in body
    assert "and the staff at Riverside Primary School agreed on" in body
    assert "Isla reads well but needs extra time to write." in body
    assert "Write a new version" not in body
    for name in ("version", "photo", "pdf"):
        assert client.get(urls[name]).status_code == 200
    assert client.get(urls["new"]).status_code == 404
    assert AuditEvent.objects.filter(action=Action.PASSPORT_VIEWED, actor=parent).exists()
    # Revoked: a 404 at once.
    access.revoked_at = timezone.now()
    access.revoked_by = senco
    access.save()
    for url in urls.values():
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["other_parent", "parent", "worker", "other_school"])
def test_outsiders_get_a_404_on_every_route(
    persona: str,
    senco: User,
    other_parent: User,
    request: pytest.FixtureRequest,
    client_for: ClientFor,
) -> None:
    isla, freddie = factories.pupil("Bennett"), factories.pupil("Morgan")
    factories.write(senco, isla, photo=factories.image_bytes("JPEG"))
    # Anil has access to Freddie, not to Isla; Jo (parent) has access to nothing.
    factories.share_with(other_parent, freddie, granted_by=senco)
    user = (
        factories.other_school_senco()
        if persona == "other_school"
        else request.getfixturevalue(persona)
    )
    client = client_for(user)
    for url in _urls(isla.id).values():
        assert client.get(url).status_code == 404, url
    assert client.post(_urls(isla.id)["new"], _form()).status_code == 404


def test_the_passport_page_takes_a_constant_number_of_queries(
    senco: User, client_for: ClientFor
) -> None:
    isla = factories.pupil("Bennett")
    client = client_for(senco)
    url = _urls(isla.id)["passport"]
    factories.write(senco, isla)  # the list of versions shows from the first
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        factories.write(senco, isla)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "Version 7 (current)" in body and "Version 1</a>" in body
    assert len(many) == len(few)


def _version_links(body: str) -> list[tuple[str, str, str]]:
    """Each link to a version's page: its address, whether it is marked as the page shown,
    and its words."""
    return re.findall(
        r'<a class="govuk-link" href="(/pupils/[^"]+/passport/versions/\d+/)"'
        r'( aria-current="page")?>([^<]+)</a>',
        body,
    )


def test_the_only_version_is_listed_and_linked_to_its_own_page(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    # Every version is reached by a link, the first too: the list shows from one version.
    isla, freddie = factories.pupil("Bennett"), factories.pupil("Morgan")
    factories.write(senco, isla)
    client = client_for(senco)
    urls = _urls(isla.id)
    body = client.get(urls["passport"]).content.decode()
    assert "Versions</caption>" in body
    assert _version_links(body) == [(urls["version"], "", "Version 1 (current)")]
    # On the version's own page, its link is marked as the page shown, and Back goes to the
    # passport.
    body = client.get(urls["version"]).content.decode()
    assert _version_links(body) == [
        (urls["version"], ' aria-current="page"', "Version 1 (current)")
    ]
    assert f'<a href="{urls["passport"]}" class="govuk-back-link">' in body
    # A parent the school shares the records with sees the list too.
    written = factories.write(senco, freddie)
    factories.share_with(parent, freddie, granted_by=senco)
    parent_urls = _urls(freddie.id, written.number)
    body = client_for(parent).get(parent_urls["passport"]).content.decode()
    assert "Every version of the passport</caption>" in body
    assert (parent_urls["version"], "", f"Version {written.number} (current)") in _version_links(
        body
    )


def test_an_earlier_versions_page_links_every_version(senco: User, client_for: ClientFor) -> None:
    isla = factories.pupil("Bennett")
    factories.write(senco, isla)
    factories.write(senco, isla)
    client = client_for(senco)
    body = client.get(_urls(isla.id, 1)["version"]).content.decode()
    assert _version_links(body) == [
        (_urls(isla.id, 2)["version"], "", "Version 2 (current)"),
        (_urls(isla.id, 1)["version"], ' aria-current="page"', "Version 1"),
    ]


def test_without_a_passport_there_is_no_list_of_versions(
    senco: User, client_for: ClientFor
) -> None:
    isla = factories.pupil("Bennett")
    body = client_for(senco).get(_urls(isla.id)["passport"]).content.decode()
    assert "Versions</caption>" not in body
    # Back goes to the pupil's page, as from the current passport.
    back = reverse("sen:pupil", kwargs={"child_id": isla.id})
    assert f'<a href="{back}" class="govuk-back-link">' in body


def test_optional_fields_say_so_and_errors_name_the_part_by_its_heading(
    senco: User, client_for: ClientFor
) -> None:
    # GOV.UK: optional fields are marked "(optional)", required ones are not; an error names
    # the part as its heading says, without the marker.
    client = client_for(senco)
    url = _urls(factories.pupil("Bennett").id)["new"]
    body = client.get(url).content.decode()
    labels = dict(
        re.findall(
            r'<label class="govuk-label[^"]*" for="id_([a-z_]+)">\s*([^<]+?)\s*</label>', body
        )
    )
    assert labels["key_summary"] == "Key summary"
    for name, heading in TEXT_PARTS:
        assert labels[name] == f"{heading} (optional)"
        assert labels[f"{name}_with"] == f"Who wrote ‘{heading}’ with Isla?"
    assert labels["access_other"] == "Other access arrangements (optional)"
    assert "Access arrangements (optional)" in body
    assert "Needed if you write this part" in body
    response = client.post(url, _form(this_means="x" * 2001, find_difficult_with=""))
    summary = _error_summary(response.content.decode())
    assert "‘This means that…’ must be 2,000 characters or fewer" in summary
    assert "Enter who wrote ‘I find it difficult to…’ with Isla" in summary
    assert "(optional)" not in summary
