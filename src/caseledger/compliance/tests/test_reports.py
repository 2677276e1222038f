"""The dashboards' tables with known data: what appears and what does not.

Amira (worker) holds Kayden's case (child in need) in Dan's Children in Need Team North;
Lewis holds Noah's (child protection) in the same team; Priya is Northmoor's admin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caseledger.cases.models import Case, CaseType
from caseledger.compliance import reports
from caseledger.compliance.reports import Period, Scope, overdue_visits, trends
from caseledger.compliance.services import set_visit_intervals
from caseledger.compliance.tables import SECTIONS
from caseledger.compliance.tests.factories import (
    draft,
    final_note,
    finding,
    reckoner_for,
    scope_of,
    this_period,
    visit_note,
    visit_type_not_to_child,
)
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.models import SignificantCategory

pytestmark = pytest.mark.django_db


def entry_ids(
    section: str, scope: Scope, period: Period | None = None, case: Case | None = None
) -> set[object]:
    assert case is not None
    table = SECTIONS[section].build(scope, period or this_period(), reckoner_for(case), None)
    return {getattr(row, "entry_id", None) for row in table.rows}


def test_a_note_finalised_late_appears_and_one_on_time_does_not(worker, kayden_case):
    late = final_note(worker, kayden_case, days_ago=20, title="Late call")
    on_time = final_note(worker, kayden_case, title="Prompt call")
    assert late.finalised_late and not on_time.finalised_late
    found = entry_ids("late-notes", scope_of(kayden_case), case=kayden_case)
    assert late.id in found
    assert on_time.id not in found
    # The organisation sees it too; another team does not.
    org = Scope(kayden_case.organisation)
    assert late.id in entry_ids("late-notes", org, case=kayden_case)


def test_a_late_note_about_an_event_outside_the_period_is_left_out(worker, kayden_case):
    late = final_note(worker, kayden_case, days_ago=20)
    today = timezone.localdate()
    before = Period(today - timedelta(days=10), today)
    assert late.id not in entry_ids("late-notes", scope_of(kayden_case), before, kayden_case)


def test_a_draft_past_the_limit_appears_by_author_and_a_fresh_one_does_not(
    worker, colleague, kayden_case, noah_case
):
    old = draft(worker, kayden_case, days_ago=20)
    draft(worker, kayden_case)  # started today: not yet due
    draft(colleague, noah_case, days_ago=30)
    scope = scope_of(kayden_case)
    reckoner = reckoner_for(kayden_case)
    table = reports.overdue_drafts_table(scope, reckoner, None)
    mine = [row for row in table.rows if row.author == worker.full_name]
    started = timezone.localdate(old.occurred_at)
    assert started in {row.started_on for row in mine}
    assert all(row.due_on < reckoner.today and row.working_days_overdue > 0 for row in mine)
    assert timezone.localdate() not in {row.started_on for row in mine}
    # The by-author summary counts them; no row carries the draft's words (rule 3).
    by_author = {
        item.author: item.drafts for item in reports.overdue_drafts_by_author(scope, reckoner)
    }
    assert by_author[worker.full_name] == len(mine)
    assert by_author[colleague.full_name] >= 1
    assert not hasattr(mine[0], "heading")


def test_a_visit_without_a_child_seen_answer_appears(org_admin, worker, kayden_case):
    school_visit = visit_type_not_to_child(org_admin)
    unanswered = final_note(
        worker,
        kayden_case,
        title="Visit to Kayden's school",
        contact_type=school_visit,
        visit_statutory=False,
        visit_announcement="announced",
    )
    answered = visit_note(worker, kayden_case, seen=True)
    phone = final_note(worker, kayden_case)
    found = entry_ids("visits-without-answer", scope_of(kayden_case), case=kayden_case)
    assert unanswered.id in found
    assert answered.id not in found
    assert phone.id not in found


def test_a_child_not_seen_within_the_interval_for_their_type_of_case(
    org_admin, worker, kayden_case
):
    """Kayden's child in need case opened 120 days ago: every 28 days by default."""
    today = timezone.localdate()
    visit_note(worker, kayden_case, seen=True, days_ago=40)
    rows = {row.case_id: row for row in overdue_visits(scope_of(kayden_case), today)}
    row = rows[kayden_case.id]
    assert row.interval_days == 28
    seen_on = timezone.localdate(timezone.now() - timedelta(days=40, hours=2))
    assert row.last_seen_on == seen_on
    assert row.due_on == seen_on + timedelta(days=28)
    assert row.days_since == (today - seen_on).days
    assert row.worker == worker.full_name
    # Seen on a visit today: no longer overdue.
    visit_note(worker, kayden_case, seen=True)
    assert kayden_case.id not in {
        row.case_id for row in overdue_visits(scope_of(kayden_case), today)
    }


