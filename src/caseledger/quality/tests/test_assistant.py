"""The recording-quality assistant in the note's life: before finalising, at finalising, and
in the organisation's settings (issue 6; recording rules 11 and 12).

Amira (worker) holds Kayden Walker's case; Priya is Northmoor's organisation admin; Sofia
works for another council.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.quality import CODES
from caseledger.ledger.models import ContactType, Entry, EntryStatus
from caseledger.ledger.services import NoteContent, finalise_note, start_draft
from caseledger.ledger.templatetags.ledger import marked_note_body
from caseledger.quality import services
from caseledger.quality.models import NoteFinding
from caseledger.quality.pasted_emails import store_pasted_email
from caseledger.vault.models import Document

pytestmark = pytest.mark.django_db

PASTED_EMAIL = """Spoke to school about attendance.

From: Jane Doe <jane.doe@school.example>
Sent: 03 March 2026 09:14
To: Amira Khan <amira.khan@northmoor.example>
Subject: Kayden attendance

Hi Amira,
Kayden was absent on Monday and Tuesday.
Kind regards
Jane
This email and any attachments are confidential and intended solely for the addressee.
"""
CLEAN = "Stacey said Kayden has been sleeping better since the new routine."
QUOTED_LINE = (
    'Email from the school on 3 March said: "Kayden was absent on Monday." '
    "I will ask Stacey about this at the next visit."
)
OPINION = "Stacey said Kayden has been sleeping better. Mother was neglectful."


def phone_call(case: Case, body: str) -> NoteContent:
    return NoteContent(
        occurred_at=timezone.now() - timedelta(hours=2),
        title="Phone call",
        body=body,
        contact_type=ContactType.objects.get(
            organisation_id=case.organisation_id, name="Phone call"
        ),
    )


def draft_of(user: User, case: Case, body: str) -> Entry:
    return start_draft(actor=user, case=case, content=phone_call(case, body))


# --- Finalising ------------------------------------------------------------------------------


def test_a_pasted_email_stops_finalising_until_confirmed(worker: User, kayden_case: Case) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "confirm_pasted_email"
    assert Entry.objects.get(pk=draft.pk).status == EntryStatus.DRAFT

    finalise_note(actor=worker, draft=draft, confirmed=["pasted_email"])
    kept = list(NoteFinding.objects.filter(entry=draft, code="pasted_email"))
    assert kept
    for finding in kept:
        assert finding.resolved
        assert finding.resolution_reason == services.CONFIRMATIONS["pasted_email"]
        assert finding.author == worker and finding.case == kayden_case


def test_one_quoted_line_of_an_email_does_not_stop_finalising(
    worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, QUOTED_LINE)
    finalise_note(actor=worker, draft=draft)
    assert not NoteFinding.objects.filter(entry=draft, code="pasted_email").exists()


def test_advice_does_not_stop_finalising_and_is_kept_unresolved(
    worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, OPINION)
    finalise_note(actor=worker, draft=draft)
    finding = NoteFinding.objects.get(entry=draft, code="opinion_as_fact")
    assert not finding.resolved
    assert OPINION[finding.start : finding.end].lower() in OPINION.lower()
    assert "neglectful" in OPINION[finding.start : finding.end]


def test_a_clean_note_keeps_no_findings(worker: User, kayden_case: Case) -> None:
    draft = draft_of(worker, kayden_case, CLEAN)
    finalise_note(actor=worker, draft=draft)
    assert not NoteFinding.objects.filter(entry=draft).exists()


def test_the_database_refuses_to_change_or_delete_a_kept_finding(
    worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, OPINION)
    finalise_note(actor=worker, draft=draft)
    finding = NoteFinding.objects.get(entry=draft, code="opinion_as_fact")
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteFinding.objects.filter(pk=finding.pk).update(resolved=True, resolution_reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteFinding.objects.filter(pk=finding.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM quality_notefinding")


def test_the_case_people_are_known_names(worker: User, kayden_case: Case) -> None:
    names = services.known_names_of(kayden_case, author=worker)
    assert "Kayden James Walker" in names
    assert worker.full_name in names
    adults = list(kayden_case.child.adults.values_list("full_name", flat=True))
    assert adults and set(adults) <= set(names)


def test_a_known_person_is_not_a_third_party(worker: User, kayden_case: Case) -> None:
    adult = kayden_case.child.adults.first()
    assert adult is not None
    known = services.review_note(kayden_case, f"Spoke to {adult.full_name} about the plan.")
    assert not [f for f in known.findings if f.code == "third_party_info"]
    unknown = services.review_note(kayden_case, "Spoke to Gordon Whitmore about the plan.")
    assert [f for f in unknown.findings if f.code == "third_party_info"]


# --- Settings --------------------------------------------------------------------------------


def change(
    actor: User,
    *,
    enabled: list[str] | None = None,
    blocking: tuple[str, ...] | list[str] = ("pasted_email",),
    glossary: dict[str, str] | None = None,
    lexicon: list[str] | None = None,
) -> None:
    assert actor.organisation is not None
    services.change_settings(
        actor=actor,
        organisation=actor.organisation,
        enabled=list(CODES) if enabled is None else enabled,
        blocking=blocking,
        glossary=glossary or {},
        lexicon=lexicon or [],
        guide_length_words=400,
    )


def test_an_admin_can_make_pasted_emails_advice_only(
    org_admin: User, worker: User, kayden_case: Case
) -> None:
    change(org_admin, blocking=[])
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    finalise_note(actor=worker, draft=draft)
    kept = NoteFinding.objects.filter(entry=draft, code="pasted_email")
    assert kept.exists() and not kept.filter(resolved=True).exists()
    assert AuditEvent.objects.filter(action=Action.QUALITY_SETTINGS_CHANGED).exists()


def test_an_admin_can_make_another_check_block(
    org_admin: User, worker: User, kayden_case: Case
) -> None:
    change(org_admin, blocking=["pasted_email", "opinion_as_fact"])
    draft = draft_of(worker, kayden_case, OPINION)
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "confirm_opinion_as_fact"


def test_a_check_switched_off_finds_nothing(org_admin: User, kayden_case: Case) -> None:
    change(org_admin, enabled=["pasted_email"], blocking=["pasted_email"])
    assert not services.review_note(kayden_case, OPINION).findings


def test_a_blocking_check_must_run(org_admin: User) -> None:
    with pytest.raises(DomainError) as refused:
        change(org_admin, enabled=["jargon"], blocking=["pasted_email"])
    assert refused.value.field == "blocking"


def test_the_glossary_and_word_list_are_the_organisations(
    org_admin: User, kayden_case: Case
) -> None:
    text = "Kayden went to the Brightwell Hub. The ZQX meeting is on Monday."
    before = {f.code for f in services.review_note(kayden_case, text).findings}
    change(org_admin, glossary={"ZQX": "zone quality exchange"}, lexicon=["Brightwell"])
    found = services.review_note(kayden_case, text).findings
    assert not [f for f in found if f.code == "spelling" and "Brightwell" in text[f.start : f.end]]
    jargon = [f for f in found if f.code == "jargon" and text[f.start : f.end] == "ZQX"]
    assert "jargon" in before
    assert jargon and "zone quality exchange" in (jargon[0].suggestion or "")


def test_only_the_organisations_admin_changes_the_settings(worker: User) -> None:
    with pytest.raises(NotPermittedError):
        change(worker)


def test_the_glossary_is_read_line_by_line_with_clear_errors() -> None:
    assert services.parse_glossary("CIN = child in need\n\nLAC: looked-after child") == {
        "CIN": "child in need",
        "LAC": "looked-after child",
    }
    with pytest.raises(DomainError, match="Line 2 of the glossary"):
        services.parse_glossary("CIN = child in need\nLAC")
    assert services.parse_lexicon("Brightwell, Northmoor\nOfsted") == [
        "Brightwell",
        "Northmoor",
        "Ofsted",
    ]
    with pytest.raises(DomainError, match="one word at a time"):
        services.parse_lexicon("two words")


# --- Moving a pasted email to the vault ------------------------------------------------------


def test_a_pasted_email_moves_to_the_vault_and_out_of_the_note(
    worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    document = store_pasted_email(actor=worker, draft=draft)
    draft.refresh_from_db()
    # The header, the email's body between it and the footer, and the footer all go.
    assert "From: Jane Doe" not in draft.body
    assert "absent on Monday" not in draft.body and "confidential" not in draft.body
    assert draft.body == "Spoke to school about attendance."
    assert str(document.id) in [str(each) for each in draft.document_ids]
    assert document.title == "Email: Kayden attendance"
    assert document.case_links.filter(case=kayden_case).exists()
    assert not services.review_note(kayden_case, draft.body).blocking
    finalise_note(actor=worker, draft=draft)


def test_only_the_author_moves_their_draft_email(
    worker: User, colleague: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    before = Document.objects.count()
    with pytest.raises(DomainError):
        store_pasted_email(actor=colleague, draft=draft)
    assert Document.objects.count() == before


def test_a_note_with_no_email_has_nothing_to_move(worker: User, kayden_case: Case) -> None:
    draft = draft_of(worker, kayden_case, CLEAN)
    with pytest.raises(DomainError, match="no pasted email"):
        store_pasted_email(actor=worker, draft=draft)


# --- Pages -----------------------------------------------------------------------------------


def test_the_check_page_lists_findings_with_links_to_their_marks(
    client_for, worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, OPINION + " <script>alert(1)</script>")
    page = client_for(worker).get(reverse("ledger:note-finalise", kwargs={"entry_id": draft.id}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The recording assistant found" in html
    assert 'href="#finding-' in html and '<mark class="app-finding" id="finding-' in html
    assert "<script>alert(1)</script>" not in html


def test_finalising_without_confirming_a_pasted_email_shows_an_error(
    client_for, worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    url = reverse("ledger:note-finalise", kwargs={"entry_id": draft.id})
    client = client_for(worker)
    page = client.get(url)
    assert "Store the email as a document" in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Store the email as a document, or confirm the text is not an email" in (
        refused.content.decode()
    )
    assert Entry.objects.get(pk=draft.pk).is_draft
    done = client.post(url, {"confirm_pasted_email": "yes"})
    assert done.status_code == 302
    assert Entry.objects.get(pk=draft.pk).is_final


def test_the_store_email_button_moves_it_and_returns_to_the_editor(
    client_for, worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    url = reverse("ledger:note-finalise", kwargs={"entry_id": draft.id})
    response = client_for(worker).post(url, {"action": "store_email"})
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:note-edit", kwargs={"entry_id": draft.id})
    draft.refresh_from_db()
    assert draft.document_ids and "Subject:" not in draft.body


def test_someone_else_cannot_store_the_email_of_a_draft(
    client_for, worker: User, colleague: User, outsider: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    url = reverse("ledger:note-finalise", kwargs={"entry_id": draft.id})
    before = Document.objects.count()
    for other in (colleague, outsider):
        assert client_for(other).post(url, {"action": "store_email"}).status_code == 404
    assert Document.objects.count() == before


def test_the_settings_page_saves_and_keeps_bad_input(client_for, org_admin: User) -> None:
    url = reverse("quality:settings")
    client = client_for(org_admin)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "enabled": ["pasted_email", "jargon"],
            "blocking": ["pasted_email"],
            "guide_length_words": "lots",
            "glossary": "CIN = child in need\nLAC",
            "lexicon": "Brightwell",
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Enter a guide length from 50 to 5000 words" in html
    assert "Line 2 of the glossary" in html
    assert "CIN = child in need\nLAC" in html and "Brightwell" in html
    good = client.post(
        url,
        {
            "enabled": ["pasted_email", "jargon"],
            "blocking": ["pasted_email"],
            "guide_length_words": "300",
            "glossary": "CIN = child in need",
            "lexicon": "Brightwell",
        },
    )
    assert good.status_code == 302
    assert org_admin.organisation is not None
    chosen = services.settings_of(org_admin.organisation)
    assert chosen.enabled == ("pasted_email", "jargon")
    assert chosen.glossary == {"CIN": "child in need"} and chosen.guide_length_words == 300
    assert "Pasted email" in client.get(reverse("ledger:settings")).content.decode()


def test_nobody_but_the_organisations_admin_sees_the_settings(
    client_for, worker: User, manager: User, outsider: User, parent: User
) -> None:
    url = reverse("quality:settings")
    for other in (worker, manager, outsider, parent):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(url, {"enabled": []}).status_code == 404
    assert client_for(None).get(url).status_code == 302


# --- Showing a note with marks ---------------------------------------------------------------


def test_marks_are_escaped_and_nest_across_lines_and_bullets() -> None:
    text = "First <b>line</b> here\n- second item\n\nthird"
    start = text.index("here")
    end = text.index("item") + len("item")
    html, target = marked_note_body(text, [(start, end, "finding-1"), (end + 2, end + 7, "x")])
    assert "&lt;b&gt;line&lt;/b&gt;" in html
    assert html.count("<mark") == html.count("</mark>") == 3
    assert 'id="finding-1"' in html and 'id="x"' in html
    assert target == {"finding-1": "finding-1", "x": "x"}
    assert "<li>" in html


def test_overlapping_marks_link_to_the_first() -> None:
    text = "one two three four"
    _html, target = marked_note_body(text, [(0, 7, "a"), (4, 13, "b")])
    assert target == {"a": "a", "b": "a"}


# --- The command line ------------------------------------------------------------------------


def run_analyse(text: str, *args: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("analyse", "note", "--json", *args, stdout=out)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_the_command_prints_findings_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_analyse("", monkeypatch=monkeypatch) == {"findings": []}
    found = run_analyse(PASTED_EMAIL, monkeypatch=monkeypatch)["findings"]
    assert isinstance(found, list)
    codes = {each["code"] for each in found}
    assert "pasted_email" in codes
    for each in found:
        assert set(each) == {"code", "start", "end", "message", "suggestion"}
        assert 0 <= each["start"] <= each["end"] <= len(PASTED_EMAIL)


def test_the_command_takes_known_names(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Met Gordon Whitmore at the family home."

    def third_party(*args: str) -> list[object]:
        found = run_analyse(text, *args, monkeypatch=monkeypatch)["findings"]
        assert isinstance(found, list)
        return [each for each in found if each["code"] == "third_party_info"]

    assert third_party()
    assert not third_party("--known-name", "Gordon Whitmore")


def test_the_command_evaluates_every_code_on_every_set() -> None:
    out = io.StringIO()
    call_command("analyse", "--evaluate", stdout=out)
    report = out.getvalue()
    assert "evaluation.jsonl (development set" in report
    assert "holdout-1.jsonl (held-out set" in report
    for code in CODES:
        assert code in report
    out = io.StringIO()
    call_command("analyse", "--evaluate", "--json", stdout=out)
    results = json.loads(out.getvalue())
    assert set(results) >= {"evaluation.jsonl", "holdout-1.jsonl"}
    # The development set is held to the target; held-out sets are reported as found.
    development = results["evaluation.jsonl"]
    for code in CODES:
        assert development[code]["precision"] >= 0.8 and development[code]["recall"] >= 0.8


def test_the_command_measures_one_set_when_asked(tmp_path) -> None:
    labelled = tmp_path / "one.jsonl"
    labelled.write_text(
        json.dumps(
            {
                "id": "x1",
                "source": "test",
                "text": "I will recieve the report.",
                "known_names": [],
                "labels": [{"code": "spelling", "quote": "recieve"}],
            }
        )
        + "\n"
    )
    out = io.StringIO()
    call_command("analyse", "--evaluate", "--json", "--set", str(labelled), stdout=out)
    results = json.loads(out.getvalue())
    assert list(results) == ["one.jsonl"]
    assert results["one.jsonl"]["spelling"]["tp"] == 1


def test_the_note_shows_its_findings_to_its_author_and_managers_only(
    client_for,
    worker: User,
    colleague: User,
    manager: User,
    other_team_manager: User,
    parent: User,
    freddie_la_case: Case,
) -> None:
    """Jo (parent) reads Freddie's council case through a grant; Lewis works beside Amira."""
    draft = draft_of(worker, freddie_la_case, OPINION)
    finalise_note(actor=worker, draft=draft)
    url = reverse("ledger:note-detail", kwargs={"entry_id": draft.id})
    heading = "What the recording assistant found when this note was finalised"
    for reader in (worker, manager):
        page = client_for(reader).get(url).content.decode()
        assert heading in page and "Not resolved" in page and "Opinion" in page
    assert heading not in client_for(parent).get(url).content.decode()
    for outsider in (colleague, other_team_manager):
        assert client_for(outsider).get(url).status_code == 404


