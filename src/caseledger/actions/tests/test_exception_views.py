"""Statutory deadlines through the real pages (issue 4): lawful exceptions, the locked due
date of a clock action, and a promise turned into a next action."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions import services
from caseledger.actions.models import LawfulException, NextAction, Party
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
)
from caseledger.ledger.models import Channel, Entry, EventType

pytestmark = pytest.mark.django_db

DECISION = "send-regs-5-1"  # decide whether to assess: the law allows exceptions (reg 5(4))


def day_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def clock(
    actor: User,
    case: Case,
    event_type: str = EventType.EHC_REQUEST,
    *,
    rule: str = DECISION,
    days_ago: int = 10,
) -> NextAction:
    """The deadline `rule` started by an event of `event_type` recorded `days_ago`."""
    day = timezone.localdate() - timedelta(days=days_ago)
    _entry, started = record_timeline_event(
        actor=actor,
        case=case,
        content=EventContent(
            occurred_at=timezone.make_aware(datetime.combine(day, time(0, 0))),
            event_type=event_type,
        ),
    )
    return next(action for action in started if action.statutory_rule == rule)


def plain_action(actor: User, case: Case) -> NextAction:
    return services.add_action(
        actor=actor,
        case=case,
        details=services.ActionDetails(
            description="Send the minutes",
            due_on=timezone.localdate() + timedelta(days=5),
            responsible_party=Party.FAMILY,
        ),
    )


def demo_decision(case: Case) -> NextAction:
    """The demo's running clock on the Morgans' own case: the decision whether to assess."""
    return NextAction.objects.get(case=case, statutory_rule=DECISION, status="open")


def exception_form(action: NextAction, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "exceptional_personal",
        **day_fields("starts_on", timezone.localdate() - timedelta(days=2)),
        **day_fields("ends_on", None),
        "evidence": "A letter from Freddie's GP, kept in the family's files.",
        "approved_by_name": "Sam Jones, SEN team manager, Northmoor Council",
        **day_fields("revised_due_on", action.due_on + timedelta(days=14)),
    }
    data.update(overrides)
    return data


# --- Lawful exceptions ----------------------------------------------------------------------------


def test_the_exception_page_shows_the_deadline_and_only_the_lawful_reasons(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    response = client_for(parent).get(f"/actions/{action.id}/exception/")
    assert response.status_code == 200
    body = text(response)
    assert "Record a lawful exception" in body
    assert "SEND Regulations 2014, reg 5(1)" in body
    law = action.statutory_due_on
    assert law is not None
    assert f"{law.day} {law:%B %Y}" in body
    kinds = re.findall(r'name="kind" type="radio" value="([a-z_]+)"', body)
    assert kinds == [
        "school_closure",
        "early_years_closure",
        "exceptional_personal",
        "absent_from_area",
    ]
    # A family has no managers to choose from: they name who approved it.
    assert 'name="approved_by"' not in body
    assert "Name and role of who approved it" in body


def test_a_family_records_an_exception_naming_the_approver(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    action = demo_decision(freddie_family_case)
    law, revised = action.statutory_due_on, action.due_on + timedelta(days=14)
    assert law is not None
    response = client.post(f"/actions/{action.id}/exception/", exception_form(action))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{freddie_family_case.id}/actions/"
    action.refresh_from_db()
    assert action.due_on == revised
    assert action.statutory_due_on == law  # the law's date stays on the record
    exception = LawfulException.objects.get(action=action)
    assert exception.approved_by is None
    assert exception.approved_by_name == "Sam Jones, SEN team manager, Northmoor Council"
    assert exception.recorded_by == parent
    assert AuditEvent.objects.filter(action=Action.EXCEPTION_RECORDED, object_id=str(action.id))

    actions_page = text(client.get(response["Location"]))
    assert (
        f"The exception has been recorded. The action is now due {revised.day} {revised:%B %Y}"
        in actions_page
    )
    assert f"Lawful exception: the law's date was {law.day} {law:%b %Y}" in actions_page
    # The exception page lists it, with who approved it.
    again = text(client.get(f"/actions/{action.id}/exception/"))
    assert "Exceptions already recorded" in again
    assert "approved by Sam Jones, SEN team manager, Northmoor Council" in again


def test_a_council_chooses_the_approver_from_its_managers(
    worker: User, manager: User, kayden_case: Case, client_for: Any
) -> None:
    action = clock(worker, kayden_case)
    client = client_for(worker)
    body = text(client.get(f"/actions/{action.id}/exception/"))
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body))
    assert options.get(str(manager.id)) == "Dan Okafor"
    assert str(worker.id) not in options  # a social worker does not approve exceptions
    assert options.get("someone-else") == "Someone outside this organisation"
    response = client.post(
        f"/actions/{action.id}/exception/",
        exception_form(action, approved_by=str(manager.id), approved_by_name=""),
    )
    assert response.status_code == 302
    assert LawfulException.objects.get(action=action).approved_by == manager


def test_someone_outside_the_council_must_be_named(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    action = clock(worker, kayden_case)
    response = client_for(worker).post(
        f"/actions/{action.id}/exception/",
        exception_form(action, approved_by="someone-else", approved_by_name=""),
    )
    assert response.status_code == 400
    assert ">Enter the name and role of who approved the exception</a>" in text(response)


def test_an_empty_exception_form_gets_one_message_per_question(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    action = clock(worker, kayden_case)
    response = client_for(worker).post(f"/actions/{action.id}/exception/", {"csrf": "x"})
    assert response.status_code == 400
    body = text(response)
    summary = body.split('govuk-error-summary__list"')[1].split("</ul>")[0]
    messages = re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)
    assert messages == [
        "Select the reason the time limit cannot be met",
        "Enter the date the circumstances began",
        "Describe the evidence for the exception",
        "Select who approved the exception",
        "Enter the new date it must be done by",
    ]


def test_exception_errors_keep_what_was_typed(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    due = action.due_on
    response = client_for(parent).post(
        f"/actions/{action.id}/exception/",
        exception_form(
            action,
            kind="",
            evidence="The GP's letter & the hospital's",
            **day_fields("revised_due_on", due),  # not after the current due date
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert ">Select the reason the time limit cannot be met</a>" in body
    assert ">The GP&#x27;s letter &amp; the hospital&#x27;s</textarea>" in body
    assert 'value="Sam Jones, SEN team manager, Northmoor Council"' in body
    action.refresh_from_db()
    assert action.due_on == due
    assert not LawfulException.objects.filter(action=action).exists()


def test_the_new_date_must_be_later_than_the_current_one(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    due = action.due_on
    response = client_for(parent).post(
        f"/actions/{action.id}/exception/",
        exception_form(action, **day_fields("revised_due_on", due)),
    )
    assert response.status_code == 400
    body = text(response)
    assert f"The new date must be after the current due date, {due.day} {due:%B %Y}" in body
    assert re.search(rf'name="revised_due_on-day"[^>]*value="{due.day}"', body)


def test_the_circumstances_cannot_end_before_they_began(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    today = timezone.localdate()
    response = client_for(parent).post(
        f"/actions/{action.id}/exception/",
        exception_form(action, **day_fields("ends_on", today - timedelta(days=5))),
    )
    assert response.status_code == 400
    assert "must be the same as or after the date they began" in text(response)


def test_a_subject_access_extension_is_capped_by_the_law(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    action = clock(worker, kayden_case, EventType.SAR, rule="uk-gdpr-12-3", days_ago=5)
    body = text(client_for(worker).get(f"/actions/{action.id}/exception/"))
    assert re.findall(r'name="kind" type="radio" value="([a-z_]+)"', body) == ["sar_extension"]
    response = client_for(worker).post(
        f"/actions/{action.id}/exception/",
        exception_form(
            action,
            kind="sar_extension",
            approved_by="someone-else",
            approved_by_name="Data protection officer",
            **day_fields("revised_due_on", action.due_on + timedelta(days=200)),
        ),
    )
    assert response.status_code == 400
    assert "The law allows an extension to" in text(response)


def test_no_exception_page_for_a_deadline_the_law_allows_no_exception_to(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    referral = clock(worker, kayden_case, EventType.REFERRAL, rule="wt-2023-referral", days_ago=0)
    ordinary = plain_action(worker, kayden_case)
    for action in (referral, ordinary):
        url = f"/actions/{action.id}/exception/"
        assert client.get(url).status_code == 404
        assert (
            client.post(url, exception_form(action, approved_by="someone-else")).status_code == 404
        )
        action.refresh_from_db()
        assert not LawfulException.objects.filter(action=action).exists()
    # Nor a link to one on the case's next actions.
    body = client.get(f"/cases/{kayden_case.id}/actions/").content.decode()
    assert f"/actions/{referral.id}/exception/" not in body
    assert f"/actions/{ordinary.id}/exception/" not in body


def test_no_exception_for_a_closed_deadline(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    action = clock(worker, kayden_case)
    services.complete_action(actor=worker, action=action, done_on=timezone.localdate())
    assert client_for(worker).get(f"/actions/{action.id}/exception/").status_code == 404


def test_only_people_who_work_on_the_case_record_exceptions(
    advocate: User,
    outsider: User,
    other_parent: User,
    worker: User,
    freddie_family_case: Case,
    client_for: Any,
) -> None:
    action = demo_decision(freddie_family_case)
    due = action.due_on
    url = f"/actions/{action.id}/exception/"
    # Ruth reads the case (a grant); the others cannot see it at all.
    for user in (advocate, outsider, other_parent, worker):
        client = client_for(user)
        response = client.get(url)
        assert response.status_code == 404, user
        assert "Morgan" not in response.content.decode()
        assert client.post(url, exception_form(action)).status_code == 404, user
    action.refresh_from_db()
    assert action.due_on == due
    assert not LawfulException.objects.filter(action=action).exists()


# --- A clock action's date is not the user's to change --------------------------------------------


def test_changing_a_clock_action_has_no_due_date_or_basis(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    body = text(client_for(parent).get(f"/actions/{action.id}/edit/"))
    assert 'name="due_on-day"' not in body
    assert 'name="statutory_rule"' not in body
    assert "Its date cannot be changed here" in body
    assert f'href="/actions/{action.id}/exception/"' in body


def test_a_forged_due_date_on_a_clock_action_changes_nothing_but_what_may_change(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    action = demo_decision(freddie_family_case)
    due, law, rule = action.due_on, action.statutory_due_on, action.statutory_rule
    response = client_for(parent).post(
        f"/actions/{action.id}/edit/",
        {
            "description": "Chase the council for its decision whether to assess",
            "responsible": f"user:{parent.id}",
            "priority": "urgent",
            **day_fields("due_on", due + timedelta(days=60)),
            "statutory_rule": "",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.statutory_due_on, action.statutory_rule) == (due, law, rule)
    assert action.description == "Chase the council for its decision whether to assess"
    assert action.responsible_user == parent
    assert action.priority == "urgent"
    changed = AuditEvent.objects.filter(action=Action.ACTION_CHANGED, object_id=str(action.id))
    assert changed.count() == 1
    assert "due_on" not in (changed.get().changes or {})


def test_an_ordinary_action_keeps_its_due_date_field(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    action = plain_action(worker, kayden_case)
    body = client_for(worker).get(f"/actions/{action.id}/edit/").content.decode()
    assert 'name="due_on-day"' in body
    assert 'name="statutory_rule"' in body
    assert "Its date cannot be changed here" not in body


# --- A promise becomes a next action --------------------------------------------------------------


def promise(
    actor: User, case: Case, *, words: str = "A decision by Friday", due: date | None = None
) -> Entry:
    return record_interaction(
        actor=actor,
        case=case,
        content=InteractionContent(
            occurred_at=timezone.now() - timedelta(hours=2),
            channel=Channel.PHONE_CALL,
            contact_name="Sam Okafor",
            contact_role="SEN caseworker",
            contact_organisation="Northmoor Council",
            summary="Rang about the request.",
            promise=words,
            promise_due_on=due,
            promise_party=Party.LOCAL_AUTHORITY,
        ),
    )


def test_one_click_turns_a_dated_promise_into_a_next_action_once(
    parent: User, freddie_family_case: Case, client_for: Any
) -> None:
    client = client_for(parent)
    due = timezone.localdate() + timedelta(days=4)
    entry = promise(parent, freddie_family_case, due=due)
    url = f"/notes/{entry.id}/promise-action/"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{freddie_family_case.id}/actions/"
    action = NextAction.objects.get(source_entry=entry)
    assert action.description == "A decision by Friday (promised by Sam Okafor, Northmoor Council)"
    assert action.due_on == due
    assert action.responsible_party == Party.LOCAL_AUTHORITY
    assert action.statutory_due_on is None
    page = text(client.get(response["Location"]))
    assert "The promise is now a next action" in page
    assert "A decision by Friday (promised by Sam Okafor, Northmoor Council)" in page
    assert f'href="/notes/{entry.id}/"' in page  # "Where it was promised"

    # A second click (a double submit, an old tab) adds nothing: it goes to the action.
    again = client.post(url)
    assert again.status_code == 302
    assert again["Location"] == f"/cases/{freddie_family_case.id}/actions/#action-{action.id}"
    assert client.get(url)["Location"].endswith(f"#action-{action.id}")
    assert NextAction.objects.filter(source_entry=entry).count() == 1


def chase_the_minutes(due: date | None) -> dict[str, str]:
    """The next-action form, as a person changes it from the promise."""
    return {
        "description": "Chase the minutes",
        "responsible": "party:local_authority",
        "priority": "important",
        **day_fields("due_on", due),
    }


def test_a_promise_with_no_date_opens_the_action_form_filled_in(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    entry = promise(worker, kayden_case, words="They will send the minutes")
    url = f"/notes/{entry.id}/promise-action/"
    body = text(client.get(url))
    assert "They will send the minutes (promised by Sam Okafor, Northmoor Council)" in body
    assert "No date was given, so enter the date it is due" in body
    assert re.search(r'<option value="party:local_authority"[^>]*selected', body)
    assert re.search(r'name="due_on-day"[^>]*value=""', body)

    # Without a date it is refused, keeping what was there.
    response = client.post(url, chase_the_minutes(None))
    assert response.status_code == 400
    body = text(response)
    assert ">Enter the due date</a>" in body
    assert 'value="Chase the minutes"' in body
    assert not NextAction.objects.filter(source_entry=entry).exists()

    due = timezone.localdate() + timedelta(days=10)
    response = client.post(url, chase_the_minutes(due))
    assert response.status_code == 302
    action = NextAction.objects.get(source_entry=entry)
    assert (action.description, action.due_on) == ("Chase the minutes", due)


def test_a_dated_promise_opened_as_a_form_is_filled_in_with_its_date_and_kept_as_typed(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    """The interaction's page offers a button; the form behind the same address (typed, or
    bookmarked) starts from the date given, and what is typed in it is what is saved."""
    client = client_for(worker)
    due = timezone.localdate() + timedelta(days=8)
    entry = promise(worker, kayden_case, due=due)
    url = f"/notes/{entry.id}/promise-action/"
    body = text(client.get(url))
    assert re.search(rf'name="due_on-day"[^>]*value="{due.day}"', body)
    assert "No date was given" not in body
    response = client.post(
        url,
        {
            "description": "Ring Sam if there is no decision",
            "responsible": f"user:{worker.id}",
            "priority": "urgent",
            **day_fields("due_on", due + timedelta(days=1)),
        },
    )
    assert response.status_code == 302
    action = NextAction.objects.get(source_entry=entry)
    assert action.description == "Ring Sam if there is no decision"
    assert action.responsible_user == worker
    assert action.due_on == due + timedelta(days=1)


def test_only_an_interaction_with_a_promise_can_become_an_action(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    no_promise = record_interaction(
        actor=worker,
        case=kayden_case,
        content=InteractionContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            channel=Channel.EMAIL,
            contact_name="School office",
            summary="Term dates sent.",
        ),
    )
    event, _ = record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(occurred_at=timezone.now(), event_type=EventType.MEETING),
    )
    for entry in (no_promise, event):
        url = f"/notes/{entry.id}/promise-action/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not NextAction.objects.filter(source_entry__in=[no_promise, event]).exists()


def test_promises_are_404_for_anyone_who_cannot_work_on_the_case(
    parent: User,
    outsider: User,
    colleague: User,
    worker: User,
    freddie_la_case: Case,
    client_for: Any,
) -> None:
    entry = promise(worker, freddie_la_case, due=timezone.localdate() + timedelta(days=3))
    url = f"/notes/{entry.id}/promise-action/"
    # Jo holds a read-only grant on this case; Lewis works in the team but not on this case.
    for user in (parent, outsider, colleague):
        client = client_for(user)
        assert client.get(url).status_code == 404, user
        response = client.post(url)
        assert response.status_code == 404, user
        assert "Morgan" not in response.content.decode()
    assert not NextAction.objects.filter(source_entry=entry).exists()