def test_a_visit_where_the_child_was_not_seen_does_not_stop_the_clock(worker, kayden_case):
    visit_note(worker, kayden_case, seen=True, days_ago=40)
    visit_note(worker, kayden_case, seen=False)
    found = {row.case_id for row in overdue_visits(scope_of(kayden_case), timezone.localdate())}
    assert kayden_case.id in found


def test_an_organisations_own_interval_replaces_the_default(org_admin, worker, kayden_case):
    visit_note(worker, kayden_case, seen=True, days_ago=20)
    scope = scope_of(kayden_case)
    today = timezone.localdate()
    assert kayden_case.id not in {row.case_id for row in overdue_visits(scope, today)}
    set_visit_intervals(
        actor=org_admin,
        organisation=kayden_case.organisation,
        intervals={CaseType.CHILD_IN_NEED: 10},
    )
    rows = {row.case_id: row for row in overdue_visits(scope, today)}
    assert rows[kayden_case.id].interval_days == 10
    # Not monitored at all: never listed.
    set_visit_intervals(
        actor=org_admin,
        organisation=kayden_case.organisation,
        intervals={CaseType.CHILD_IN_NEED: None},
    )
    assert kayden_case.id not in {row.case_id for row in overdue_visits(scope, today)}


def test_a_case_never_visited_counts_from_the_day_it_opened(org_admin, noah_case):
    """Noah's child protection case opened 60 days ago and nobody has seen him on a visit
    since; every 14 days by default. Ethan's case opened 3 days ago: not yet due."""
    today = timezone.localdate()
    rows = {row.case_id: row for row in overdue_visits(scope_of(noah_case), today)}
    row = rows[noah_case.id]
    assert row.last_seen_on is None
    assert row.interval_days == 14
    assert row.due_on == noah_case.opened_on + timedelta(days=14)
    assert row.days_since == (today - noah_case.opened_on).days
    assert not any(row.child_name == "Ethan Brooks" for row in rows.values())
    set_visit_intervals(
        actor=org_admin,
        organisation=noah_case.organisation,
        intervals={CaseType.CHILD_PROTECTION: 365},
    )
    rows = {row.case_id: row for row in overdue_visits(scope_of(noah_case), timezone.localdate())}
    assert noah_case.id not in rows  # opened 60 days ago, well within a year


def test_significant_events_in_the_period_appear_and_others_do_not(worker, kayden_case):
    recent = final_note(
        worker,
        kayden_case,
        days_ago=3,
        title="Police called to the home",
        significant=True,
        significant_category=SignificantCategory.POLICE_INVOLVEMENT,
    )
    long_ago = final_note(
        worker,
        kayden_case,
        days_ago=100,
        title="Hospital admission",
        significant=True,
        significant_category=SignificantCategory.HOSPITAL_ADMISSION,
    )
    ordinary = final_note(worker, kayden_case, days_ago=3)
    found = entry_ids("significant-events", scope_of(kayden_case), case=kayden_case)
    assert recent.id in found
    assert long_ago.id not in found  # 100 days ago: before the last 3 months
    assert ordinary.id not in found
    today = timezone.localdate()
    wider = Period(today - timedelta(days=120), today)
    assert long_ago.id in entry_ids("significant-events", scope_of(kayden_case), wider, kayden_case)
    rows = (
        SECTIONS["significant-events"]
        .build(scope_of(kayden_case), this_period(), reckoner_for(kayden_case), None)
        .rows
    )
    row = next(row for row in rows if row.entry_id == recent.id)
    assert row.significant_category == "Police involvement"
    assert row.heading == "Police called to the home"


def test_a_note_with_an_unresolved_finding_appears_and_a_resolved_one_does_not(worker, kayden_case):
    standing = final_note(worker, kayden_case, title="Standing")
    finding(standing, code="jargon")
    finding(standing, code="opinion")
    settled = final_note(worker, kayden_case, title="Settled")
    finding(settled, resolved=True)
    scope = scope_of(kayden_case)
    table = reports.unresolved_findings_table(scope, this_period(), 50)
    rows = {row.entry_id: row for row in table.rows}
    assert rows[standing.id].findings == 2
    assert rows[standing.id].codes == ("jargon", "opinion")
    assert settled.id not in rows or rows[settled.id].findings == (
        settled.findings.filter(resolved=False).count()
    )


def test_every_row_is_a_case_the_viewer_may_open(manager, org_admin, worker, kayden_case):
    """The dashboards and `cases_visible_to` agree (STYLE: access helpers and lists)."""
    from caseledger.cases.access import cases_visible_to

    final_note(worker, kayden_case, days_ago=20)
    for user, scope in (
        (manager, scope_of(kayden_case)),
        (org_admin, Scope(kayden_case.organisation)),
    ):
        visible = set(cases_visible_to(user).values_list("id", flat=True))
        for section in SECTIONS.values():
            table = section.build(scope, this_period(), reckoner_for(kayden_case), None)
            assert {row.case_id for row in table.rows} <= visible, section.slug