def test_a_familys_own_notes_get_advice_only(parent: User, freddie_family_case: Case) -> None:
    """A parent's notes are the family's private narrative: a pasted email is pointed out but
    does not stop finalising (the family has no admin to change the settings)."""
    content = NoteContent(
        occurred_at=timezone.now() - timedelta(hours=2),
        title="Email from school",
        body=PASTED_EMAIL,
        contact_type=ContactType.objects.filter(organisation_id=freddie_family_case.organisation_id)
        .order_by("position")
        .first(),
    )
    draft = start_draft(actor=parent, case=freddie_family_case, content=content)
    finalise_note(actor=parent, draft=draft)
    kept = NoteFinding.objects.filter(entry=draft, code="pasted_email")
    assert kept.exists() and not kept.filter(resolved=True).exists()


# --- Issue 7's commands: provision statements and whole plans ------------------------------

PLANS = Path(__file__).resolve().parents[4] / "tests" / "ehcp"


def test_the_command_flags_one_provision_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    statement = "Access to speech and language therapy as appropriate."
    monkeypatch.setattr("sys.stdin", io.StringIO(statement))
    out = io.StringIO()
    call_command("analyse", "provision", "--json", stdout=out)
    flags = json.loads(out.getvalue())["flags"]
    assert {flag["code"] for flag in flags} >= {"vague_language", "unquantified"}
    for flag in flags:
        assert set(flag) == {"code", "start", "end", "message", "missing"}
        assert set(flag["missing"]) <= {"what", "frequency", "duration", "provider"}
        assert 0 <= flag["start"] <= flag["end"] <= len(statement)
    unquantified = next(flag for flag in flags if flag["code"] == "unquantified")
    assert "frequency" in unquantified["missing"]


