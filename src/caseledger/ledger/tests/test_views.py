"""Case notes through the real pages: write, save, finalise, correct, read, and who viewed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError
from caseledger.ledger import services
from caseledger.ledger.models import ContactType, Entry, EntryKind, EntryStatus

pytestmark = pytest.mark.django_db


def lily_mae_case() -> Case:
    return Case.objects.get(child__first_names="Lily-Mae", child__last_name="Walker")


def contact_type(case: Case, name: str) -> ContactType:
    return ContactType.objects.get(organisation=case.organisation, name=name)


def note_form(case: Case, **overrides: Any) -> dict[str, Any]:
    """What a browser posts for a complete phone-call note."""
    when = timezone.localtime() - timedelta(hours=2)
    data: dict[str, Any] = {
        "occurred_on-day": str(when.day),
        "occurred_on-month": str(when.month),
        "occurred_on-year": str(when.year),
        "occurred_time": f"{when:%H:%M}",
        "contact_type": str(contact_type(case, "Phone call").id),
        "title": "Call with mum",
        "body": "Mum said the family is settling.\n- school is going well\n- <b>no</b> concerns",
        "children": [str(case.id)],
    }
    data.update(overrides)
    return data


def finalised_note(author: Any, case: Case, title: str = "A note") -> Entry:
    when = timezone.now() - timedelta(hours=1)
    draft = services.start_draft(
        actor=author,
        case=case,
        content=services.NoteContent(
            occurred_at=when,
            title=title,
            body="What happened.",
            contact_type=contact_type(case, "Phone call"),
        ),
    )
    return services.finalise_note(actor=author, draft=draft)[0]


def test_a_worker_writes_saves_and_finalises_a_note(worker, kayden_case, client_for):
    client = client_for(worker)
    response = client.post(f"/cases/{kayden_case.id}/notes/new/", note_form(kayden_case))
    assert response.status_code == 302
    draft = Entry.objects.get(case=kayden_case, author=worker, status=EntryStatus.DRAFT)
    assert draft.title == "Call with mum"
    check = client.get(f"/notes/{draft.id}/finalise/")
    assert check.status_code == 200
    assert "Once you finalise this note you cannot change it" in check.content.decode()
    done = client.post(f"/notes/{draft.id}/finalise/")
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.is_final
    assert draft.sequence is not None
    page = client.get(f"/notes/{draft.id}/").content.decode()
    # Plain text: bullets become a list, HTML is shown as text, never rendered.
    assert "<li>school is going well</li>" in page
    assert "&lt;b&gt;no&lt;/b&gt; concerns" in page
    assert "<b>no</b>" not in page


def test_continue_with_missing_answers_keeps_what_was_typed(worker, kayden_case, client_for):
    client = client_for(worker)
    form = note_form(kayden_case, title="", body="Half a thought", action="continue")
    response = client.post(f"/cases/{kayden_case.id}/notes/new/", form, follow=True)
    body = response.content.decode()
    assert "Enter a title" in body
    assert "Half a thought" in body
    assert Entry.objects.filter(case=kayden_case, body="Half a thought").count() == 1


def test_a_future_time_is_refused_with_a_message(worker, kayden_case, client_for):
    client = client_for(worker)
    later = timezone.localtime() + timedelta(days=2)
    form = note_form(
        kayden_case,
        **{
            "occurred_on-day": str(later.day),
            "occurred_on-month": str(later.month),
            "occurred_on-year": str(later.year),
        },
    )
    response = client.post(f"/cases/{kayden_case.id}/notes/new/", form)
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not Entry.objects.filter(case=kayden_case, title="Call with mum").exists()


def test_autosave_creates_then_updates_the_draft(worker, kayden_case, client_for):
    client = client_for(worker)
    first = client.post(
        f"/cases/{kayden_case.id}/notes/new/", {"title": "Typing", "action": "autosave"}
    )
    assert first.status_code == 200
    url = first.json()["url"]
    draft = Entry.objects.get(case=kayden_case, title="Typing")
    assert url == f"/notes/{draft.id}/edit/"
    second = client.post(url, {"title": "Typing more", "action": "autosave"})
    assert second.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.title == "Typing more"


def test_a_final_note_has_no_edit_page_and_a_forged_post_changes_nothing(
    worker, kayden_case, client_for
):
    entry = finalised_note(worker, kayden_case)
    before = entry.entry_hash
    client = client_for(worker)
    assert client.get(f"/notes/{entry.id}/edit/").status_code == 404
    forged = client.post(f"/notes/{entry.id}/edit/", note_form(kayden_case, title="Rewritten"))
    assert forged.status_code == 404
    assert client.post(f"/notes/{entry.id}/delete/").status_code == 404
    entry.refresh_from_db()
    assert entry.title == "A note"
    assert entry.entry_hash == before
    assert f"/notes/{entry.id}/edit/" not in client.get(f"/notes/{entry.id}/").content.decode()


def test_a_draft_is_its_authors_alone(worker, manager, kayden_case, client_for):
    draft = services.start_draft(
        actor=worker, case=kayden_case, content=services.NoteContent(title="Private")
    )
    manager_client = client_for(manager)
    for url in (f"/notes/{draft.id}/", f"/notes/{draft.id}/edit/", f"/notes/{draft.id}/finalise/"):
        assert manager_client.get(url).status_code == 404
    assert "Private" not in manager_client.get(f"/cases/{kayden_case.id}/").content.decode()


def test_a_correction_is_listed_at_its_own_time_and_marks_the_original(
    worker, manager, kayden_case, client_for
):
    original = finalised_note(worker, kayden_case, title="Visit note with wrong school")
    response = client_for(worker).post(
        f"/notes/{original.id}/correct/",
        {
            "reason": "factual_error",
            "explanation": "I named the wrong school.",
            "body": "Kayden attends Riverside Primary.",
        },
    )
    assert response.status_code == 302
    correction = Entry.objects.get(corrects=original)
    assert correction.kind == EntryKind.CORRECTION
    chronology = client_for(manager).get(f"/cases/{kayden_case.id}/chronology/")
    body = chronology.content.decode()
    assert "Corrected" in body
    assert f"/notes/{correction.id}/" in body
    # Newest first: the correction (now) comes before the original (an hour ago).
    assert body.index(f"/notes/{correction.id}/") < body.index(f"/notes/{original.id}/")


def test_a_grantee_cannot_add_a_correction(parent, worker, freddie_la_case, client_for):
    entry = finalised_note(worker, freddie_la_case)
    client = client_for(parent)
    assert client.get(f"/notes/{entry.id}/").status_code == 200
    assert client.get(f"/notes/{entry.id}/correct/").status_code == 404


def test_group_visit_lands_on_both_siblings(worker, kayden_case, client_for):
    lily = lily_mae_case()
    visit = contact_type(kayden_case, "Home visit")
    form = note_form(
        kayden_case,
        contact_type=str(visit.id),
        title="Home visit to the Walkers",
        visit_statutory="yes",
        visit_announcement="announced",
        children=[str(kayden_case.id), str(lily.id)],
        **{
            f"child-{kayden_case.id}-seen": "yes",
            f"child-{kayden_case.id}-alone": "yes",
            f"child-{lily.id}-seen": "no",
            f"child-{lily.id}-reason": "Lily-Mae was at nursery.",
            "action": "continue",
        },
    )
    client = client_for(worker)
    response = client.post(f"/cases/{kayden_case.id}/notes/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Entry.objects.get(title="Home visit to the Walkers", status=EntryStatus.DRAFT)
    assert client.post(f"/notes/{draft.id}/finalise/").status_code == 302
    entries = Entry.objects.filter(title="Home visit to the Walkers", status=EntryStatus.FINAL)
    by_case = {entry.case_id: entry for entry in entries}
    assert by_case[kayden_case.id].child_seen is True
    assert by_case[kayden_case.id].seen_alone is True
    assert by_case[lily.id].child_seen is False
    assert by_case[lily.id].not_seen_reason == "Lily-Mae was at nursery."
    assert by_case[kayden_case.id].group_id == by_case[lily.id].group_id is not None


def test_the_new_note_form_preselects_open_siblings(worker, kayden_case, client_for):
    body = client_for(worker).get(f"/cases/{kayden_case.id}/notes/new/").content.decode()
    lily = lily_mae_case()
    assert f'value="{lily.id}" checked' in body


def test_reads_are_logged_and_shown_to_the_manager(worker, manager, kayden_case, client_for):
    entry = finalised_note(worker, kayden_case)
    client_for(worker).get(f"/notes/{entry.id}/")
    assert AuditEvent.objects.filter(
        action=Action.NOTE_VIEWED, actor=worker, object_id=str(entry.id)
    ).exists()
    viewers = client_for(manager).get(f"/cases/{kayden_case.id}/viewers/")
    assert viewers.status_code == 200
    assert "Amira Khan" in viewers.content.decode()
    assert client_for(worker).get(f"/cases/{kayden_case.id}/viewers/").status_code == 404


def test_chronology_query_count_does_not_grow_with_entries(worker, kayden_case, client_for):
    client = client_for(worker)
    finalised_note(worker, kayden_case)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/cases/{kayden_case.id}/chronology/").status_code == 200
    for number in range(30):
        finalised_note(worker, kayden_case, title=f"Note {number}")
    original = finalised_note(worker, kayden_case, title="To correct")
    services.add_correction(
        actor=worker, original=original, reason="omission", explanation="x", body="y"
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/cases/{kayden_case.id}/chronology/")
    assert response.status_code == 200
    assert 'rel="next"' in response.content.decode()
    assert len(many) == len(few)


def test_chronology_filters_and_pages(worker, kayden_case, client_for):
    client = client_for(worker)
    for number in range(30):
        finalised_note(worker, kayden_case, title=f"Routine {number:02d}")
    first = client.get(f"/cases/{kayden_case.id}/chronology/?order=oldest").content.decode()
    assert "Routine 00" in first
    marker = "after="
    start = first.index(marker) + len(marker)
    cursor = first[start : first.index('"', start)]
    second = client.get(
        f"/cases/{kayden_case.id}/chronology/?order=oldest&after={cursor}"
    ).content.decode()
    assert "Routine 29" in second
    assert "Routine 00" not in second
    significant = client.get(f"/cases/{kayden_case.id}/chronology/?significant=on")
    assert "Routine" not in significant.content.decode()


def test_case_page_query_count_is_constant(worker, kayden_case, client_for):
    client = client_for(worker)
    finalised_note(worker, kayden_case)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{kayden_case.id}/")
    for number in range(10):
        finalised_note(worker, kayden_case, title=f"More {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{kayden_case.id}/")
    assert len(many) == len(few)


def test_home_lists_drafts_with_their_deadline(worker, kayden_case, client_for):
    services.start_draft(
        actor=worker,
        case=kayden_case,
        content=services.NoteContent(
            title="Old visit", occurred_at=timezone.now() - timedelta(days=14)
        ),
    )
    body = client_for(worker).get("/").content.decode()
    assert "Your draft case notes" in body
    assert "Old visit" in body
    assert "Overdue" in body


def test_an_admin_can_amend_a_note_whose_type_is_no_longer_offered(org_admin, client_for):
    note = Entry.objects.get(title="Placement visit to Maya", status=EntryStatus.FINAL)
    assert note.contact_type is not None
    ContactType.objects.filter(pk=note.contact_type.pk).update(is_active=False)
    client = client_for(org_admin)
    page = client.get(f"/notes/{note.id}/amend/").content.decode()
    assert f'value="{note.contact_type.pk}" selected' in page
    when = timezone.localtime(note.occurred_at)
    response = client.post(
        f"/notes/{note.id}/amend/",
        {
            "reason": "The carers' names were wrong",
            "occurred_on-day": str(when.day),
            "occurred_on-month": str(when.month),
            "occurred_on-year": str(when.year),
            "occurred_time": f"{when:%H:%M}",
            "title": note.title,
            "body": "Maya is settled with Karen and Phil.",
            "visit_statutory": "yes",
            "visit_announcement": "announced",
            "children": [str(note.case_id)],
            f"child-{note.case_id}-seen": "yes",
            f"child-{note.case_id}-alone": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = Entry.objects.get(lineage_id=note.lineage_id, version=2)
    assert version.contact_type_id == note.contact_type.pk
    assert version.body == "Maya is settled with Karen and Phil."


def test_an_empty_draft_is_refused_by_the_service_too(worker, kayden_case):
    with pytest.raises(DomainError, match="before saving a draft"):
        services.start_draft(actor=worker, case=kayden_case, content=services.NoteContent())
    assert not Entry.objects.filter(case=kayden_case, status=EntryStatus.DRAFT).exists()