def test_trends_count_notes_and_late_ones_by_month_and_worker(
    worker, colleague, kayden_case, noah_case
):
    scope = scope_of(kayden_case)
    today = timezone.localdate()
    period = Period(today - timedelta(days=40), today)
    before, _ = trends(scope, period, by="author")
    final_note(worker, kayden_case)
    final_note(colleague, noah_case, days_ago=20)  # late
    whole, parts = trends(scope, period, by="author")
    assert whole.finalised == before.finalised + 2
    assert whole.late == before.late + 1
    assert sum(month.finalised for month in whole.months) == whole.finalised
    by_name = {part.name: part for part in parts}
    assert by_name[worker.full_name].finalised >= 1
    assert sum(part.finalised for part in parts) == whole.finalised


def test_only_an_admin_of_the_organisation_sets_intervals(manager, org_admin, kayden_case):
    with pytest.raises(NotPermittedError):
        set_visit_intervals(
            actor=manager,
            organisation=kayden_case.organisation,
            intervals={CaseType.LOOKED_AFTER: 30},
        )
    with pytest.raises(DomainError):
        set_visit_intervals(
            actor=org_admin,
            organisation=kayden_case.organisation,
            intervals={CaseType.LOOKED_AFTER: 0},
        )


def test_setting_intervals_writes_one_audit_event_naming_the_changes(org_admin, kayden_case):
    from caseledger.audit.models import Action, AuditEvent

    set_visit_intervals(
        actor=org_admin,
        organisation=kayden_case.organisation,
        intervals={CaseType.LOOKED_AFTER: 30, CaseType.CHILD_IN_NEED: 28},  # 28: unchanged
    )
    (event,) = AuditEvent.objects.filter(action=Action.VISIT_INTERVALS_CHANGED)
    assert event.changes == {"visit_interval_looked_after": {"old": 42, "new": 30}}
    assert event.actor == org_admin
    # Saving the same again changes nothing and writes nothing.
    set_visit_intervals(
        actor=org_admin,
        organisation=kayden_case.organisation,
        intervals={CaseType.LOOKED_AFTER: 30},
    )
    assert AuditEvent.objects.filter(action=Action.VISIT_INTERVALS_CHANGED).count() == 1


def test_findings_of_a_note_moved_to_the_right_child_count_against_its_copy(
    org_admin, manager, worker, kayden_case, noah_case
):
    """Rule 6: the original is left out, so its findings count against the copy, on the
    right child's case (and that case's team)."""
    from caseledger.ledger.services import move_to_right_child, report_wrong_child

    note = final_note(worker, kayden_case, title="About the wrong child")
    finding(note, code="jargon")
    finding(note, code="opinion")
    report = report_wrong_child(actor=manager, entry=note, explanation="This is about Noah")
    copy = move_to_right_child(actor=org_admin, report=report, target_reference=noah_case.reference)
    for scope in (Scope(kayden_case.organisation), scope_of(noah_case)):
        rows = {
            row.entry_id: row
            for row in reports.unresolved_findings_table(scope, this_period(), 50).rows
        }
        assert note.id not in rows
        assert rows[copy.id].findings == 2
        assert rows[copy.id].codes == ("jargon", "opinion")
        assert rows[copy.id].case_id == noah_case.id
        assert rows[copy.id].case_reference == noah_case.reference
        export = SECTIONS["unresolved-findings"].build(
            scope, this_period(), reckoner_for(noah_case), None
        )
        assert copy.id in {row.entry_id for row in export.rows}
    counts = reports.counts_by_team(
        kayden_case.organisation, this_period(), reckoner_for(noah_case)
    )
    assert counts["unresolved-findings"].get(noah_case.allocated_team_id, 0) >= 1


def test_trends_count_a_moved_note_once(org_admin, manager, worker, kayden_case, noah_case):
    from caseledger.ledger.services import move_to_right_child, report_wrong_child

    today = timezone.localdate()
    period = Period(today - timedelta(days=40), today)
    organisation = Scope(kayden_case.organisation)
    before, _ = trends(organisation, period, by="team")
    note = final_note(worker, kayden_case, days_ago=20)  # late
    report = report_wrong_child(actor=manager, entry=note, explanation="This is about Noah")
    move_to_right_child(actor=org_admin, report=report, target_reference=noah_case.reference)
    after, _ = trends(organisation, period, by="team")
    assert (after.finalised, after.late) == (before.finalised + 1, before.late + 1)