def test_a_specific_provision_statement_has_no_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "Direct speech and language therapy from a qualified speech and language therapist, "
            "one 45-minute session each week, for the next 12 months."
        ),
    )
    out = io.StringIO()
    call_command("analyse", "provision", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"flags": []}


def test_the_command_reads_a_plan_file_into_sections_and_flags() -> None:
    out = io.StringIO()
    call_command(
        "analyse", "ehcp", "--json", str(PLANS / "draft-plan.txt"), "--status", "draft", stdout=out
    )
    result = json.loads(out.getvalue())
    assert list(result["sections"]) == list("ABCDEFGHIJK")
    assert result["sections"]["F"]
    assert result["flags"]
    for flag in result["flags"]:
        assert set(flag) == {"code", "section", "text", "message"}
        assert flag["section"] in result["sections"]
    codes = {flag["code"] for flag in result["flags"]}
    assert {"vague_language", "unquantified", "need_without_provision"} <= codes
    good = io.StringIO()
    call_command("analyse", "ehcp", "--json", str(PLANS / "final-plan.txt"), stdout=good)
    assert json.loads(good.getvalue())["flags"] == []


def test_the_command_says_when_the_plan_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no file"):
        call_command("analyse", "ehcp", "--json", str(tmp_path / "nothing.pdf"))
    with pytest.raises(CommandError, match="Name the plan"):
        call_command("analyse", "ehcp", "--json")


