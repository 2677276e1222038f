"""One-off bank holidays: added and removed by an admin, audited, and counted at once by every
working-day deadline (open statutory clocks, `caseledger deadlines`, note timeliness).

Worked examples, counted by hand: a referral received on Monday 16 November 2026 sets the
assessment 45 working days later, Thursday 21 January 2027, or Friday 22 January once Tuesday
15 December 2026 is a holiday; a decision letter of 15 October 2026 sets an appeal deadline of
Tuesday 15 December, rolled to the 16th when the 15th is a holiday (HESC Rules 2008, rule
12(2)); an EHC request of 3 November 2026 counts calendar weeks to 15 December, holiday or not.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections
from django.utils import timezone

from caseledger.actions.models import NextAction
from caseledger.actions.services import complete_action
from caseledger.audit.models import Action, AuditEvent
from caseledger.cli import main
from caseledger.domain.errors import DomainError
from caseledger.domain.working_days import ENGLAND_AND_WALES
from caseledger.ledger.interactions import EventContent, record_timeline_event
from caseledger.ledger.models import ContactType, Entry, EventType
from caseledger.ledger.services import NoteContent, finalise_note, start_draft
from caseledger.workdays.calendar import bank_holidays_between, working_days
from caseledger.workdays.models import Holiday
from caseledger.workdays.services import add_holiday, remove_holiday

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
D = date
HOLIDAY = D(2026, 12, 15)  # a Tuesday
NAME = "State funeral"
ADDED_NOTE = "A one-off bank holiday was added: State funeral, 15 December 2026."
REMOVED_NOTE = "A one-off holiday added in error was removed: State funeral, 15 December 2026."


@pytest.fixture(autouse=True)
def only_these_tests_actions(db):
    """Adding a holiday recalculates every open clock in the service; the counts here are
    about the clocks each test starts, so the demo's are set aside inside the test's
    transaction (as the reminder tests do)."""
    NextAction.objects.all().delete()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def record(actor, case, event_type: str, day: date) -> dict[str, NextAction]:
    entry, _ = record_timeline_event(
        actor=actor, case=case, content=EventContent(occurred_at=at(day), event_type=event_type)
    )
    return {
        action.statutory_rule: action for action in NextAction.objects.filter(source_entry=entry)
    }


def fresh(action: NextAction) -> NextAction:
    return NextAction.objects.get(pk=action.pk)


@pytest.fixture
def clocks(worker, kayden_case, parent, freddie_family_case) -> dict[str, NextAction]:
    referral = record(worker, kayden_case, EventType.REFERRAL, D(2026, 11, 16))
    appeal = record(parent, freddie_family_case, EventType.DECISION_LETTER, D(2026, 10, 15))
    request = record(parent, freddie_family_case, EventType.EHC_REQUEST, D(2026, 11, 3))
    found = {**referral, **appeal, **request}
    assert found["wt-2023-referral"].due_on == D(2026, 11, 17)
    assert found["wt-2023-assessment"].due_on == D(2027, 1, 21)
    assert found["send-appeal-decision"].due_on == D(2026, 12, 15)
    assert found["send-regs-5-1"].due_on == D(2026, 12, 15)
    return found


# --- Adding a holiday: what is refused ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name", "message"),
    [
        (D(2027, 6, 5), NAME, "Saturday 5 June 2027 is not a working day already"),
        (D(2027, 6, 6), NAME, "Sunday 6 June 2027 is not a working day already"),
        (D(2027, 5, 31), NAME, "31 May 2027 is already a bank holiday (Spring Bank Holiday)"),
        (D(2027, 3, 26), NAME, "26 March 2027 is already a bank holiday (Good Friday)"),
        (
            D(2027, 12, 27),
            NAME,
            "27 December 2027 is already a bank holiday (Christmas Day (observed))",
        ),
        (D(2027, 6, 7), "   ", "Enter the name of the holiday"),
        (D(2027, 6, 7), "x" * 101, "The name must be 100 characters or fewer"),
    ],
    ids=["saturday", "sunday", "spring", "good-friday", "substitute", "blank", "too-long"],
)
def test_a_day_that_cannot_be_a_one_off_holiday_is_refused(org_admin, day, name, message):
    before = (Holiday.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        add_holiday(actor=org_admin, day=day, name=name)
    assert refused.value.message == message
    assert (Holiday.objects.count(), AuditEvent.objects.count()) == before


def test_a_holiday_cannot_be_added_twice(org_admin):
    add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    with pytest.raises(DomainError, match="7 June 2027 has already been added"):
        add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding again")
    assert list(Holiday.objects.values_list("name", flat=True)) == ["Royal wedding"]


def test_a_name_of_the_longest_length_is_kept_whole(org_admin):
    holiday, _ = add_holiday(actor=org_admin, day=D(2027, 6, 7), name="x" * 100)
    assert Holiday.objects.get(pk=holiday.pk).name == "x" * 100


def test_adding_and_removing_a_holiday_is_audited(org_admin):
    holiday, moved = add_holiday(actor=org_admin, day=D(2027, 6, 7), name="  Royal wedding ")
    assert (holiday.name, holiday.added_by, moved) == ("Royal wedding", org_admin, 0)
    (added,) = AuditEvent.objects.filter(action=Action.HOLIDAY_ADDED)
    assert added.actor == org_admin
    assert (added.object_type, added.object_id) == ("workdays.holiday", str(holiday.pk))
    assert added.detail == {"date": "2027-06-07", "name": "Royal wedding"}
    assert remove_holiday(actor=org_admin, day=D(2027, 6, 7)) == 0
    (removed,) = AuditEvent.objects.filter(action=Action.HOLIDAY_REMOVED)
    assert removed.detail == {"date": "2027-06-07", "name": "Royal wedding"}
    assert removed.object_id == str(holiday.pk)
    assert not Holiday.objects.exists()


def test_removing_a_holiday_that_was_never_added_is_refused(org_admin):
    with pytest.raises(DomainError, match="No one-off holiday has been added on 7 June 2027"):
        remove_holiday(actor=org_admin, day=D(2027, 6, 7))
    assert not AuditEvent.objects.filter(action=Action.HOLIDAY_REMOVED).exists()


def test_the_calendar_counts_an_added_holiday_at_once(org_admin):
    assert working_days().is_working_day(HOLIDAY)
    add_holiday(actor=org_admin, day=HOLIDAY, name=NAME)
    assert not working_days().is_working_day(HOLIDAY)
    assert ENGLAND_AND_WALES.is_working_day(HOLIDAY)  # the plain calendar is untouched
    remove_holiday(actor=org_admin, day=HOLIDAY)
    assert working_days().is_working_day(HOLIDAY)


# --- Open clocks are worked out again ----------------------------------------------------------


def test_adding_a_holiday_recalculates_the_working_day_clocks_that_span_it(org_admin, clocks):
    _holiday, moved = add_holiday(actor=org_admin, day=HOLIDAY, name=NAME)
    assert moved == 2
    assessment = fresh(clocks["wt-2023-assessment"])
    assert assessment.due_on == assessment.statutory_due_on == D(2027, 1, 22)
    assert assessment.recalculated_note == ADDED_NOTE
    appeal = fresh(clocks["send-appeal-decision"])
    assert appeal.due_on == appeal.statutory_due_on == D(2026, 12, 16)
    assert appeal.recalculated_note == ADDED_NOTE
    # The referral decision was due before the holiday; calendar weeks ignore holidays.
    for rule_id, due in [("wt-2023-referral", D(2026, 11, 17)), ("send-regs-5-1", HOLIDAY)]:
        untouched = fresh(clocks[rule_id])
        assert (untouched.due_on, untouched.recalculated_note) == (due, "")
    recalculated = AuditEvent.objects.filter(action=Action.ACTION_RECALCULATED)
    assert {event.object_id for event in recalculated} == {
        str(assessment.pk),
        str(appeal.pk),
    }
    (for_assessment,) = [event for event in recalculated if event.object_id == str(assessment.pk)]
    assert for_assessment.actor == org_admin
    assert for_assessment.detail["reason"] == ADDED_NOTE
    assert for_assessment.detail["changes"]["due_on"] == {"old": "2027-01-21", "new": "2027-01-22"}


def test_removing_the_holiday_puts_the_dates_back_and_says_why(org_admin, clocks):
    add_holiday(actor=org_admin, day=HOLIDAY, name=NAME)
    assert remove_holiday(actor=org_admin, day=HOLIDAY) == 2
    assessment = fresh(clocks["wt-2023-assessment"])
    assert assessment.due_on == assessment.statutory_due_on == D(2027, 1, 21)
    assert assessment.recalculated_note == REMOVED_NOTE
    appeal = fresh(clocks["send-appeal-decision"])
    assert appeal.due_on == D(2026, 12, 15)
    assert appeal.recalculated_note == REMOVED_NOTE
    assert (
        AuditEvent.objects.filter(
            action=Action.ACTION_RECALCULATED, object_id=str(assessment.pk)
        ).count()
        == 2
    )


def test_a_holiday_outside_every_clock_moves_nothing(org_admin, clocks):
    _holiday, moved = add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    assert moved == 0
    assert all(fresh(action).recalculated_note == "" for action in clocks.values())


def test_a_closed_clock_is_not_recalculated(org_admin, worker, clocks):
    complete_action(actor=worker, action=clocks["wt-2023-assessment"], done_on=D(2026, 11, 20))
    _holiday, moved = add_holiday(actor=org_admin, day=HOLIDAY, name=NAME)
    assert moved == 1  # the appeal only
    done = fresh(clocks["wt-2023-assessment"])
    assert (done.due_on, done.recalculated_note) == (D(2027, 1, 21), "")


def test_a_new_clock_counts_a_holiday_added_before_it(org_admin, worker, kayden_case):
    add_holiday(actor=org_admin, day=HOLIDAY, name=NAME)
    started = record(worker, kayden_case, EventType.REFERRAL, D(2026, 11, 16))
    assert started["wt-2023-assessment"].due_on == D(2027, 1, 22)
    assert started["wt-2023-assessment"].recalculated_note == ""


# --- The command line: caseledger holidays --------------------------------------------------


def run(capsys, monkeypatch, *argv: str) -> tuple[int, str, str]:
    """`caseledger ...` as typed. A management command closes every connection when it ends,
    which on PostgreSQL would end the test's transaction: kept open here, so that the test
    can look at what the command wrote (and it is all rolled back after)."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    try:
        main(list(argv))
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_prints_a_years_holidays_with_the_one_offs_marked(capsys, monkeypatch, org_admin):
    add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    add_holiday(actor=org_admin, day=D(2028, 6, 7), name="Next year's")
    code, out, err = run(capsys, monkeypatch, "holidays", "list", "--year", "2027")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    expected = sorted(
        [
            *(
                f"{day.isoformat()}  {name}"
                for day, name in bank_holidays_between(D(2027, 1, 1), D(2027, 12, 31))
            ),
            "2027-06-07  Royal wedding (one-off)",
        ]
    )
    assert lines == expected
    assert "2027-03-26  Good Friday" in lines
    assert "2027-12-27  Christmas Day (observed)" in lines
    assert lines[5] == "2027-06-07  Royal wedding (one-off)"
    assert not any("2028" in line for line in lines)


