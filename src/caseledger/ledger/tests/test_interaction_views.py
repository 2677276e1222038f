"""Interactions, timeline events and the timeline through the real pages (issue 4).

Recording a call and what was promised in it (with the date worked out from the words for
the person to check), marking a timeline event that starts statutory clocks, reading the
case's timeline, and turning a promise into a next action from the interaction's page.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction, Party
from caseledger.actions.services import action_from_promise, cancel_action, complete_action
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.promise_dates import date_from_words
from caseledger.ledger import services
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
)
from caseledger.ledger.models import Channel, ContactType, Entry, EntryKind, EventType
from caseledger.workdays.calendar import working_days

pytestmark = pytest.mark.django_db

NEXT_WEEK = "A decision by the end of next week"


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def date_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def interaction_form(**overrides: Any) -> dict[str, Any]:
    """What a browser posts for a complete phone call with no promise."""
    data: dict[str, Any] = {
        **date_fields("occurred_on", yesterday()),
        "occurred_time": "10:15",
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "contact_role": "SEN caseworker",
        "contact_organisation": "Northmoor Council",
        "summary": "Asked where the request had got to.",
        "promise": "",
        "in_timeline": "on",
    }
    data.update(overrides)
    return data


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def interaction(
    actor: User, case: Case, *, promise: str = "", due: date | None = None, **fields: Any
) -> Entry:
    content: dict[str, Any] = {
        "occurred_at": at(yesterday()),
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "contact_organisation": "Northmoor Council",
        "summary": "Rang about the request.",
        "promise": promise,
        "promise_due_on": due,
        "promise_party": Party.LOCAL_AUTHORITY if promise else "",
        **fields,
    }
    return record_interaction(actor=actor, case=case, content=InteractionContent(**content))


def event(actor: User, case: Case, event_type: str, day: date, details: str = "") -> Entry:
    entry, _ = record_timeline_event(
        actor=actor,
        case=case,
        content=EventContent(occurred_at=at(day, 0), event_type=event_type, details=details),
    )
    return entry


def plain_note(actor: User, case: Case, title: str) -> Entry:
    draft = services.start_draft(
        actor=actor,
        case=case,
        content=services.NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            title=title,
            body="What happened.",
            contact_type=ContactType.objects.get(organisation=case.organisation, name="Phone call"),
        ),
    )
    return services.finalise_note(actor=actor, draft=draft)[0]


def shown_date(body: str, name: str) -> tuple[str, str, str]:
    """The day, month and year a GOV.UK date input shows."""
    parts = []
    for part in ("day", "month", "year"):
        found = re.search(rf'name="{name}-{part}"[^>]*value="([^"]*)"', body)
        parts.append(found.group(1) if found else "")
    return parts[0], parts[1], parts[2]


def titles(body: str) -> list[str]:
    """The headings of a timeline's items, as text."""
    headings = re.findall(r'<h2 class="moj-timeline__title">(.*?)</h2>', body, re.S)
    return [re.sub(r"<[^>]+>", "", heading).strip() for heading in headings]


# --- Recording an interaction ------------------------------------------------------------------


