"""The recording rules (PRODUCT.md), one behaviour per test, through the ledger services.

Amira (worker) holds Kayden's and Lily-Mae's cases and Freddie's council case; Lewis holds
their brother Noah's; Dan manages them all; Priya is Northmoor's organisation admin.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.utils import timezone

from caseledger.accounts.models import Organisation
from caseledger.audit.models import Action, AuditEvent
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.chain import (
    AUDIT_COLUMN_NAMES,
    ENTRY_COLUMN_NAMES,
    GENESIS,
    Plain,
    audit_values,
    entry_values,
    first_break,
)
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger import services
from caseledger.ledger.access import access_entry, visible_entries
from caseledger.ledger.models import (
    ContactType,
    CorrectionReason,
    Entry,
    EntryKind,
    EntryStatus,
    EntryTag,
    SignificantCategory,
    Tag,
    VisitAnnouncement,
    WrongChildReport,
)
from caseledger.ledger.services import (
    ChildVisit,
    NoteContent,
    add_correction,
    amend_note,
    discard_draft,
    finalise_note,
    latest_version,
    move_to_right_child,
    record_read,
    report_wrong_child,
    save_draft,
    start_draft,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture
def lily_case(db) -> Case:
    """Kayden's sister: her case is also Amira's."""
    return Case.objects.select_related("child").get(
        child__first_names="Lily-Mae",
        child__last_name="Walker",
        organisation__reference_prefix="NMB",
        status="open",
    )


def contact_type(case: Case, name: str) -> ContactType:
    return ContactType.objects.get(organisation_id=case.organisation_id, name=name)


def phone_call(case: Case, **changes) -> NoteContent:
    values = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "title": "Phone call with Stacey Walker",
        "body": "Stacey said Kayden has been sleeping better since the new routine.",
        "contact_type": contact_type(case, "Phone call"),
    }
    return NoteContent(**{**values, **changes})


def visit(
    case: Case, children: list[ChildVisit], type_name: str = "Home visit", **changes
) -> NoteContent:
    values = {
        "occurred_at": timezone.now() - timedelta(hours=3),
        "title": "Home visit",
        "body": "Visited the family home. The house was warm and tidy.",
        "contact_type": contact_type(case, type_name),
        "visit_statutory": True,
        "visit_announcement": VisitAnnouncement.ANNOUNCED,
        "children": tuple(children),
    }
    return NoteContent(**{**values, **changes})


def seen_alone(case: Case) -> ChildVisit:
    return ChildVisit(case.id, seen=True, alone=True)


def final_note(actor, case, content: NoteContent | None = None) -> Entry:
    draft = start_draft(actor=actor, case=case, content=content or phone_call(case))
    return finalise_note(actor=actor, draft=draft)[0]


def raw_row(entry: Entry) -> tuple[Any, ...]:
    """The entry's row exactly as the database holds it, every column."""
    pk = Entry._meta.pk.get_db_prep_value(entry.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_entry WHERE id = %s", [pk])
        row: tuple[Any, ...] | None = cursor.fetchone()
    assert row is not None, "the entry should be in the database"
    return row


def events(action: Action, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("sequence"))


# One link of a chain as `first_break` takes it: (sequence, previous_hash, hash, values).
type Link = tuple[int, str, str, list[Plain]]


def chain_of(case: Case) -> list[Link]:
    """A case's final entries as (sequence, previous_hash, entry_hash, values), from raw rows."""
    columns = ", ".join(ENTRY_COLUMN_NAMES)
    pk = Case._meta.pk.get_db_prep_value(case.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, previous_hash, entry_hash, {columns} FROM ledger_entry "
            "WHERE case_id = %s AND status = 'final' ORDER BY sequence",
            [pk],
        )
        return [(row[0], row[1], row[2], entry_values(row[3:])) for row in cursor.fetchall()]


def audit_chain() -> list[Link]:
    columns = ", ".join(AUDIT_COLUMN_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, previous_hash, event_hash, {columns} "
            "FROM audit_auditevent ORDER BY sequence"
        )
        return [(row[0], row[1], row[2], audit_values(row[3:])) for row in cursor.fetchall()]


# --- Rule 3: a draft is its author's alone ----------------------------------------------------


@pytest.mark.parametrize("other", ["colleague", "manager", "org_admin"])
def test_nobody_but_the_author_can_save_finalise_or_discard_a_draft(
    request, worker, kayden_case, other
):
    """Not a colleague, not the case's manager, not an admin: each can work on other cases
    (the manager and admin on this one too), but a draft is its author's alone."""
    someone = request.getfixturevalue(other)
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    before = raw_row(draft)
    with pytest.raises(NotPermittedError):
        save_draft(actor=someone, draft=draft, content=phone_call(kayden_case, title="Changed"))
    with pytest.raises(NotPermittedError):
        finalise_note(actor=someone, draft=draft)
    with pytest.raises(NotPermittedError):
        discard_draft(actor=someone, draft=draft)
    assert raw_row(draft) == before
    assert not AuditEvent.objects.filter(object_id=str(draft.id), actor=someone).exists()


def test_the_author_saves_their_draft_and_the_audit_names_fields_not_text(worker, kayden_case):
    when = timezone.now() - timedelta(hours=2)
    draft = start_draft(
        actor=worker, case=kayden_case, content=phone_call(kayden_case, occurred_at=when)
    )
    secret = "Stacey disclosed a new partner, Ryan, has moved in."
    content = phone_call(kayden_case, occurred_at=when, body=secret)
    changed = save_draft(actor=worker, draft=draft, content=content, autosave=True)
    assert changed is True
    draft.refresh_from_db()
    assert draft.body == secret
    (event,) = events(Action.DRAFT_SAVED, object_id=str(draft.id))
    assert event.detail == {"fields": ["body"], "autosave": True}
    # Saving the same content again changes nothing and writes nothing.
    assert save_draft(actor=worker, draft=draft, content=content) is False
    assert len(events(Action.DRAFT_SAVED, object_id=str(draft.id))) == 1


def test_a_finalised_note_can_no_longer_be_saved_or_discarded_as_a_draft(worker, kayden_case):
    entry = final_note(worker, kayden_case)
    with pytest.raises(NotPermittedError):
        save_draft(actor=worker, draft=entry, content=phone_call(kayden_case, title="Changed"))
    with pytest.raises(NotPermittedError):
        discard_draft(actor=worker, draft=entry)


def test_only_someone_working_on_the_case_can_start_a_draft(colleague, outsider, kayden_case):
    for someone in (colleague, outsider):
        with pytest.raises(NotPermittedError):
            start_draft(actor=someone, case=kayden_case, content=phone_call(kayden_case))
    assert not Entry.objects.filter(case=kayden_case).exists()


def test_discarding_a_draft_purges_it_and_audits_that_it_existed_not_what_it_said(
    worker, kayden_case
):
    tag = Tag.objects.get(organisation_id=kayden_case.organisation_id, name="Health")
    body = "Kayden told me about the argument at home on Saturday night."
    draft = start_draft(
        actor=worker, case=kayden_case, content=phone_call(kayden_case, body=body, tags=[tag])
    )
    assert EntryTag.objects.filter(entry_id=draft.id).count() == 1
    discard_draft(actor=worker, draft=draft)

    assert not Entry.objects.filter(pk=draft.pk).exists()
    assert not EntryTag.objects.filter(entry_id=draft.id).exists()
    (event,) = events(Action.DRAFT_DISCARDED, object_id=str(draft.id))
    assert (event.actor, event.case_id) == (worker, kayden_case.id)
    assert event.detail == {"recorded_at": draft.recorded_at.isoformat()}
    # The text appears in no audit event at all.
    for logged in AuditEvent.objects.filter(object_id=str(draft.id)):
        dumped = json.dumps(logged.detail)
        assert "argument" not in dumped and "Phone call with" not in dumped


# --- Rules 2, 7 and 8: what a final note must say ---------------------------------------------


def _refusals(case, lily):
    """(content, field the refusal names) for every rule finalising checks."""
    kayden_seen = ChildVisit(case.id, seen=True, alone=True)
    return {
        "no event date": (phone_call(case, occurred_at=None), "occurred_on"),
        "event in the future": (
            phone_call(case, occurred_at=timezone.now() + timedelta(minutes=5)),
            "occurred_on",
        ),
        "no type of contact": (phone_call(case, contact_type=None), "contact_type"),
        "no title": (phone_call(case, title="   "), "title"),
        "no body": (phone_call(case, body=""), "body"),
        "visit not saying if statutory": (
            visit(case, [kayden_seen], visit_statutory=None),
            "visit_statutory",
        ),
        "visit not saying if announced": (
            visit(case, [kayden_seen], visit_announcement=""),
            "visit_announcement",
        ),
        "child visit without the child": (visit(case, []), "children"),
        "child visit not saying if seen": (
            visit(case, [ChildVisit(case.id, seen=None)]),
            f"child-{case.id}-seen",
        ),
        "child seen, not saying if alone": (
            visit(case, [ChildVisit(case.id, seen=True, alone=None)]),
            f"child-{case.id}-alone",
        ),
        "child not seen, no reason": (
            visit(case, [ChildVisit(case.id, seen=False, reason="  ")]),
            f"child-{case.id}-reason",
        ),
        "sibling not saying if seen": (
            visit(case, [kayden_seen, ChildVisit(lily.id, seen=None)]),
            f"child-{lily.id}-seen",
        ),
        "significant with an unknown category": (
            phone_call(case, significant=True, significant_category="gossip"),
            "significant_category",
        ),
    }


REFUSALS = [
    "no event date",
    "event in the future",
    "no type of contact",
    "no title",
    "no body",
    "visit not saying if statutory",
    "visit not saying if announced",
    "child visit without the child",
    "child visit not saying if seen",
    "child seen, not saying if alone",
    "child not seen, no reason",
    "sibling not saying if seen",
    "significant with an unknown category",
]


@pytest.mark.parametrize("broken", REFUSALS)
def test_finalising_refuses_a_note_that_breaks_a_recording_rule(
    worker, kayden_case, lily_case, broken
):
    content, field = _refusals(kayden_case, lily_case)[broken]
    draft = start_draft(actor=worker, case=kayden_case, content=content)
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == field
    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT and draft.sequence is None
    assert not events(Action.NOTE_FINALISED, case_id=kayden_case.id)


def test_another_organisations_contact_type_is_refused(worker, kayden_case, harvey_case):
    eastvale_call = contact_type(harvey_case, "Phone call")
    draft = start_draft(
        actor=worker, case=kayden_case, content=phone_call(kayden_case, contact_type=eastvale_call)
    )
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "contact_type"


# A draft may be incomplete (ledger migration 0004): finalising is what needs the category.
def test_a_significant_draft_without_a_category_is_kept_and_refused_only_at_finalising(
    worker, kayden_case
):
    draft = start_draft(
        actor=worker,
        case=kayden_case,
        content=phone_call(kayden_case, significant=True, significant_category=""),
    )
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "significant_category"


def test_a_significant_note_keeps_its_category(worker, kayden_case):
    entry = final_note(
        worker,
        kayden_case,
        phone_call(
            kayden_case,
            significant=True,
            significant_category=SignificantCategory.POLICE_INVOLVEMENT,
        ),
    )
    assert entry.significant is True
    assert entry.significant_category == SignificantCategory.POLICE_INVOLVEMENT


def test_a_category_without_significance_is_dropped(worker, kayden_case):
    entry = final_note(
        worker,
        kayden_case,
        phone_call(kayden_case, significant=False, significant_category="police_involvement"),
    )
    assert (entry.significant, entry.significant_category) == (False, "")


# --- Rule 2: the server stamps the times; timeliness in working days --------------------------


def test_recorded_and_finalised_times_are_stamped_by_the_server(worker, kayden_case):
    event_time = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
    drafted = datetime(2026, 12, 1, 16, 45, 12, tzinfo=LONDON)
    edited = datetime(2026, 12, 2, 11, 0, tzinfo=LONDON)
    finalised = datetime(2026, 12, 3, 10, 30, tzinfo=LONDON)
    with time_machine.travel(drafted, tick=False):
        draft = start_draft(
            actor=worker, case=kayden_case, content=phone_call(kayden_case, occurred_at=event_time)
        )
    with time_machine.travel(edited, tick=False):
        save_draft(
            actor=worker,
            draft=draft,
            content=phone_call(kayden_case, occurred_at=event_time, title="Call with mother"),
        )
    with time_machine.travel(finalised, tick=False):
        (entry,) = finalise_note(actor=worker, draft=draft)
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.occurred_at == event_time
    assert entry.recorded_at == drafted  # editing the draft does not move it
    assert entry.finalised_at == finalised
    (finalised_event,) = events(Action.NOTE_FINALISED, object_id=str(entry.id))
    assert finalised_event.occurred_at == finalised


def test_no_caller_can_pass_a_recorded_time(worker, kayden_case):
    with pytest.raises(TypeError):
        start_draft(  # type: ignore[call-arg]
            actor=worker,
            case=kayden_case,
            content=phone_call(kayden_case),
            recorded_at=timezone.now() - timedelta(days=3),
        )
    assert "recorded_at" not in NoteContent.__dataclass_fields__
    assert "finalised_at" not in NoteContent.__dataclass_fields__


def _finalise_at(worker, case, occurred: datetime, finalised: datetime) -> Entry:
    with time_machine.travel(occurred + timedelta(minutes=30), tick=False):
        draft = start_draft(actor=worker, case=case, content=phone_call(case, occurred_at=occurred))
    with time_machine.travel(finalised, tick=False):
        (entry,) = finalise_note(actor=worker, draft=draft)
    return entry


def test_timeliness_counts_england_and_wales_bank_holidays(worker, kayden_case):
    """Thu 24 Dec 2026 to Mon 4 Jan 2027: Christmas, the Boxing Day substitute and New Year's
    Day don't count, so 4 working days, in time. Counting weekdays would say 7, late."""
    entry = _finalise_at(
        worker,
        kayden_case,
        datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        datetime(2027, 1, 4, 10, 0, tzinfo=LONDON),
    )
    assert entry.working_days_to_finalise == 4
    assert entry.finalised_late is False
    (event,) = events(Action.NOTE_FINALISED, object_id=str(entry.id))
    assert event.detail["late"] is False


def test_a_note_finalised_after_the_limit_is_late(worker, kayden_case):
    entry = _finalise_at(
        worker,
        kayden_case,
        datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        datetime(2027, 1, 6, 10, 0, tzinfo=LONDON),
    )
    assert entry.working_days_to_finalise == 6
    assert entry.finalised_late is True
    (event,) = events(Action.NOTE_FINALISED, object_id=str(entry.id))
    assert event.detail["late"] is True


def test_exactly_the_limit_is_in_time(worker, kayden_case):
    entry = _finalise_at(
        worker,
        kayden_case,
        datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        datetime(2027, 1, 5, 17, 0, tzinfo=LONDON),
    )
    assert (entry.working_days_to_finalise, entry.finalised_late) == (5, False)


def test_the_limit_is_the_organisations_own(worker, kayden_case):
    organisation = Organisation.objects.get(pk=kayden_case.organisation_id)
    assert organisation.recording_limit_working_days == 5  # the default
    Organisation.objects.filter(pk=organisation.pk).update(recording_limit_working_days=3)
    entry = _finalise_at(
        worker,
        kayden_case,
        datetime(2026, 12, 24, 15, 0, tzinfo=LONDON),
        datetime(2027, 1, 4, 10, 0, tzinfo=LONDON),
    )
    assert (entry.working_days_to_finalise, entry.finalised_late) == (4, True)


def test_working_days_are_counted_on_local_dates(worker, kayden_case):
    """Sat 5 Jun 2027 00:30 BST (Fri 23:30 UTC) to Mon 7 Jun 00:30 BST (Sun 23:30 UTC): in
    England that is Saturday to Monday, one working day; UTC dates would say none."""
    entry = _finalise_at(
        worker,
        kayden_case,
        datetime(2027, 6, 4, 23, 30, tzinfo=UTC),
        datetime(2027, 6, 6, 23, 30, tzinfo=UTC),
    )
    assert entry.working_days_to_finalise == 1


# --- Rule 9: one family visit, every child's case -------------------------------------------


def test_a_family_visit_lands_on_each_siblings_case_with_their_own_answers(
    worker, kayden_case, lily_case
):
    children = [
        ChildVisit(kayden_case.id, seen=True, alone=True),
        ChildVisit(lily_case.id, seen=False, alone=True, reason="At nursery all day"),
    ]
    lily_chain = chain_of(lily_case)
    draft = start_draft(actor=worker, case=kayden_case, content=visit(kayden_case, children))
    entries = finalise_note(actor=worker, draft=draft)

    assert [entry.case_id for entry in entries] == [kayden_case.id, lily_case.id]
    kayden, lily = (Entry.objects.get(pk=entry.pk) for entry in entries)
    assert kayden.group_id is not None and kayden.group_id == lily.group_id
    assert all(entry.status == EntryStatus.FINAL for entry in (kayden, lily))
    assert (kayden.child_seen, kayden.seen_alone, kayden.not_seen_reason) == (True, True, "")
    assert (lily.child_seen, lily.seen_alone, lily.not_seen_reason) == (
        False,
        None,
        "At nursery all day",
    )
    assert (kayden.body, kayden.title, kayden.occurred_at) == (
        lily.body,
        lily.title,
        lily.occurred_at,
    )
    assert (kayden.visit_statutory, kayden.visit_announcement) == (True, "announced")
    assert (lily.visit_statutory, lily.visit_announcement) == (True, "announced")
    assert kayden.visit_children == [] and lily.visit_children == []
    # Each is a link in its own case's chain.
    assert lily.sequence == len(lily_chain) + 1
    assert lily.previous_hash == (lily_chain[-1][2] if lily_chain else GENESIS)
    assert first_break(chain_of(kayden_case)) is None
    assert first_break(chain_of(lily_case)) is None
    finalised = events(Action.NOTE_FINALISED, detail__group=str(kayden.group_id))
    assert {event.case_id for event in finalised} == {kayden_case.id, lily_case.id}


def test_a_visit_to_one_child_is_not_a_group(worker, kayden_case):
    entry = final_note(worker, kayden_case, visit(kayden_case, [seen_alone(kayden_case)]))
    assert entry.group_id is None
    assert (entry.child_seen, entry.seen_alone) == (True, True)


def test_a_family_visit_is_refused_on_a_sibling_case_the_author_does_not_work_on(
    worker, kayden_case, lily_case, noah_case
):
    children = [seen_alone(kayden_case), seen_alone(lily_case), seen_alone(noah_case)]
    draft = start_draft(actor=worker, case=kayden_case, content=visit(kayden_case, children))
    on_siblings = Entry.objects.filter(case__in=[noah_case, lily_case])
    before = set(on_siblings.values_list("pk", flat=True))
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "children"
    assert set(on_siblings.values_list("pk", flat=True)) == before
    assert Entry.objects.get(pk=draft.pk).status == EntryStatus.DRAFT


def test_a_family_visit_is_refused_on_a_child_who_is_not_a_sibling(
    worker, kayden_case, freddie_la_case
):
    """Freddie's case is Amira's too, but he is not Kayden's brother."""
    children = [seen_alone(kayden_case), seen_alone(freddie_la_case)]
    draft = start_draft(actor=worker, case=kayden_case, content=visit(kayden_case, children))
    with pytest.raises(DomainError):
        finalise_note(actor=worker, draft=draft)
    assert not Entry.objects.filter(case=freddie_la_case).exists()


# --- Rule 4: corrections are new notes --------------------------------------------------------


def test_a_correction_is_a_new_final_entry_naming_the_original_which_is_unchanged(
    worker, kayden_case
):
    original = final_note(worker, kayden_case)
    before = raw_row(original)
    correction = add_correction(
        actor=worker,
        original=original,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="I put the wrong day: the call was on Tuesday.",
        body="The call with Stacey was on Tuesday afternoon.",
    )
    assert raw_row(original) == before
    correction = Entry.objects.get(pk=correction.pk)
    assert correction.pk != original.pk
    assert correction.kind == EntryKind.CORRECTION
    assert correction.status == EntryStatus.FINAL
    assert correction.corrects_id == original.pk
    assert correction.correction_reason == CorrectionReason.WRONG_DATE_OR_TIME
    assert correction.correction_explanation == "I put the wrong day: the call was on Tuesday."
    assert correction.case_id == original.case_id
    assert original.sequence is not None
    assert (correction.sequence, correction.previous_hash) == (
        original.sequence + 1,
        original.entry_hash,
    )
    (event,) = events(Action.CORRECTION_ADDED, object_id=str(correction.id))
    assert event.detail == {"corrects": str(original.id), "reason": "wrong_date_or_time"}


def test_a_correction_must_explain_itself(worker, kayden_case):
    original = final_note(worker, kayden_case)
    for reason, explanation, body, field in [
        ("because", "Wrong day", "Tuesday", "reason"),
        (CorrectionReason.OMISSION, " ", "Tuesday", "explanation"),
        (CorrectionReason.OMISSION, "Missed it", "", "body"),
    ]:
        with pytest.raises(DomainError) as refused:
            add_correction(
                actor=worker, original=original, reason=reason, explanation=explanation, body=body
            )
        assert refused.value.field == field
    assert not Entry.objects.filter(corrects=original).exists()


def test_only_final_notes_on_ones_own_cases_can_be_corrected(worker, colleague, kayden_case):
    original = final_note(worker, kayden_case)
    with pytest.raises(NotPermittedError):
        add_correction(
            actor=colleague,
            original=original,
            reason=CorrectionReason.FACTUAL_ERROR,
            explanation="Wrong",
            body="Right",
        )
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    with pytest.raises(NotPermittedError):
        add_correction(
            actor=worker,
            original=draft,
            reason=CorrectionReason.FACTUAL_ERROR,
            explanation="Wrong",
            body="Right",
        )


# --- Rule 5: an admin may reopen a reopenable visit note; every version is kept ---------------


def _cin_visit(worker, case) -> Entry:
    return final_note(worker, case, visit(case, [seen_alone(case)], type_name="CIN visit"))


def _amended(case, original: Entry) -> NoteContent:
    return visit(
        case,
        [ChildVisit(case.id, seen=True, alone=False)],
        type_name="CIN visit",
        occurred_at=original.occurred_at,
        body=original.body + " Kayden's grandmother was also present.",
    )


def test_an_admin_amends_a_reopenable_visit_as_a_new_version(worker, org_admin, kayden_case):
    original = _cin_visit(worker, kayden_case)
    before = raw_row(original)
    version = amend_note(
        actor=org_admin,
        original=original,
        content=_amended(kayden_case, original),
        reason="Grandmother's presence was left out",
    )
    assert raw_row(original) == before
    version = Entry.objects.get(pk=version.pk)
    assert version.pk != original.pk
    assert (version.version, version.previous_version_id) == (2, original.pk)
    assert version.lineage_id == original.lineage_id
    assert version.status == EntryStatus.FINAL
    assert version.body.endswith("grandmother was also present.")
    assert (version.child_seen, version.seen_alone) == (True, False)
    assert version.amendment_reason == "Grandmother's presence was left out"
    assert latest_version(original).pk == version.pk
    (event,) = events(Action.NOTE_REOPENED, object_id=str(version.id))
    assert event.detail == {"amends": str(original.id), "version": 2}
    # Only the latest version can be amended again.
    with pytest.raises(DomainError):
        amend_note(
            actor=org_admin,
            original=original,
            content=_amended(kayden_case, original),
            reason="Again",
        )


@pytest.mark.parametrize("who", ["worker", "manager"])
def test_only_an_admin_can_reopen_a_note(request, worker, kayden_case, who):
    original = _cin_visit(worker, kayden_case)
    with pytest.raises(NotPermittedError):
        amend_note(
            actor=request.getfixturevalue(who),
            original=original,
            content=_amended(kayden_case, original),
            reason="Left something out",
        )
    assert not Entry.objects.filter(lineage_id=original.lineage_id, version=2).exists()


def test_a_note_of_a_type_that_is_not_reopenable_cannot_be_reopened(worker, org_admin, kayden_case):
    original = final_note(worker, kayden_case, visit(kayden_case, [seen_alone(kayden_case)]))
    assert original.contact_type is not None
    assert not original.contact_type.reopenable
    with pytest.raises(NotPermittedError):
        amend_note(
            actor=org_admin,
            original=original,
            content=visit(kayden_case, [seen_alone(kayden_case)], occurred_at=original.occurred_at),
            reason="Left something out",
        )
    assert not Entry.objects.filter(lineage_id=original.lineage_id, version=2).exists()


# --- Rule 6: a note on the wrong child is reported, then moved, and nothing is deleted --------


def test_a_note_on_the_wrong_child_is_reported_by_a_manager_and_moved_by_an_admin(
    worker, manager, org_admin, kayden_case, freddie_la_case
):
    original = final_note(
        worker,
        kayden_case,
        phone_call(kayden_case, title="Call with Jo Morgan", body="Jo said Freddie is settled."),
    )
    before = raw_row(original)
    report = report_wrong_child(
        actor=manager, entry=original, explanation="This call was about Freddie Morgan."
    )
    assert report.status == WrongChildReport.Status.OPEN
    assert events(Action.WRONG_CHILD_REPORTED, object_id=str(original.id))

    moved = move_to_right_child(
        actor=org_admin, report=report, target_reference=freddie_la_case.reference.lower()
    )

    assert raw_row(original) == before
    moved = Entry.objects.get(pk=moved.pk)
    assert moved.case_id == freddie_la_case.id
    assert moved.reindexed_from_id == original.pk
    assert moved.status == EntryStatus.FINAL
    assert (moved.title, moved.body, moved.occurred_at, moved.author_id) == (
        original.title,
        original.body,
        original.occurred_at,
        original.author_id,
    )
    tombstone = Entry.objects.get(case=kayden_case, kind=EntryKind.MOVED_OUT)
    assert tombstone.moved_entry_id == original.pk
    assert tombstone.status == EntryStatus.FINAL
    assert original.sequence is not None
    assert tombstone.sequence == original.sequence + 1
    assert Entry.objects.filter(pk=original.pk).exists()
    report.refresh_from_db()
    assert (report.status, report.moved_by, report.moved_to_id) == (
        WrongChildReport.Status.MOVED,
        org_admin,
        moved.pk,
    )
    (out,) = events(Action.NOTE_MOVED_OUT, object_id=str(original.id))
    assert out.case_id == kayden_case.id and out.actor == org_admin
    assert out.detail == {"moved_to": str(moved.id), "tombstone": str(tombstone.id)}
    (into,) = events(Action.NOTE_MOVED_IN, object_id=str(moved.id))
    assert into.case_id == freddie_la_case.id
    assert into.detail == {"moved_from": str(original.id)}
    assert first_break(chain_of(kayden_case)) is None
    assert first_break(chain_of(freddie_la_case)) is None
    # Moved once is moved for good.
    with pytest.raises(DomainError):
        report_wrong_child(actor=manager, entry=original, explanation="Again")


def test_a_worker_cannot_report_a_note_on_the_wrong_child(worker, kayden_case):
    original = final_note(worker, kayden_case)
    with pytest.raises(NotPermittedError):
        report_wrong_child(actor=worker, entry=original, explanation="Wrong child")
    assert not WrongChildReport.objects.filter(entry=original).exists()


def test_a_manager_cannot_move_a_note(worker, manager, kayden_case, freddie_la_case):
    original = final_note(worker, kayden_case)
    report = report_wrong_child(actor=manager, entry=original, explanation="About Freddie")
    with pytest.raises(NotPermittedError):
        move_to_right_child(
            actor=manager, report=report, target_reference=freddie_la_case.reference
        )
    assert not Entry.objects.filter(reindexed_from=original).exists()
    assert not Entry.objects.filter(moved_entry=original).exists()


def test_a_note_cannot_be_moved_to_another_case_of_the_same_child_or_another_council(
    worker, manager, org_admin, kayden_case, harvey_case
):
    original = final_note(worker, kayden_case)
    report = report_wrong_child(actor=manager, entry=original, explanation="Wrong case")
    for reference in (kayden_case.reference, harvey_case.reference, "NMB-999999"):
        with pytest.raises(DomainError) as refused:
            move_to_right_child(actor=org_admin, report=report, target_reference=reference)
        assert refused.value.field == "target_reference"
    assert not Entry.objects.filter(reindexed_from=original).exists()


# --- Access: who sees what ------------------------------------------------------------------


def test_moved_notes_and_tombstones_are_hidden_from_everyone_but_admins(
    worker, manager, org_admin, kayden_case, freddie_la_case
):
    seen_before = {
        (user.pk, case.pk): set(visible_entries(user, case))
        for user in (worker, manager, org_admin)
        for case in (kayden_case, freddie_la_case)
    }
    kept = final_note(worker, kayden_case, phone_call(kayden_case, title="Kept"))
    original = final_note(worker, kayden_case, phone_call(kayden_case, title="Misfiled"))
    report = report_wrong_child(actor=manager, entry=original, explanation="About Freddie")
    moved = move_to_right_child(
        actor=org_admin, report=report, target_reference=freddie_la_case.reference
    )
    tombstone = Entry.objects.get(moved_entry=original)

    def new_to(user, case):
        return set(visible_entries(user, case)) - seen_before[user.pk, case.pk]

    for user in (worker, manager):
        assert new_to(user, kayden_case) == {kept}
        for hidden in (original, tombstone):
            with pytest.raises(Http404):
                access_entry(user, hidden.id)
    assert new_to(org_admin, kayden_case) == {kept, original, tombstone}
    assert access_entry(org_admin, original.id) == original
    assert new_to(worker, freddie_la_case) == {moved}
    assert access_entry(worker, moved.id) == moved


@pytest.mark.parametrize("other", ["colleague", "manager", "org_admin", "outsider"])
def test_a_draft_is_a_404_to_everyone_but_its_author(request, worker, kayden_case, other):
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    assert access_entry(worker, draft.id) == draft
    with pytest.raises(Http404):
        access_entry(request.getfixturevalue(other), draft.id)
    assert draft not in visible_entries(request.getfixturevalue(other), kayden_case)


def test_a_final_note_is_a_404_to_someone_who_cannot_see_the_case(
    worker, colleague, outsider, kayden_case
):
    entry = final_note(worker, kayden_case)
    for someone in (colleague, outsider):
        with pytest.raises(Http404):
            access_entry(someone, entry.id)


def test_a_read_is_audited_without_its_content(worker, kayden_case):
    entry = final_note(
        worker, kayden_case, phone_call(kayden_case, body="Stacey mentioned rent arrears.")
    )
    record_read(actor=worker, action=Action.NOTE_VIEWED, case=kayden_case, obj=entry)
    (event,) = events(Action.NOTE_VIEWED, object_id=str(entry.id))
    assert (event.actor, event.case_id, event.object_type) == (
        worker,
        kayden_case.id,
        "ledger.entry",
    )
    assert event.detail == {}
    row = [str(value) for value in audit_values([getattr(event, c) for c in AUDIT_COLUMN_NAMES])]
    assert not any("arrears" in value or "Phone call with" in value for value in row)


# --- Every service writes its audit event in its own transaction ------------------------------


def _scenarios(worker, manager, org_admin, kayden_case, freddie_la_case):
    """Each service, set up and ready to call: (name, call, action it audits)."""
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    final = final_note(worker, kayden_case)
    cin = _cin_visit(worker, kayden_case)
    misfiled = final_note(worker, kayden_case)
    report = report_wrong_child(actor=manager, entry=misfiled, explanation="About Freddie")
    reportable = final_note(worker, kayden_case)
    return {
        "start_draft": lambda: start_draft(
            actor=worker, case=kayden_case, content=phone_call(kayden_case)
        ),
        "save_draft": lambda: save_draft(
            actor=worker, draft=draft, content=phone_call(kayden_case, title="Changed")
        ),
        "discard_draft": lambda: discard_draft(actor=worker, draft=draft),
        "finalise_note": lambda: finalise_note(actor=worker, draft=draft),
        "add_correction": lambda: add_correction(
            actor=worker,
            original=final,
            reason=CorrectionReason.OMISSION,
            explanation="Missed out",
            body="Also present: Ryan",
        ),
        "amend_note": lambda: amend_note(
            actor=org_admin, original=cin, content=_amended(kayden_case, cin), reason="Omission"
        ),
        "report_wrong_child": lambda: report_wrong_child(
            actor=manager, entry=reportable, explanation="About Freddie"
        ),
        "move_to_right_child": lambda: move_to_right_child(
            actor=org_admin, report=report, target_reference=freddie_la_case.reference
        ),
        "record_read": lambda: record_read(
            actor=worker, action=Action.NOTE_VIEWED, case=kayden_case, obj=final
        ),
    }


SERVICES = [
    "start_draft",
    "save_draft",
    "discard_draft",
    "finalise_note",
    "add_correction",
    "amend_note",
    "report_wrong_child",
    "move_to_right_child",
    "record_read",
]


def _everything():
    with connection.cursor() as cursor:
        tables = {}
        for table in ("ledger_entry", "ledger_entrytag", "ledger_wrongchildreport"):
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            tables[table] = cursor.fetchall()
    tables["audit"] = list(AuditEvent.objects.values_list("sequence", "event_hash"))
    return tables


class AuditFailedError(Exception):
    pass


@pytest.mark.parametrize("service", SERVICES)
def test_if_a_service_fails_after_auditing_neither_the_change_nor_the_event_is_kept(
    monkeypatch, worker, manager, org_admin, kayden_case, freddie_la_case, service
):
    """The audit event is written, then the service fails: both roll back together, so
    there is never a change without its event, nor an event for a change that didn't happen."""
    call = _scenarios(worker, manager, org_admin, kayden_case, freddie_la_case)[service]
    before = _everything()
    written = []

    def record_then_fail(**kwargs):
        written.append(record_event(**kwargs))
        raise AuditFailedError

    monkeypatch.setattr(services, "record_event", record_then_fail)
    with pytest.raises(AuditFailedError):
        call()
    assert written, "the service should have written its event before failing"
    assert _everything() == before
    assert not AuditEvent.objects.filter(pk=written[0].pk).exists()


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_writes_its_audit_event(
    worker, manager, org_admin, kayden_case, freddie_la_case, service
):
    call = _scenarios(worker, manager, org_admin, kayden_case, freddie_la_case)[service]
    head = AuditEvent.objects.order_by("-sequence").first()
    assert head is not None, "the demo world should already have audit events"
    call()
    new = AuditEvent.objects.filter(sequence__gt=head.sequence)
    expected = {
        "start_draft": {Action.NOTE_DRAFTED},
        "save_draft": {Action.DRAFT_SAVED},
        "discard_draft": {Action.DRAFT_DISCARDED},
        "finalise_note": {Action.NOTE_FINALISED},
        "add_correction": {Action.CORRECTION_ADDED},
        "amend_note": {Action.NOTE_REOPENED},
        "report_wrong_child": {Action.WRONG_CHILD_REPORTED},
        "move_to_right_child": {Action.NOTE_MOVED_OUT, Action.NOTE_MOVED_IN},
        "record_read": {Action.NOTE_VIEWED},
    }[service]
    assert {event.action for event in new} == expected
    assert all(event.organisation_id == kayden_case.organisation_id for event in new)


# --- The chains -------------------------------------------------------------------------------


def test_each_audit_event_links_to_the_one_before(worker, kayden_case):
    head = AuditEvent.objects.order_by("-sequence").first()
    assert head is not None, "the demo world should already have audit events"
    entry = final_note(worker, kayden_case)
    record_read(actor=worker, action=Action.NOTE_VIEWED, case=kayden_case, obj=entry)
    new = list(AuditEvent.objects.filter(sequence__gt=head.sequence).order_by("sequence"))
    assert [event.sequence for event in new] == list(
        range(head.sequence + 1, head.sequence + 1 + len(new))
    )
    assert len(new) == 3  # drafted, finalised, viewed
    previous = head.event_hash
    for event in new:
        assert event.previous_hash == previous
        previous = event.event_hash


def test_the_whole_audit_chain_verifies_from_the_raw_rows(worker, kayden_case, lily_case):
    final_note(
        worker, kayden_case, visit(kayden_case, [seen_alone(kayden_case), seen_alone(lily_case)])
    )
    links = audit_chain()
    assert [link[0] for link in links] == list(range(1, len(links) + 1))
    assert links[0][1] == GENESIS
    assert first_break(links) is None


def test_a_cases_final_entries_form_a_chain_from_genesis(worker, org_admin, kayden_case):
    already = len(chain_of(kayden_case))
    first = final_note(worker, kayden_case)
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    second = final_note(worker, kayden_case)
    correction = add_correction(
        actor=worker,
        original=first,
        reason=CorrectionReason.FACTUAL_ERROR,
        explanation="Wrong name",
        body="It was Darren, not Ryan.",
    )
    cin = _cin_visit(worker, kayden_case)
    amended = amend_note(
        actor=org_admin, original=cin, content=_amended(kayden_case, cin), reason="Omission"
    )
    links = chain_of(kayden_case)
    assert [link[0] for link in links] == list(range(1, already + 6))
    assert [link[3][0] for link in links[already:]] == [
        entry.id.hex for entry in (first, second, correction, cin, amended)
    ]
    assert links[0][1] == GENESIS
    for before, after in itertools.pairwise(links):
        assert after[1] == before[2]
    assert first_break(links) is None
    # The draft is in no chain.
    assert Entry.objects.get(pk=draft.pk).sequence is None
    assert Entry.objects.get(pk=draft.pk).entry_hash == ""