def test_the_command_measures_the_provision_set() -> None:
    out = io.StringIO()
    call_command("analyse", "provision", "--evaluate", stdout=out)
    assert "vague statements flagged (recall)" in out.getvalue()


# --- What a careless or crafty request cannot do ---------------------------------------------


def test_private_use_characters_in_a_note_neither_break_nor_shift_its_pages(
    client_for, worker: User, kayden_case: Case
) -> None:
    body = "Visited home \ue000 Kayden well.\ue001 " + OPINION
    draft = draft_of(worker, kayden_case, body)
    client = client_for(worker)
    check = client.get(reverse("ledger:note-finalise", kwargs={"entry_id": draft.id}))
    assert check.status_code == 200
    marked = check.content.decode()
    assert "neglectful</mark>" in marked
    finalise_note(actor=worker, draft=draft)
    for url in (
        reverse("ledger:note-detail", kwargs={"entry_id": draft.id}),
        reverse("cases:case-detail", kwargs={"case_id": kayden_case.id}),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "\ufffd" in page.content.decode()


def test_advice_cannot_be_confirmed_away_by_a_crafted_request(
    client_for, worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, OPINION)
    url = reverse("ledger:note-finalise", kwargs={"entry_id": draft.id})
    assert client_for(worker).post(url, {"confirm_opinion_as_fact": "yes"}).status_code == 302
    assert not NoteFinding.objects.get(entry=draft, code="opinion_as_fact").resolved


def test_storing_the_email_twice_stores_it_once(worker: User, kayden_case: Case) -> None:
    draft = draft_of(worker, kayden_case, PASTED_EMAIL)
    stale = Entry.objects.get(pk=draft.pk)
    store_pasted_email(actor=worker, draft=draft)
    before = Document.objects.count()
    with pytest.raises(DomainError, match="no pasted email"):
        store_pasted_email(actor=worker, draft=stale)
    assert Document.objects.count() == before


def test_the_database_keeps_findings_to_the_moment_their_note_is_finalised(
    worker: User, kayden_case: Case
) -> None:
    draft = draft_of(worker, kayden_case, CLEAN)

    def add(entry: Entry, when: datetime) -> None:
        NoteFinding.objects.create(
            entry=entry,
            organisation_id=kayden_case.organisation_id,
            case=kayden_case,
            author=worker,
            finalised_at=when,
            code="jargon",
            start=0,
            end=1,
            message="Added by hand",
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        add(draft, timezone.now())  # on a draft
    finalise_note(actor=worker, draft=draft)
    final = Entry.objects.get(pk=draft.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        add(final, timezone.now() + timedelta(days=1))  # afterwards


def test_the_editor_selects_findings_by_the_browsers_count_of_characters() -> None:
    from caseledger.ledger.views import _utf16

    text = "🙂 Mother was neglectful."
    start = text.index("neglectful")
    assert _utf16(text, start) == start + 1  # the emoji is two UTF-16 code units
    assert _utf16("plain", 3) == 3