def test_list_defaults_to_this_year(capsys, monkeypatch):
    with time_machine.travel(at(D(2027, 2, 1)), tick=False):
        code, out, _ = run(capsys, monkeypatch, "holidays")
    assert code == 0
    assert out.splitlines()[0] == "2027-01-01  New Year's Day"
    assert all(line.startswith("2027-") for line in out.splitlines())


def test_add_and_remove_say_what_they_did(capsys, monkeypatch, clocks):
    code, out, err = run(capsys, monkeypatch, "holidays", "add", "2026-12-15", NAME)
    assert (code, err) == (0, "")
    assert out == "Added 2026-12-15 State funeral. 2 statutory deadlines recalculated.\n"
    holiday = Holiday.objects.get(date=HOLIDAY)
    assert holiday.added_by is None
    (added,) = AuditEvent.objects.filter(action=Action.HOLIDAY_ADDED)
    assert added.actor is None
    assert fresh(clocks["wt-2023-assessment"]).due_on == D(2027, 1, 22)
    code, out, err = run(capsys, monkeypatch, "holidays", "remove", "2026-12-15")
    assert (code, err) == (0, "")
    assert out == "Removed 2026-12-15. 2 statutory deadlines recalculated.\n"
    assert not Holiday.objects.exists()


def test_one_deadline_is_singular(capsys, monkeypatch, worker, kayden_case):
    record(worker, kayden_case, EventType.REFERRAL, D(2026, 11, 16))
    code, out, _ = run(capsys, monkeypatch, "holidays", "add", "2026-12-15", NAME)
    assert (code, out) == (
        0,
        "Added 2026-12-15 State funeral. 1 statutory deadline recalculated.\n",
    )
    code, out, _ = run(capsys, monkeypatch, "holidays", "remove", "2026-12-15")
    assert (code, out) == (0, "Removed 2026-12-15. 1 statutory deadline recalculated.\n")
    code, out, _ = run(capsys, monkeypatch, "holidays", "add", "2027-06-07", "Royal wedding")
    assert (code, out) == (
        0,
        "Added 2027-06-07 Royal wedding. 0 statutory deadlines recalculated.\n",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "2027-02-30", NAME], "'2027-02-30' is not a real date: use YYYY-MM-DD"),
        (["add", "07/06/2027", NAME], "'07/06/2027' is not a real date"),
        (["add", "2027-6-7", NAME], "'2027-6-7' is not a real date"),
        (["remove", "tomorrow"], "'tomorrow' is not a real date"),
        (["add"], "Give the date to add, as YYYY-MM-DD"),
        (["remove"], "Give the date to remove, as YYYY-MM-DD"),
        (["add", "2027-06-07"], "Give the holiday's name after its date"),
        (["add", "2027-06-05", NAME], "Saturday 5 June 2027 is not a working day already"),
        (["add", "2027-05-31", NAME], "already a bank holiday (Spring Bank Holiday)"),
        (["add", "2027-06-07", " "], "Enter the name of the holiday"),
        (["remove", "2027-06-07"], "No one-off holiday has been added on 7 June 2027"),
    ],
    ids=[
        "impossible",
        "british",
        "short",
        "words",
        "add-no-date",
        "remove-no-date",
        "no-name",
        "weekend",
        "bank-holiday",
        "blank-name",
        "never-added",
    ],
)
def test_bad_input_says_what_is_wrong_and_exits_2(capsys, monkeypatch, argv, message):
    before = (Holiday.objects.count(), AuditEvent.objects.count())
    code, out, err = run(capsys, monkeypatch, "holidays", *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
    assert (Holiday.objects.count(), AuditEvent.objects.count()) == before


def test_adding_a_holiday_twice_exits_2(capsys, monkeypatch, org_admin):
    add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    code, out, err = run(capsys, monkeypatch, "holidays", "add", "2027-06-07", "Royal wedding")
    assert (code, out) == (2, "")
    assert "7 June 2027 has already been added" in err


def test_an_unknown_verb_exits_2(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "holidays", "rename", "2027-06-07")
    assert (code, out) == (2, "")
    assert "invalid choice" in err


# --- Everything that counts working days counts the holiday ------------------------------------


def test_the_deadlines_command_counts_an_added_holiday(capsys, monkeypatch, org_admin):
    def dues() -> dict[str, str]:
        code, out, _ = run(
            capsys, monkeypatch, "deadlines", "--json", "referral_received=2027-06-04"
        )
        assert code == 0
        return {row["milestone"]: row["due"] for row in json.loads(out)}

    assert dues() == {"referral_decision": "2027-06-07", "assessment_complete": "2027-08-06"}
    add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    assert dues() == {"referral_decision": "2027-06-08", "assessment_complete": "2027-08-09"}


def test_note_timeliness_counts_an_added_holiday(org_admin, worker, kayden_case):
    """A note about Thursday 3 June 2027 finalised on Friday 11 June: 6 working days, one more
    than Northmoor's limit of 5; with Monday 7 June a holiday, 5, in time."""
    assert kayden_case.organisation.recording_limit_working_days == 5
    phone_call = ContactType.objects.get(
        organisation_id=kayden_case.organisation_id, name="Phone call"
    )

    def finalised() -> Entry:
        with time_machine.travel(at(D(2027, 6, 11), 16), tick=False):
            draft = start_draft(
                actor=worker,
                case=kayden_case,
                content=NoteContent(
                    occurred_at=at(D(2027, 6, 3), 10),
                    title="Phone call with school",
                    body="Attendance is better.",
                    contact_type=phone_call,
                ),
            )
            return finalise_note(actor=worker, draft=draft)[0]

    before = finalised()
    assert (before.working_days_to_finalise, before.finalised_late) == (6, True)
    add_holiday(actor=org_admin, day=D(2027, 6, 7), name="Royal wedding")
    after = finalised()
    assert (after.working_days_to_finalise, after.finalised_late) == (5, False)


def test_a_holiday_in_the_past_still_counts_for_timeliness(org_admin, worker, kayden_case):
    # Added after the fact (a proclamation noticed late): later finalising counts it.
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() >= 5 or not ENGLAND_AND_WALES.is_working_day(day):
        day -= timedelta(days=1)
    add_holiday(actor=org_admin, day=day, name="Noticed late")
    assert not working_days().is_working_day(day)
    assert working_days().between(day - timedelta(days=1), day) == 0
