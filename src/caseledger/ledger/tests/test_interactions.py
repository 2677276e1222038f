"""Interactions and timeline events: validated, final at once, chained, and never changed.

Amira (worker) holds Kayden's case; Jo Morgan (parent) holds a read-only grant on Freddie's
council case and works on her family's own tracking case, where Ruth Ellis (advocate) holds
a grant. The demo already has events on Freddie's family case; tests here look at their own.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.clocks import event_date
from caseledger.actions.models import NextAction
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.cases.services import close_case, reopen_case
from caseledger.domain.chain import ENTRY_COLUMN_NAMES, GENESIS, entry_values, link_hash
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
    timeline_entries,
)
from caseledger.ledger.models import (
    Channel,
    ContactType,
    CorrectionReason,
    Entry,
    EntryKind,
    EntryStatus,
    EventType,
    GeneratedBy,
    Tag,
)
from caseledger.ledger.services import NoteContent, add_correction, finalise_note, start_draft

pytestmark = pytest.mark.django_db

FINAL = "final ledger entries cannot be"


def ago(**delta: Any) -> datetime:
    return timezone.now() - timedelta(**delta)


def interaction(**changes: Any) -> InteractionContent:
    values: dict[str, Any] = {
        "occurred_at": ago(hours=2),
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "contact_role": "SEN caseworker",
        "contact_organisation": "Northmoor Council",
        "summary": "Rang about the request. Sam said the panel meets on Thursday.",
    }
    return InteractionContent(**{**values, **changes})


def meeting_two_days_ago(actor: User, case: Case) -> Entry:
    """A timeline event that starts no statutory clock."""
    event, started = record_timeline_event(
        actor=actor,
        case=case,
        content=EventContent(occurred_at=ago(days=2), event_type=EventType.MEETING),
    )
    assert not started
    return event


def head(case: Case) -> tuple[int, str]:
    found = (
        Entry.objects.filter(case=case, status=EntryStatus.FINAL)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    return (found[0] or 0, found[1]) if found else (0, GENESIS)


def rehashes(entry: Entry) -> bool:
    stored = Entry.objects.get(pk=entry.pk)
    values = entry_values([getattr(stored, column) for column in ENTRY_COLUMN_NAMES])
    return link_hash(stored.previous_hash, values) == stored.entry_hash


def counts() -> tuple[int, int, int]:
    return Entry.objects.count(), AuditEvent.objects.count(), NextAction.objects.count()


def db_id(value) -> Any:
    return Entry._meta.pk.get_db_prep_value(value, connection)


def run_verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)
    except SystemExit as stopped:
        return int(stopped.code or 0), out.getvalue()
    return 0, out.getvalue()


def other_organisations_tag(case: Case) -> Tag:
    tag = Tag.objects.exclude(organisation_id=case.organisation_id).first()
    assert tag is not None, "the demo has tags in more than one organisation"
    return tag


# --- Recording an interaction: every rule, and nothing written when one is broken ------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_at": None}, "occurred_on", "Enter the date of the interaction"),
        (
            {"occurred_at": timezone.now() + timedelta(days=1)},
            "occurred_on",
            "The date of the interaction must be in the past",
        ),
        ({"channel": ""}, "channel", "Select how you were in contact"),
        ({"channel": "carrier_pigeon"}, "channel", "Select how you were in contact"),
        ({"contact_name": "   "}, "contact_name", "Enter the name of who you were in contact with"),
        ({"summary": ""}, "summary", "Enter a summary of what was said"),
        ({"summary": " \n "}, "summary", "Enter a summary of what was said"),
        (
            {"promise": "She will ring back", "promise_party": ""},
            "promise_party",
            "Select who made the promise",
        ),
        (
            {"promise": "She will ring back", "promise_party": "the_neighbour"},
            "promise_party",
            "Select who made the promise",
        ),
        (
            {"promise_due_on": date(2026, 12, 4)},
            "promise",
            "Enter what they promised, in their own words",
        ),
        (
            {"promise": "  ", "promise_party": "local_authority"},
            "promise",
            "Enter what they promised, in their own words",
        ),
    ],
    ids=[
        "no-date",
        "future",
        "no-channel",
        "unknown-channel",
        "no-name",
        "no-summary",
        "blank-summary",
        "promise-without-party",
        "promise-unknown-party",
        "date-without-promise",
        "party-without-promise",
    ],
)
def test_an_interaction_that_breaks_a_rule_is_refused_and_nothing_is_written(
    worker, kayden_case, changes, field, message
):
    before = counts()
    with pytest.raises(DomainError) as refused:
        record_interaction(actor=worker, case=kayden_case, content=interaction(**changes))
    assert refused.value.message == message
    assert refused.value.field == field
    assert counts() == before


def test_a_topic_from_another_organisation_is_refused(worker, kayden_case):
    before = counts()
    own = Tag.objects.filter(organisation_id=kayden_case.organisation_id).first()
    with pytest.raises(DomainError, match="Select topics from the list") as refused:
        record_interaction(
            actor=worker,
            case=kayden_case,
            content=interaction(tags=[own, other_organisations_tag(kayden_case)]),
        )
    assert refused.value.field == "tags"
    assert counts() == before


def test_the_first_broken_rule_is_reported(worker, kayden_case):
    with pytest.raises(DomainError) as refused:
        record_interaction(
            actor=worker,
            case=kayden_case,
            content=interaction(occurred_at=None, channel="", summary=""),
        )
    assert refused.value.field == "occurred_on"


def test_an_interaction_is_final_at_once_and_the_next_link_of_the_case_chain(worker, kayden_case):
    sequence, previous = head(kayden_case)
    tag = Tag.objects.filter(organisation_id=kayden_case.organisation_id).first()
    assert tag is not None
    entry = record_interaction(
        actor=worker,
        case=kayden_case,
        content=interaction(
            promise="  A decision by the end of next week ",
            promise_due_on=date(2026, 12, 4),
            promise_party="local_authority",
            in_timeline=True,
            tags=[tag],
        ),
    )
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.kind == EntryKind.INTERACTION
    assert stored.status == EntryStatus.FINAL
    assert stored.finalised_at == stored.recorded_at
    assert stored.author == worker
    assert (stored.sequence, stored.previous_hash) == (sequence + 1, previous)
    assert head(kayden_case) == (sequence + 1, stored.entry_hash)
    assert stored.lineage_id == stored.id
    # What was said and promised, as typed (trimmed).
    assert stored.channel == Channel.PHONE_CALL
    assert stored.contact_name == "Sam Okafor"
    assert stored.promise == "A decision by the end of next week"
    assert stored.promise_due_on == date(2026, 12, 4)
    assert stored.promise_party == "local_authority"
    assert stored.in_timeline is True
    assert stored.tag_ids == [str(tag.id)]
    assert stored.working_days_to_finalise in (0, 1)  # two hours ago: today, or last night
    assert stored.heading == "Phone call with Sam Okafor, Northmoor Council"
    # The promise joins the hash: the extension columns are part of this link.
    values = entry_values([getattr(stored, column) for column in ENTRY_COLUMN_NAMES])
    assert "A decision by the end of next week" in values
    assert "2026-12-04" in values
    assert rehashes(stored)
    (audit,) = AuditEvent.objects.filter(
        action=Action.INTERACTION_RECORDED, object_id=str(entry.id)
    )
    assert audit.detail == {
        "sequence": sequence + 1,
        "channel": "phone_call",
        "promise": True,
        "in_timeline": True,
    }
    assert audit.case_id == kayden_case.id


def test_a_promise_date_and_party_are_kept_only_with_a_promise(worker, kayden_case):
    entry = record_interaction(actor=worker, case=kayden_case, content=interaction())
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.promise, stored.promise_due_on, stored.promise_party) == ("", None, "")
    assert stored.in_timeline is False
    assert rehashes(stored)


def test_an_interaction_written_late_is_marked_late(worker, kayden_case):
    entry = record_interaction(
        actor=worker, case=kayden_case, content=interaction(occurred_at=ago(days=30))
    )
    assert entry.working_days_to_finalise is not None
    assert entry.working_days_to_finalise > kayden_case.organisation.recording_limit_working_days
    assert entry.finalised_late is True


def test_verify_passes_with_interactions_and_events_on_the_record(
    worker, kayden_case, parent, freddie_family_case
):
    record_interaction(
        actor=worker,
        case=kayden_case,
        content=interaction(
            promise="Will send the minutes", promise_party="professional", in_timeline=True
        ),
    )
    record_interaction(actor=worker, case=kayden_case, content=interaction())
    record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(occurred_at=ago(days=3), event_type=EventType.REFERRAL),
    )
    record_timeline_event(
        actor=parent,
        case=freddie_family_case,
        content=EventContent(
            occurred_at=ago(days=1), event_type=EventType.OTHER, details="School trip form"
        ),
    )
    code, output = run_verify()
    assert code == 0, output
    assert output.startswith("OK: ")
    assert "BROKEN" not in output


def test_a_tampered_promise_date_is_refused_by_the_database(worker, kayden_case):
    entry = record_interaction(
        actor=worker,
        case=kayden_case,
        content=interaction(
            promise="A decision by Friday",
            promise_due_on=date(2026, 12, 4),
            promise_party="local_authority",
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_entry WHERE id = %s", [db_id(entry.pk)])
        before = cursor.fetchone()
    for sql, params in [
        (
            "UPDATE ledger_entry SET promise_due_on = %s WHERE id = %s",
            [date(2027, 1, 29), db_id(entry.pk)],
        ),
        ("UPDATE ledger_entry SET promise = '' WHERE id = %s", [db_id(entry.pk)]),
        ("UPDATE ledger_entry SET in_timeline = %s WHERE id = %s", [True, db_id(entry.pk)]),
    ]:
        with (
            pytest.raises(IntegrityError, match=re.escape(FINAL)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    with pytest.raises(IntegrityError, match=re.escape(FINAL)), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(promise_party="family")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_entry WHERE id = %s", [db_id(entry.pk)])
        assert cursor.fetchone() == before
    assert rehashes(entry)


# --- Timeline events ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        (
            EventContent(occurred_at=ago(hours=1), event_type=EventType.CASE_CLOSED),
            "event_type",
            "Select what happened",
        ),
        (
            EventContent(occurred_at=ago(hours=1), event_type=EventType.CASE_REOPENED),
            "event_type",
            "Select what happened",
        ),
        (
            EventContent(occurred_at=ago(hours=1), event_type=EventType.DEADLINE_MET),
            "event_type",
            "Select what happened",
        ),
        (
            EventContent(occurred_at=ago(hours=1), event_type="party"),
            "event_type",
            "Select what happened",
        ),
        (
            EventContent(occurred_at=ago(hours=1), event_type=""),
            "event_type",
            "Select what happened",
        ),
        (
            EventContent(occurred_at=None, event_type=EventType.MEETING),
            "occurred_on",
            "Enter the date it happened",
        ),
        (
            EventContent(
                occurred_at=timezone.now() + timedelta(days=2), event_type=EventType.MEETING
            ),
            "occurred_on",
            "The date it happened must be today or in the past",
        ),
        (
            EventContent(occurred_at=ago(hours=1), event_type=EventType.OTHER, details="  "),
            "details",
            "Describe what happened",
        ),
    ],
    ids=[
        "case-closed",
        "case-reopened",
        "deadline-met",
        "unknown",
        "blank",
        "no-date",
        "future",
        "other-without-details",
    ],
)
def test_a_timeline_event_that_breaks_a_rule_is_refused(
    worker, kayden_case, content, field, message
):
    before = counts()
    with pytest.raises(DomainError) as refused:
        record_timeline_event(actor=worker, case=kayden_case, content=content)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert counts() == before


def test_a_timeline_event_is_final_chained_and_audited(worker, kayden_case):
    sequence, previous = head(kayden_case)
    entry, actions = record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(
            occurred_at=ago(days=1), event_type=EventType.OTHER, details="  Moved to new flat "
        ),
    )
    assert actions == []  # "something else" starts no clock
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.kind, stored.status) == (EntryKind.EVENT, EntryStatus.FINAL)
    assert (stored.sequence, stored.previous_hash) == (sequence + 1, previous)
    assert stored.body == "Moved to new flat"
    assert stored.in_timeline is True
    assert stored.generated_by == ""
    assert rehashes(stored)
    assert AuditEvent.objects.filter(
        action=Action.EVENT_RECORDED, object_id=str(entry.id), detail__event_type="other"
    ).exists()


@pytest.mark.parametrize(
    ("who", "case_name"),
    [
        ("outsider", "kayden_case"),  # another council
        ("colleague", "kayden_case"),  # same team, not allocated
        ("parent", "freddie_la_case"),  # a family member's read-only grant
        ("advocate", "freddie_family_case"),  # an advocate's read-only grant
        ("worker", "freddie_family_case"),  # the council cannot write in the family's record
    ],
)
def test_only_those_who_work_on_the_case_record_interactions_and_events(request, who, case_name):
    actor = request.getfixturevalue(who)
    case = request.getfixturevalue(case_name)
    before = counts()
    with pytest.raises(NotPermittedError):
        record_interaction(actor=actor, case=case, content=interaction())
    with pytest.raises(NotPermittedError):
        record_timeline_event(
            actor=actor,
            case=case,
            content=EventContent(occurred_at=ago(days=1), event_type=EventType.EHC_REQUEST),
        )
    assert counts() == before


def test_a_family_member_records_in_their_own_family_workspace(parent, freddie_family_case):
    entry = record_interaction(actor=parent, case=freddie_family_case, content=interaction())
    assert entry.is_final


def test_closing_and_reopening_a_case_put_automatic_events_on_its_timeline(worker, kayden_case):
    before = set(timeline_entries(kayden_case).values_list("id", flat=True))
    sequence, _ = head(kayden_case)
    close_case(actor=worker, case=kayden_case, closed_on=timezone.localdate(), reason="Needs met")
    reopen_case(actor=worker, case=kayden_case, reason="New referral from school")
    new = [entry for entry in timeline_entries(kayden_case) if entry.id not in before]
    assert [entry.event_type for entry in new] == [EventType.CASE_CLOSED, EventType.CASE_REOPENED]
    closed, reopened = new
    for entry in new:
        assert entry.generated_by == GeneratedBy.CASE_STATUS
        assert entry.author == worker
        assert entry.is_final and entry.in_timeline
        assert rehashes(entry)
    assert closed.body == "Reason: Needs met"
    assert reopened.body == "Reason: New referral from school"
    assert (closed.sequence, reopened.sequence) == (sequence + 1, sequence + 2)


def test_closing_a_case_on_an_earlier_day_dates_its_event_that_day(worker, kayden_case):
    closed_on = timezone.localdate() - timedelta(days=3)
    assert closed_on > kayden_case.opened_on  # the demo opened it 120 days ago
    close_case(actor=worker, case=kayden_case, closed_on=closed_on, reason="Needs met")
    entry = (
        Entry.objects.filter(case=kayden_case, event_type=EventType.CASE_CLOSED)
        .order_by("-sequence")
        .first()
    )
    assert entry is not None and entry.generated_by == GeneratedBy.CASE_STATUS
    assert timezone.localtime(entry.occurred_at) == timezone.make_aware(
        datetime.combine(closed_on, time.min)
    )


def test_the_timeline_holds_events_and_entries_put_on_it_in_event_order(worker, kayden_case):
    before = set(timeline_entries(kayden_case).values_list("id", flat=True))
    on_timeline = record_interaction(
        actor=worker,
        case=kayden_case,
        content=interaction(occurred_at=ago(days=5), in_timeline=True),
    )
    record_interaction(actor=worker, case=kayden_case, content=interaction(occurred_at=ago(days=4)))
    meeting, _ = record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(occurred_at=ago(days=6), event_type=EventType.MEETING),
    )
    exclusion, _ = record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(occurred_at=ago(days=2), event_type=EventType.EXCLUSION),
    )
    # A case note is not on the timeline; nor is a draft.
    start_draft(
        actor=worker,
        case=kayden_case,
        content=NoteContent(occurred_at=ago(days=3), title="A draft", body="Not yet"),
    )
    note = finalise_note(
        actor=worker,
        draft=start_draft(
            actor=worker,
            case=kayden_case,
            content=NoteContent(
                occurred_at=ago(days=3),
                title="Phone call",
                body="Spoke to school",
                contact_type=ContactType.objects.get(
                    organisation_id=kayden_case.organisation_id, name="Phone call"
                ),
            ),
        ),
    )[0]
    timeline = list(timeline_entries(kayden_case))
    new = [entry.id for entry in timeline if entry.id not in before]
    assert new == [meeting.id, on_timeline.id, exclusion.id]
    assert note.id not in {entry.id for entry in timeline}
    assert all(entry.is_final and (entry.is_event or entry.in_timeline) for entry in timeline)
    assert timeline == sorted(timeline, key=lambda entry: (entry.occurred_at, entry.id))


# --- Corrections of events ----------------------------------------------------------------------


def test_a_correction_gives_an_event_its_right_date(worker, kayden_case):
    event = meeting_two_days_ago(worker, kayden_case)
    right = ago(days=9)
    correction = add_correction(
        actor=worker,
        original=event,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="The meeting was the week before",
        body="The meeting was held a week earlier.",
        corrected_occurred_at=right,
    )
    stored = Entry.objects.get(pk=correction.pk)
    assert stored.kind == EntryKind.CORRECTION and stored.corrects_id == event.id
    assert stored.corrected_occurred_at == right
    assert rehashes(stored)
    # The original is unchanged; its date, for the clocks, is the corrected one.
    assert Entry.objects.get(pk=event.pk).occurred_at == event.occurred_at
    assert event_date(event) == timezone.localdate(right)
    code, output = run_verify()
    assert code == 0, output


def test_a_corrected_date_is_kept_only_for_a_wrong_date(worker, kayden_case):
    event = meeting_two_days_ago(worker, kayden_case)
    correction = add_correction(
        actor=worker,
        original=event,
        reason=CorrectionReason.FACTUAL_ERROR,
        explanation="Wrong school named",
        body="It was at Riverside.",
        corrected_occurred_at=ago(days=5),
    )
    assert Entry.objects.get(pk=correction.pk).corrected_occurred_at is None
    assert event_date(event) == timezone.localdate(event.occurred_at)


def test_a_corrected_date_in_the_future_is_refused(worker, kayden_case):
    event = meeting_two_days_ago(worker, kayden_case)
    before = counts()
    with pytest.raises(DomainError, match="The correct date must be today or in the past"):
        add_correction(
            actor=worker,
            original=event,
            reason=CorrectionReason.WRONG_DATE_OR_TIME,
            explanation="Typo",
            body="Tomorrow",
            corrected_occurred_at=timezone.now() + timedelta(days=1),
        )
    assert counts() == before


def test_a_wrong_date_on_a_clock_event_needs_the_right_date(worker, kayden_case):
    event, actions = record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(occurred_at=ago(days=2), event_type=EventType.REFERRAL),
    )
    assert actions, "a referral starts statutory clocks"
    before = counts()
    with pytest.raises(DomainError) as refused:
        add_correction(
            actor=worker,
            original=event,
            reason=CorrectionReason.WRONG_DATE_OR_TIME,
            explanation="The referral came in on Friday",
            body="Received on Friday",
        )
    assert refused.value.message == (
        "Enter the correct date, so that its deadlines can be worked out again"
    )
    assert refused.value.field == "corrected_on"
    assert counts() == before


def test_a_wrong_date_on_an_event_without_clocks_may_be_corrected_in_words(worker, kayden_case):
    event = meeting_two_days_ago(worker, kayden_case)
    correction = add_correction(
        actor=worker,
        original=event,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="Wrong day",
        body="It was the Monday.",
    )
    assert correction.corrected_occurred_at is None
