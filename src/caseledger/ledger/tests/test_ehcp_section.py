"""A note or an interaction about one section of the child's EHC plan (issue 7).

On an EHCP tracking case the note form and the interaction form ask which section (A to K) it is
about. The answer is part of the record: saved with a draft, kept when the note is finalised,
covered by the case's hash chain (the chain's third extension group, ADR 3) and frozen with the
rest of the row. Any other case cannot have one. The note's page, the chronology and the timeline
show it, without a query more.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case, CaseType
from caseledger.domain.chain import ENTRY_COLUMN_NAMES, GENESIS, entry_values, link_hash
from caseledger.domain.ehcp import SECTIONS
from caseledger.domain.errors import DomainError
from caseledger.ledger import services
from caseledger.ledger.interactions import InteractionContent, record_interaction
from caseledger.ledger.models import Channel, ContactType, EhcpSection, Entry, EntryStatus
from caseledger.ledger.tests.test_verify import db_id, run_verify, tamper
from caseledger.ledger.verify import verify

pytestmark = pytest.mark.django_db

QUESTION = "Which section of the EHC plan is it about? (optional)"
NOT_ON_THIS_CASE = (
    "Only notes and interactions on an EHCP tracking case can be about a section of an EHC plan"
)
UNKNOWN = "Select a section of the EHC plan from the list"
SECTION_F = "Section F: Special educational provision"


def phone_call(case: Case) -> ContactType:
    return ContactType.objects.get(organisation_id=case.organisation_id, name="Phone call")


def note(case: Case, **changes: Any) -> services.NoteContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "title": "Call with the SEN caseworker",
        "body": "Asked when the speech and language therapy in the plan will start.",
        "contact_type": phone_call(case),
        "ehcp_section": "F",
    }
    return services.NoteContent(**{**values, **changes})


def final_note(actor: User, case: Case, **changes: Any) -> Entry:
    draft = services.start_draft(actor=actor, case=case, content=note(case, **changes))
    return services.finalise_note(actor=actor, draft=draft)[0]


def call(case: Case, **changes: Any) -> InteractionContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=3),
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "contact_organisation": "Northmoor Council",
        "summary": "Sam said the occupational therapy report is late.",
        "in_timeline": True,
        "ehcp_section": "G",
    }
    return InteractionContent(**{**values, **changes})


def note_form(case: Case, **overrides: str) -> dict[str, Any]:
    """What a browser posts for a complete phone-call note about Section F."""
    when = timezone.localtime() - timedelta(hours=2)
    data: dict[str, Any] = {
        "occurred_on-day": str(when.day),
        "occurred_on-month": str(when.month),
        "occurred_on-year": str(when.year),
        "occurred_time": f"{when:%H:%M}",
        "contact_type": str(phone_call(case).id),
        "title": "Call with the SEN caseworker",
        "body": "Asked when the therapy in the plan will start.",
        "children": [str(case.id)],
        "ehcp_section": "F",
    }
    data.update(overrides)
    return data


def interaction_form(**overrides: str) -> dict[str, Any]:
    """What a browser posts for a phone call about Section G."""
    when = timezone.localdate() - timedelta(days=1)
    data: dict[str, Any] = {
        "occurred_on-day": str(when.day),
        "occurred_on-month": str(when.month),
        "occurred_on-year": str(when.year),
        "occurred_time": "10:15",
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "summary": "Sam said the occupational therapy report is late.",
        "in_timeline": "on",
        "ehcp_section": "G",
    }
    data.update(overrides)
    return data


def section_select(body: str) -> str:
    found = re.search(r'<select[^>]*name="ehcp_section".*?</select>', body, re.S)
    assert found is not None, "the page should ask which section"
    return found.group(0)


def selected(body: str) -> list[str]:
    """The values chosen in the page's EHC plan section select."""
    return re.findall(r'<option value="([^"]*)" selected>', section_select(body))


# --- The question is asked on an EHCP tracking case only ---------------------------------------


def test_the_sections_offered_are_the_plans_sections_a_to_k() -> None:
    assert EhcpSection.values == list(SECTIONS)
    assert EhcpSection("F").label == SECTION_F