def test_the_form_asks_for_the_interaction_with_the_timeline_ticked(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    response = client_for(parent).get(f"/cases/{freddie_family_case.id}/interactions/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Record an interaction" in body
    assert re.search(r'name="in_timeline"[^>]*checked', body)
    assert "Check the date" not in body


def test_errors_use_govuk_messages_and_keep_what_was_typed(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    url = f"/cases/{freddie_family_case.id}/interactions/new/"
    response = client_for(parent).post(
        url,
        interaction_form(
            contact_name="",
            summary="",
            occurred_time="25:99",
            promise="Ring back tomorrow",
            promise_party=Party.LOCAL_AUTHORITY,
            contact_role="SEN caseworker & panel clerk",
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: Record an interaction" in body
    assert "There is a problem" in body
    for message in (
        "Enter the name of who you were in contact with",
        "Enter a summary of what was said",
        "Enter a real time, for example 14:30 or 2:30pm",
    ):
        assert f">{message}</a>" in body, message  # in the summary, linked to the field
    # What was typed comes back.
    assert 'value="SEN caseworker &amp; panel clerk"' in body
    assert 'value="25:99"' in body
    assert ">Ring back tomorrow</textarea>" in body
    assert re.search(rf'value="{Channel.PHONE_CALL}"[^>]*checked', body)
    assert shown_date(body, "occurred_on") == (
        str(yesterday().day),
        str(yesterday().month),
        str(yesterday().year),
    )
    assert not Entry.objects.filter(contact_role__startswith="SEN caseworker &").exists()
    assert "Check the date" not in body


def test_a_future_date_is_refused(parent: User, freddie_family_case: Case, client_for: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(**date_fields("occurred_on", tomorrow)),
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()


def test_a_call_with_no_promise_is_saved_and_shown(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    response = client.post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(contact_name="Alex Moor", summary="Asked for the minutes."),
    )
    assert response.status_code == 302
    entry = Entry.objects.get(case=freddie_family_case, contact_name="Alex Moor")
    assert response["Location"] == f"/notes/{entry.id}/"
    assert entry.kind == EntryKind.INTERACTION
    assert entry.is_final
    assert entry.in_timeline
    assert entry.occurred_at == at(yesterday(), 10).replace(minute=15)
    assert AuditEvent.objects.filter(action=Action.INTERACTION_RECORDED, object_id=str(entry.id))
    page = client.get(response["Location"]).content.decode()
    assert "The interaction has been recorded" in page
    assert "Phone call with Alex Moor, Northmoor Council" in page
    assert "Turn this promise into a next action" not in page


def test_unticking_the_timeline_keeps_the_interaction_off_it(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    data = interaction_form(contact_name="Off The Timeline")
    del data["in_timeline"]
    response = client_for(parent).post(f"/cases/{freddie_family_case.id}/interactions/new/", data)
    assert response.status_code == 302
    assert not Entry.objects.get(contact_name="Off The Timeline").in_timeline


def test_a_promise_needs_to_say_who_made_it(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(promise=NEXT_WEEK),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert ">Select who made the promise</a>" in body
    # The date is not worked out while the form has something else to put right.
    assert "Check the date" not in body
    assert f">{NEXT_WEEK}</textarea>" in body


def test_a_date_or_who_promised_without_a_promise_is_an_error(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(
            promise_party=Party.LOCAL_AUTHORITY,
            **date_fields("promise_due_on", timezone.localdate() + timedelta(days=5)),
        ),
    )
    assert response.status_code == 400
    assert ">Enter what they promised, in their own words</a>" in response.content.decode()


def test_a_promise_with_no_date_comes_back_with_the_date_worked_out_to_check(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    url = f"/cases/{freddie_family_case.id}/interactions/new/"
    before = Entry.objects.filter(case=freddie_family_case).count()
    data = interaction_form(
        contact_name="Promise Maker", promise=NEXT_WEEK, promise_party=Party.LOCAL_AUTHORITY
    )
    response = client.post(url, data)

    # Not saved yet: shown again, with the date filled in and a banner saying where it came from.
    assert response.status_code == 200
    assert Entry.objects.filter(case=freddie_family_case).count() == before
    worked_out = date_from_words(NEXT_WEEK, yesterday(), working_days())
    assert worked_out is not None
    body = response.content.decode()
    assert "Check the date" in body
    assert f"We worked out {worked_out:%A} {worked_out.day} {worked_out:%B %Y}" in body
    assert f"“{NEXT_WEEK}”" in body
    assert shown_date(body, "promise_due_on") == (
        str(worked_out.day),
        str(worked_out.month),
        str(worked_out.year),
    )
    assert re.search(r'type="hidden" name="promise_date_checked" value="1"', body)
    # Everything else typed is kept.
    assert 'value="Promise Maker"' in body
    assert re.search(rf'value="{Party.LOCAL_AUTHORITY}"[^>]*checked', body)
    assert "<title>Error:" not in body

    # Saved as shown.
    response = client.post(
        url, {**data, **date_fields("promise_due_on", worked_out), "promise_date_checked": "1"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(case=freddie_family_case, contact_name="Promise Maker")
    assert entry.promise == NEXT_WEEK
    assert entry.promise_due_on == worked_out
    assert entry.promise_party == Party.LOCAL_AUTHORITY


@pytest.mark.parametrize("choice", ["cleared", "changed"])
def test_the_second_save_keeps_the_persons_choice(
    choice: str, parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    """Once shown the worked-out date, what the person leaves there is what is saved: a date
    they changed, or none at all. They are not asked again."""
    client = client_for(parent)
    url = f"/cases/{freddie_family_case.id}/interactions/new/"
    data = interaction_form(
        contact_name=f"Chooser {choice}", promise=NEXT_WEEK, promise_party=Party.LOCAL_AUTHORITY
    )
    assert "Check the date" in client.post(url, data).content.decode()
    chosen = None if choice == "cleared" else timezone.localdate() + timedelta(days=30)
    response = client.post(
        url, {**data, **date_fields("promise_due_on", chosen), "promise_date_checked": "1"}
    )
    assert response.status_code == 302
    assert Entry.objects.get(contact_name=f"Chooser {choice}").promise_due_on == chosen


def test_an_error_on_the_second_save_does_not_ask_about_the_date_again(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    url = f"/cases/{freddie_family_case.id}/interactions/new/"
    data = interaction_form(
        contact_name="Second Try", promise=NEXT_WEEK, promise_party=Party.LOCAL_AUTHORITY
    )
    client.post(url, data)
    second = {**data, **date_fields("promise_due_on", None), "promise_date_checked": "1"}
    response = client.post(url, {**second, "summary": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Check the date" not in body
    assert re.search(r'type="hidden" name="promise_date_checked" value="1"', body)
    assert shown_date(body, "promise_due_on") == ("", "", "")
    response = client.post(url, second)
    assert response.status_code == 302
    assert Entry.objects.get(contact_name="Second Try").promise_due_on is None


def test_words_that_give_no_date_save_at_once_without_a_date(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(
            contact_name="Vague Promiser",
            promise="They will look into it",
            promise_party=Party.LOCAL_AUTHORITY,
        ),
    )
    assert response.status_code == 302
    assert Entry.objects.get(contact_name="Vague Promiser").promise_due_on is None


def test_a_date_they_gave_is_saved_at_once(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    given = timezone.localdate() + timedelta(days=3)
    response = client_for(parent).post(
        f"/cases/{freddie_family_case.id}/interactions/new/",
        interaction_form(
            contact_name="Precise Promiser",
            promise=NEXT_WEEK,
            promise_party=Party.LOCAL_AUTHORITY,
            **date_fields("promise_due_on", given),
        ),
    )
    assert response.status_code == 302
    assert Entry.objects.get(contact_name="Precise Promiser").promise_due_on == given


def test_a_read_only_grant_cannot_record_an_interaction_or_event(
    parent: User, freddie_la_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    for url in (
        f"/cases/{freddie_la_case.id}/interactions/new/",
        f"/cases/{freddie_la_case.id}/events/new/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, interaction_form()).status_code == 404
    assert not Entry.objects.filter(case=freddie_la_case, author=parent).exists()


def test_outsiders_get_404_on_every_new_ledger_page(
    outsider: User, other_parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    jo = User.objects.get(email="jo.morgan@family.example")
    entry = interaction(
        jo, freddie_family_case, promise="A letter by Friday", due=timezone.localdate()
    )
    case_id = freddie_family_case.id
    pages = [
        f"/cases/{case_id}/interactions/new/",
        f"/cases/{case_id}/events/new/",
        f"/cases/{case_id}/timeline/",
        f"/notes/{entry.id}/",
        f"/notes/{entry.id}/promise-action/",
    ]
    clients = [client_for(user) for user in (outsider, other_parent)]
    before = AuditEvent.objects.count()  # after signing in, which is audited
    for user, client in zip((outsider, other_parent), clients, strict=True):
        for url in pages:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            body = response.content.decode()
            assert "Morgan" not in body and freddie_family_case.reference not in body
            if not url.endswith("/timeline/") and url != f"/notes/{entry.id}/":
                assert client.post(url, interaction_form()).status_code == 404, (user, url)
    assert AuditEvent.objects.count() == before
    assert not NextAction.objects.filter(source_entry=entry).exists()


# --- Timeline events -----------------------------------------------------------------------


def event_form(event_type: str, day: date, **overrides: Any) -> dict[str, Any]:
    return {
        "event_type": event_type,
        **date_fields("occurred_on", day),
        "occurred_time": "",
        "details": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("event_type", "count", "message"),
    [
        (EventType.EHC_REQUEST, 3, "3 statutory deadlines have been added"),
        (EventType.ADVICE_REQUESTED, 1, "1 statutory deadline has been added"),
    ],
)
def test_an_event_that_starts_clocks_says_how_many_deadlines_were_added(
    event_type: str,
    count: int,
    message: str,
    worker: User,
    kayden_case: Case,
    client_for: Any,
) -> None:
    client = client_for(worker)
    before = NextAction.objects.filter(case=kayden_case).count()
    response = client.post(
        f"/cases/{kayden_case.id}/events/new/",
        event_form(event_type, yesterday(), details="Sent by email."),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{kayden_case.id}/timeline/"
    added = NextAction.objects.filter(case=kayden_case).count() - before
    assert added == count
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert f"The event has been recorded. {message} to the case's next actions" in page
    assert EventType(event_type).label in page


def test_an_event_that_starts_no_clock_says_only_that_it_was_recorded(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    before = NextAction.objects.filter(case=kayden_case).count()
    response = client.post(
        f"/cases/{kayden_case.id}/events/new/",
        event_form(EventType.EXCLUSION, yesterday(), occurred_time="9:30am"),
    )
    assert response.status_code == 302
    assert NextAction.objects.filter(case=kayden_case).count() == before
    entry = Entry.objects.get(case=kayden_case, event_type=EventType.EXCLUSION)
    assert timezone.localtime(entry.occurred_at).time() == time(9, 30)
    page = client.get(response["Location"]).content.decode()
    assert "The event has been recorded<" in page or "The event has been recorded\n" in page
    assert "statutory deadline" not in page.split("Timeline</h1>")[0]


def test_event_errors_keep_what_was_typed(worker: User, kayden_case: Case, client_for: Any) -> None:
    url = f"/cases/{kayden_case.id}/events/new/"
    response = client_for(worker).post(
        url, {**event_form("", yesterday()), "details": "The school rang <about> it"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: Add a timeline event" in body
    assert ">Select what happened</a>" in body
    assert ">The school rang &lt;about&gt; it</textarea>" in body
    assert shown_date(body, "occurred_on")[2] == str(yesterday().year)
    # Events the service writes itself are never offered.
    assert f'value="{EventType.CASE_CLOSED}"' not in body
    assert f'value="{EventType.DEADLINE_MET}"' not in body


def test_something_else_needs_describing_and_a_future_date_is_refused(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    url = f"/cases/{kayden_case.id}/events/new/"
    response = client.post(url, event_form(EventType.OTHER, yesterday()))
    assert response.status_code == 400
    assert ">Describe what happened</a>" in response.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, event_form(EventType.MEETING, tomorrow))
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not Entry.objects.filter(case=kayden_case, kind=EntryKind.EVENT, author=worker).exists()


def test_correcting_an_events_date_on_its_page_works_its_deadlines_out_again(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    request_day = timezone.localdate() - timedelta(days=20)
    entry = event(worker, kayden_case, EventType.EHC_REQUEST, request_day)
    decision = NextAction.objects.get(source_entry=entry, statutory_rule="send-regs-5-1")
    assert decision.due_on == request_day + timedelta(weeks=6)
    corrected = request_day - timedelta(days=7)
    client = client_for(worker)
    response = client.post(
        f"/notes/{entry.id}/correct/",
        {
            "reason": "wrong_date_or_time",
            "explanation": "The request was sent a week earlier.",
            "body": "The request was emailed on the earlier date.",
            **date_fields("corrected_on", corrected),
            "corrected_time": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert decision.due_on == decision.statutory_due_on == corrected + timedelta(weeks=6)
    assert "was corrected" in decision.recalculated_note


def test_a_correct_time_needs_a_correct_date(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    entry = event(worker, kayden_case, EventType.MEETING, yesterday())
    response = client_for(worker).post(
        f"/notes/{entry.id}/correct/",
        {
            "reason": "wrong_date_or_time",
            "explanation": "It started later.",
            "body": "The meeting started at 2pm.",
            **date_fields("corrected_on", None),
            "corrected_time": "2pm",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert ">Enter the correct date, or leave the time blank</a>" in body
    assert 'value="2pm"' in body


def test_a_correct_date_is_for_a_wrong_date_or_time(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    """The service keeps a correct date only when that is what was wrong: the form says so,
    rather than dropping the date without a word."""
    entry = event(worker, kayden_case, EventType.EHC_REQUEST, yesterday())
    due = NextAction.objects.get(source_entry=entry, statutory_rule="send-regs-5-1").due_on
    response = client_for(worker).post(
        f"/notes/{entry.id}/correct/",
        {
            "reason": "factual_error",
            "explanation": "The request was sent earlier.",
            "body": "It was sent on the earlier date.",
            **date_fields("corrected_on", yesterday() - timedelta(days=3)),
        },
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Select ‘Wrong date or time’ as the reason, or leave the correct date blank" in body
    assert not Entry.objects.filter(corrects=entry).exists()
    assert NextAction.objects.get(source_entry=entry, statutory_rule="send-regs-5-1").due_on == due


def test_a_wrong_date_on_an_event_with_deadlines_needs_the_correct_date(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    entry = event(worker, kayden_case, EventType.EHC_REQUEST, yesterday())
    response = client_for(worker).post(
        f"/notes/{entry.id}/correct/",
        {
            "reason": "wrong_date_or_time",
            "explanation": "Wrong day.",
            "body": "It was another day.",
            **date_fields("corrected_on", None),
        },
    )
    assert response.status_code == 400
    assert "so that its deadlines can be worked out again" in response.content.decode()
    assert 'value="Wrong day."' in response.content.decode() or ">Wrong day.</textarea>" in (
        response.content.decode()
    )


# --- The timeline ----------------------------------------------------------------------------


def test_the_timeline_shows_events_timeline_entries_and_deadlines_but_not_plain_notes(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    today = timezone.localdate()
    # Requested 50 days ago: the decision (6 weeks) is missed, the plan (20 weeks) to come.
    event(worker, kayden_case, EventType.EHC_REQUEST, today - timedelta(days=50))
    interaction(worker, kayden_case, contact_name="On Timeline", in_timeline=True)
    interaction(worker, kayden_case, contact_name="Not On Timeline", in_timeline=False)
    plain_note(worker, kayden_case, "A plain phone note")

    response = client_for(worker).get(f"/cases/{kayden_case.id}/timeline/")
    assert response.status_code == 200
    body = response.content.decode()
    shown = titles(body)
    assert "EHC needs assessment requested" in shown
    assert "Phone call with On Timeline, Northmoor Council" in shown
    assert (
        "Deadline missed: Decide whether to carry out an EHC needs assessment, and tell the family"
        in shown
    )
    assert "Deadline: The final EHC plan is issued" in shown
    assert "Not On Timeline" not in body
    assert "A plain phone note" not in body
    # Oldest first: the request, then its missed deadline, then yesterday's call, then the plan.
    order = [
        "EHC needs assessment requested",
        "Deadline missed: Decide whether to carry out an EHC needs assessment, and tell the family",
        "Phone call with On Timeline, Northmoor Council",
        "Deadline: The final EHC plan is issued",
    ]
    assert [title for title in shown if title in order] == order
    assert ">Missed</strong>" in body
    assert "SEND Regulations 2014, reg 13(2)" in body
    assert "Add a timeline event" in body  # Amira works on the case


def test_cancelled_and_met_deadlines_are_not_listed_as_deadlines(
    worker: User, kayden_case: Case, client_for: Any
) -> None:

    event(worker, kayden_case, EventType.EHC_REQUEST, timezone.localdate() - timedelta(days=10))
    actions = NextAction.objects.filter(case=kayden_case, statutory_due_on__isnull=False)
    cancel_action(
        actor=worker, action=actions.get(statutory_rule="send-regs-10-1"), reason="Not needed"
    )
    complete_action(
        actor=worker,
        action=actions.get(statutory_rule="send-regs-5-1"),
        done_on=timezone.localdate(),
    )
    body = client_for(worker).get(f"/cases/{kayden_case.id}/timeline/").content.decode()
    shown = titles(body)
    assert not any("Notice of a decision not to issue" in title for title in shown)
    # Met: recorded as an automatic event, not shown as a deadline still to come.
    assert not any(title.startswith("Deadline: Decide whether") for title in shown)
    assert any(title.startswith("Statutory deadline met: Decide whether") for title in shown)
    assert "Deadline: The final EHC plan is issued" in shown


def test_a_lawful_exception_shows_the_laws_date_beside_the_new_one_on_the_timeline(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    from caseledger.actions.clocks import ExceptionDetails, record_exception

    event(worker, kayden_case, EventType.EHC_REQUEST, timezone.localdate() - timedelta(days=10))
    action = NextAction.objects.get(case=kayden_case, statutory_rule="send-regs-5-1")
    law = action.statutory_due_on
    assert law is not None
    record_exception(
        actor=worker,
        action=action,
        details=ExceptionDetails(
            kind="exceptional_personal",
            starts_on=timezone.localdate(),
            ends_on=None,
            evidence="A letter from the GP.",
            revised_due_on=law + timedelta(days=14),
            approved_by_name="Sam Jones, SEN team manager",
        ),
    )
    body = client_for(worker).get(f"/cases/{kayden_case.id}/timeline/").content.decode()
    assert f"The law's date was {law.day} {law:%B %Y}; a lawful exception was recorded" in body
    new = law + timedelta(days=14)
    assert f'datetime="{new:%Y-%m-%d}"' in body


def test_a_read_only_reader_sees_the_timeline_without_the_buttons(
    parent: User, worker: User, freddie_la_case: Case, client_for: Any
) -> None:
    event(worker, freddie_la_case, EventType.REFERRAL, yesterday())
    response = client_for(parent).get(f"/cases/{freddie_la_case.id}/timeline/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Referral received" in body
    assert "Add a timeline event" not in body
    assert "Record an interaction" not in body


def test_reading_the_timeline_is_audited(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client_for(parent).get(f"/cases/{freddie_family_case.id}/timeline/")
    read = AuditEvent.objects.filter(
        action=Action.CHRONOLOGY_VIEWED, actor=parent, case_id=freddie_family_case.id
    ).latest("sequence")
    assert read.detail["timeline"] is True
    assert read.detail["entries"]


def test_the_demo_timeline_shows_the_request_the_call_and_the_running_clocks(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    body = client_for(parent).get(f"/cases/{freddie_family_case.id}/timeline/").content.decode()
    shown = titles(body)
    assert "EHC needs assessment requested" in shown
    assert "Phone call with Sam Okafor, Northmoor Council" in shown
    # The acknowledgement email was not put on the timeline.
    assert "Email with SEN team inbox, Northmoor Council" not in shown
    assert sum(title.startswith("Deadline: ") for title in shown) == 3


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_timeline_queries_do_not_grow_with_events_and_deadlines(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    url = f"/cases/{kayden_case.id}/timeline/"
    today = timezone.localdate()
    event(worker, kayden_case, EventType.EHC_REQUEST, today - timedelta(days=50))
    interaction(worker, kayden_case, contact_name="First Caller", in_timeline=True, promise="X")
    before = queries_for(client, url)
    for index in range(4):
        event(worker, kayden_case, EventType.REFERRAL, today - timedelta(days=index + 1))
        event(worker, kayden_case, EventType.SAR, today - timedelta(days=index + 60))
        interaction(worker, kayden_case, contact_name=f"Caller {index}", in_timeline=True)
    body = client.get(url).content.decode()
    assert sum(title.startswith("Deadline") for title in titles(body)) > 10
    assert queries_for(client, url) == before


# --- A promise on the interaction's page ---------------------------------------------------------


def test_the_one_click_button_is_for_people_who_work_on_the_case(
    worker: User, parent: User, manager: User, freddie_la_case: Case, client_for: Any
) -> None:
    due = timezone.localdate() + timedelta(days=9)
    entry = interaction(worker, freddie_la_case, promise="The report by the 9th", due=due)
    url = f"/notes/{entry.id}/"
    for user in (worker, manager):
        body = client_for(user).get(url).content.decode()
        assert f'action="/notes/{entry.id}/promise-action/"' in body
        assert "Turn this promise into a next action</button>" in body
    # Jo holds a read-only grant: she reads the promise, and cannot act on it.
    body = client_for(parent).get(url).content.decode()
    assert "The report by the 9th" in body
    assert "Turn this promise into a next action" not in body
    assert client_for(parent).post(f"/notes/{entry.id}/promise-action/").status_code == 404
    assert not NextAction.objects.filter(source_entry=entry).exists()


def test_after_one_click_the_page_shows_the_tracked_action(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    due = timezone.localdate() + timedelta(days=6)
    entry = interaction(parent, freddie_family_case, promise="Call back on Friday", due=due)
    response = client.post(f"/notes/{entry.id}/promise-action/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{freddie_family_case.id}/actions/"
    action = NextAction.objects.get(source_entry=entry)
    body = client.get(f"/notes/{entry.id}/").content.decode()
    assert f"This promise is a next action, due {due.day} {due:%B %Y}" in body
    assert f"#action-{action.id}" in body
    assert "Turn this promise into a next action" not in body


def test_a_promise_with_no_date_links_to_the_form_instead(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    entry = interaction(worker, kayden_case, promise="They will send the minutes")
    body = client_for(worker).get(f"/notes/{entry.id}/").content.decode()
    assert f'href="/notes/{entry.id}/promise-action/">Turn this promise into a next action' in body
    assert "you will be asked for a due date" in body
    assert "no date given" in body


def test_an_event_page_lists_the_deadlines_it_set(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    entry = event(worker, kayden_case, EventType.EHC_REQUEST, yesterday())
    body = client_for(worker).get(f"/notes/{entry.id}/").content.decode()
    assert "Statutory deadlines this set" in body
    for action in NextAction.objects.filter(source_entry=entry):
        assert action.description in body
        assert f"#action-{action.id}" in body
    assert NextAction.objects.filter(source_entry=entry, status=ActionStatus.OPEN).count() == 3


def test_a_promise_turned_into_an_action_is_on_the_timeline_until_it_is_kept(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    """The date someone promised is a date the case waits on: it stands on the timeline
    beside the call it was made in, and is shown as not kept once it has passed."""
    today = timezone.localdate()
    kept = action_from_promise(
        actor=worker,
        entry=interaction(worker, kayden_case, promise="The minutes by Friday", due=today),
    )
    broken = action_from_promise(
        actor=worker,
        entry=interaction(
            worker, kayden_case, promise="A call back", due=today - timedelta(days=1)
        ),
    )
    client = client_for(worker)
    shown = titles(client.get(f"/cases/{kayden_case.id}/timeline/").content.decode())
    assert f"Promised: {kept.description}" in shown
    assert f"Promise not kept by its date: {broken.description}" in shown

    complete_action(actor=worker, action=kept, done_on=today)
    shown = titles(client.get(f"/cases/{kayden_case.id}/timeline/").content.decode())
    assert not any(kept.description in title for title in shown)
    assert f"Promise not kept by its date: {broken.description}" in shown


def test_the_timeline_reads_in_a_fixed_number_of_queries(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    """No query per entry or per deadline, however long the case's timeline grows."""
    client = client_for(worker)
    url = f"/cases/{kayden_case.id}/timeline/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    event(worker, kayden_case, EventType.EHC_REQUEST, timezone.localdate() - timedelta(days=20))
    interaction(worker, kayden_case, promise="A letter", due=timezone.localdate())
    before = queries()
    for days in range(5):
        event(worker, kayden_case, EventType.MEETING, timezone.localdate() - timedelta(days=days))
        interaction(
            worker,
            kayden_case,
            promise=f"Letter {days}",
            due=timezone.localdate() + timedelta(days=days),
        )
    for entry in Entry.objects.filter(case=kayden_case, promise__startswith="Letter "):
        action_from_promise(actor=worker, entry=entry)
    assert queries() == before