@pytest.mark.parametrize("page", ["notes", "interactions"])
def test_the_forms_ask_which_section_on_an_ehcp_tracking_case(
    parent: User, freddie_family_case: Case, client_for: Any, page: str
) -> None:
    assert freddie_family_case.case_type == CaseType.EHCP_TRACKING
    response = client_for(parent).get(f"/cases/{freddie_family_case.id}/{page}/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert QUESTION in body
    assert '<option value="">Not about one section</option>' in body
    assert '<option value="A">Section A: Views, interests and aspirations</option>' in body
    assert f'<option value="F">{SECTION_F}</option>' in body
    options = re.findall(r'<option value="([^"]*)"', section_select(body))
    assert options == ["", *SECTIONS]
    assert selected(body) == []


@pytest.mark.parametrize("page", ["notes", "interactions"])
def test_the_forms_do_not_ask_on_any_other_case(
    worker: User, kayden_case: Case, client_for: Any, page: str
) -> None:
    assert kayden_case.case_type != CaseType.EHCP_TRACKING
    response = client_for(worker).get(f"/cases/{kayden_case.id}/{page}/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert QUESTION not in body
    assert 'name="ehcp_section"' not in body


# --- Saved on a draft, kept when final, part of the hash ---------------------------------------


def test_a_draft_keeps_its_section_and_finalising_keeps_it_in_the_hash(
    parent: User, freddie_family_case: Case
) -> None:
    content = note(freddie_family_case, ehcp_section="E")
    draft = services.start_draft(actor=parent, case=freddie_family_case, content=content)
    assert Entry.objects.get(pk=draft.pk).ehcp_section == "E"
    assert services.content_of(draft).ehcp_section == "E"

    changed = services.save_draft(
        actor=parent, draft=draft, content=replace(content, ehcp_section="F")
    )
    assert changed
    saved = AuditEvent.objects.filter(action=Action.DRAFT_SAVED, object_id=str(draft.id)).latest(
        "sequence"
    )
    assert saved.detail["fields"] == ["ehcp_section"]

    (entry,) = services.finalise_note(actor=parent, draft=draft)
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.is_final and stored.ehcp_section == "F"
    values = entry_values([getattr(stored, name) for name in ENTRY_COLUMN_NAMES])
    assert len(values) == len(ENTRY_COLUMN_NAMES) and values[-1] == "F"
    assert link_hash(stored.previous_hash, values) == stored.entry_hash
    assert not verify().problems


def test_a_note_about_no_section_hashes_as_before_issue_7(
    parent: User, freddie_family_case: Case
) -> None:
    """Blank joins no canonical form: the row hashes its 33 original columns, as every row
    written before the column existed does."""
    entry = Entry.objects.get(pk=final_note(parent, freddie_family_case, ehcp_section="").pk)
    assert entry.ehcp_section == ""
    values = entry_values([getattr(entry, name) for name in ENTRY_COLUMN_NAMES])
    assert len(values) == 33
    assert link_hash(entry.previous_hash, values) == entry.entry_hash


def test_the_section_of_a_final_note_cannot_be_changed(
    parent: User, freddie_family_case: Case
) -> None:
    entry = final_note(parent, freddie_family_case)
    for value in ("E", ""):
        with (
            pytest.raises(IntegrityError, match="final ledger entries cannot be"),
            transaction.atomic(),
        ):
            Entry.objects.filter(pk=entry.pk).update(ehcp_section=value)
    assert Entry.objects.get(pk=entry.pk).ehcp_section == "F"


@pytest.mark.parametrize(("before", "after"), [("F", "E"), ("F", ""), ("", "F")])
def test_changing_the_section_in_the_database_is_caught_by_verify(
    parent: User, freddie_family_case: Case, before: str, after: str
) -> None:
    entry = final_note(parent, freddie_family_case, ehcp_section=before)
    assert not verify().problems
    assert tamper(
        "UPDATE ledger_entry SET ehcp_section = %s WHERE id = %s", [after, db_id(entry.id)]
    )
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {freddie_family_case.reference} entry {entry.sequence} "
        f"(id {entry.id}): its content does not match its hash"
    ]


def test_an_interaction_keeps_its_section_in_the_hash(
    parent: User, freddie_family_case: Case
) -> None:
    entry = record_interaction(
        actor=parent, case=freddie_family_case, content=call(freddie_family_case)
    )
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.is_final and stored.ehcp_section == "G"
    values = entry_values([getattr(stored, name) for name in ENTRY_COLUMN_NAMES])
    assert values[-1] == "G"
    assert link_hash(stored.previous_hash, values) == stored.entry_hash
    tamper("UPDATE ledger_entry SET ehcp_section = '' WHERE id = %s", [db_id(entry.id)])
    assert [problem.entry_id for problem in verify().problems] == [str(entry.id)]


def test_the_hash_is_the_chain_arithmetic_over_the_stored_row(
    parent: User, freddie_family_case: Case
) -> None:
    """The writer hashes what the verifier reads back: link by link from the case's start."""
    final_note(parent, freddie_family_case)
    record_interaction(actor=parent, case=freddie_family_case, content=call(freddie_family_case))
    previous = GENESIS
    for entry in Entry.objects.filter(case=freddie_family_case, status=EntryStatus.FINAL).order_by(
        "sequence"
    ):
        values = entry_values([getattr(entry, name) for name in ENTRY_COLUMN_NAMES])
        assert entry.previous_hash == previous
        assert link_hash(previous, values) == entry.entry_hash
        previous = entry.entry_hash


# --- Refused on any other case, or when it is no section ---------------------------------------


def refused(attempt: Any, message: str) -> None:
    with pytest.raises(DomainError) as raised:
        attempt()
    assert raised.value.field == "ehcp_section"
    assert raised.value.message == message


def test_a_note_on_another_kind_of_case_cannot_name_a_section(
    worker: User, kayden_case: Case
) -> None:
    refused(
        lambda: services.start_draft(actor=worker, case=kayden_case, content=note(kayden_case)),
        NOT_ON_THIS_CASE,
    )
    draft = services.start_draft(
        actor=worker, case=kayden_case, content=note(kayden_case, ehcp_section="")
    )
    refused(
        lambda: services.save_draft(actor=worker, draft=draft, content=note(kayden_case)),
        NOT_ON_THIS_CASE,
    )
    assert Entry.objects.get(pk=draft.pk).ehcp_section == ""
    assert ("ehcp_section", NOT_ON_THIS_CASE) in services.problems_with(
        kayden_case, note(kayden_case), now=timezone.now()
    )


def test_an_interaction_on_another_kind_of_case_cannot_name_a_section(
    worker: User, kayden_case: Case
) -> None:
    before = Entry.objects.filter(case=kayden_case).count()
    refused(
        lambda: record_interaction(actor=worker, case=kayden_case, content=call(kayden_case)),
        NOT_ON_THIS_CASE,
    )
    assert Entry.objects.filter(case=kayden_case).count() == before


@pytest.mark.parametrize("section", ["Z", "f", "H1", "Section F"])
def test_only_a_section_of_the_plan_is_accepted(
    parent: User, freddie_family_case: Case, section: str
) -> None:
    case = freddie_family_case
    refused(
        lambda: services.start_draft(
            actor=parent, case=case, content=note(case, ehcp_section=section)
        ),
        UNKNOWN,
    )
    refused(
        lambda: record_interaction(
            actor=parent, case=case, content=call(case, ehcp_section=section)
        ),
        UNKNOWN,
    )


def test_a_draft_cannot_be_finalised_with_a_section_its_case_cannot_have(
    worker: User, kayden_case: Case
) -> None:
    """Checked again at finalising, whatever wrote the draft."""
    draft = services.start_draft(
        actor=worker, case=kayden_case, content=note(kayden_case, ehcp_section="")
    )
    Entry.objects.filter(pk=draft.pk).update(ehcp_section="F")
    refused(lambda: services.finalise_note(actor=worker, draft=draft), NOT_ON_THIS_CASE)
    assert Entry.objects.get(pk=draft.pk).is_draft


# --- Through the pages ---------------------------------------------------------------------------


def test_the_family_writes_a_note_about_section_f_and_reads_it_back(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    response = client.post(
        f"/cases/{freddie_family_case.id}/notes/new/",
        {**note_form(freddie_family_case), "action": "continue"},
    )
    assert response.status_code == 302
    draft = Entry.objects.get(case=freddie_family_case, author=parent, status=EntryStatus.DRAFT)
    assert draft.ehcp_section == "F"
    assert selected(client.get(f"/notes/{draft.id}/edit/").content.decode()) == ["F"]
    check = client.get(f"/notes/{draft.id}/finalise/").content.decode()
    assert "EHC plan section" in check and SECTION_F in check
    assert client.post(f"/notes/{draft.id}/finalise/").status_code == 302
    page = client.get(f"/notes/{draft.id}/").content.decode()
    assert re.search(
        r'<dt class="govuk-summary-list__key">EHC plan section</dt>'
        rf'<dd class="govuk-summary-list__value">{SECTION_F}</dd>',
        page,
    )
    assert Entry.objects.get(pk=draft.pk).ehcp_section == "F"


def test_a_page_with_errors_keeps_the_section_chosen(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    note_page = client.post(
        f"/cases/{freddie_family_case.id}/notes/new/",
        note_form(freddie_family_case, occurred_time="25:99"),
    )
    assert note_page.status_code == 400
    assert selected(note_page.content.decode()) == ["F"]
    call_page = client.post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(contact_name=""),
    )
    assert call_page.status_code == 400
    assert selected(call_page.content.decode()) == ["G"]
    assert not Entry.objects.filter(case=freddie_family_case, ehcp_section__in=["F", "G"]).exists()


def test_an_unknown_section_is_an_error_on_the_question(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/", interaction_form(ehcp_section="Z")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'<a href="#id_ehcp_section">{UNKNOWN}</a>' in body
    assert 'value="Sam Okafor"' in body


def test_a_section_posted_for_another_kind_of_case_is_not_recorded(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    response = client_for(worker).post(
        f"/cases/{kayden_case.id}/notes/new/", note_form(kayden_case)
    )
    assert response.status_code == 302
    draft = Entry.objects.get(case=kayden_case, author=worker, status=EntryStatus.DRAFT)
    assert draft.ehcp_section == ""


def test_the_family_records_a_call_about_section_g(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    response = client.post(f"/cases/{freddie_family_case.id}/interactions/new/", interaction_form())
    assert response.status_code == 302
    entry = Entry.objects.get(case=freddie_family_case, contact_name="Sam Okafor", ehcp_section="G")
    page = client.get(f"/notes/{entry.id}/").content.decode()
    assert "Section G: Health care provision" in page


# --- The chronology and the timeline -----------------------------------------------------------

TAG = (
    '<strong class="govuk-tag govuk-tag--green"><span class="govuk-visually-hidden">EHC plan '
    "</span>Section {}</strong>"
)


def test_the_chronology_and_the_timeline_show_the_section(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    final_note(parent, freddie_family_case, title="About the therapy")
    record_interaction(actor=parent, case=freddie_family_case, content=call(freddie_family_case))
    chronology = client.get(f"/cases/{freddie_family_case.id}/chronology/").content.decode()
    assert TAG.format("F") in chronology
    assert TAG.format("G") in chronology
    printed = client.get(f"/cases/{freddie_family_case.id}/chronology/print/").content.decode()
    assert f"EHC plan {SECTION_F}" in printed
    timeline = client.get(f"/cases/{freddie_family_case.id}/timeline/").content.decode()
    assert TAG.format("G") in timeline


def test_entries_about_no_section_show_none(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    entry = final_note(parent, freddie_family_case, ehcp_section="")
    client = client_for(parent)
    assert "EHC plan section" not in client.get(f"/notes/{entry.id}/").content.decode()
    chronology = client.get(f"/cases/{freddie_family_case.id}/chronology/").content.decode()
    assert 'govuk-visually-hidden">EHC plan </span>' not in chronology


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["chronology", "timeline"])
def test_the_section_adds_no_query_to_the_lists(
    parent: User, freddie_family_case: Case, client_for: Any, page: str
) -> None:
    client = client_for(parent)
    url = f"/cases/{freddie_family_case.id}/{page}/"
    final_note(parent, freddie_family_case, ehcp_section="")
    before = queries(client, url)
    for section in "ABCF":
        record_interaction(
            actor=parent,
            case=freddie_family_case,
            content=call(freddie_family_case, ehcp_section=section),
        )
    body = client.get(url).content.decode()
    assert all(TAG.format(section) in body for section in "ABCF")
    assert queries(client, url) == before
