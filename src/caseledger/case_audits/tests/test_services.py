"""Case audits through the services: sampling, grading, actions, completing, the checklist,
and the audit event each change writes.

Dan Okafor (manager) manages the Children in Need Team North, which holds Kayden's, Noah's,
Jayden's and Freddie's Northmoor cases; Priya Shah (org_admin) is Northmoor's admin; Grace
Adeyemi (other_team_manager) manages another team.

The demo already holds Dan's audits (Jayden's case completed, Noah's case in progress) and so
Northmoor's checklist: these tests audit other cases, and count only the audits and events
they make themselves.
"""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.test.utils import CaptureQueriesContext

from caseledger.accounts.models import Team, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.case_audits import services
from caseledger.case_audits.access import audits_of_case, audits_visible_to
from caseledger.case_audits.defaults import DEFAULT_QUESTIONS
from caseledger.case_audits.models import AuditQuestion, CaseAudit, Grade, Sampling
from caseledger.case_audits.tests.factories import (
    add_action,
    completed_audit,
    grade_all,
    start_audit,
)
from caseledger.cases.models import Case, CaseStatus
from caseledger.domain.errors import DomainError, NotPermittedError

pytestmark = pytest.mark.django_db


def dans_team(manager) -> Team:
    return Team.objects.get(pk=next(iter(manager.managed_team_ids)))


def last_sequence() -> int:
    """The newest audit event's number: events after it are the ones the test wrote."""
    return AuditEvent.objects.aggregate(newest=Max("sequence"))["newest"] or 0


def events_of(action: Action, *, after: int = 0) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, sequence__gt=after).order_by("sequence"))


def not_being_audited(cases: QuerySet[Case]) -> set[UUID]:
    """The ids of these cases that have no audit in progress (the demo's of Noah's, say)."""
    busy = CaseAudit.objects.filter(completed_at__isnull=True).values_list("case_id", flat=True)
    return set(cases.exclude(pk__in=busy).values_list("pk", flat=True))


# --- The checklist -----------------------------------------------------------------------------


def test_the_default_checklist_is_seeded_once_when_first_needed(outsider):
    """Eastvale has never audited a case, so it has no checklist yet (Northmoor's demo does)."""
    organisation = outsider.organisation
    eastvale_manager = User.objects.get(email="mark.ellis@eastvale.example")
    assert not services.checklist_of(organisation).exists()
    before = last_sequence()
    services.ensure_checklist(actor=eastvale_manager, organisation=organisation)
    services.ensure_checklist(actor=eastvale_manager, organisation=organisation)
    texts = list(services.checklist_of(organisation).values_list("text", flat=True))
    assert texts == [text for text, _guidance in DEFAULT_QUESTIONS]
    (event,) = events_of(Action.AUDIT_CHECKLIST_CHANGED, after=before)
    assert event.organisation_id == organisation.pk


def test_an_admin_adds_and_rewords_a_question(org_admin):
    organisation = org_admin.organisation
    question = services.add_question(
        actor=org_admin, organisation=organisation, text="Plans  are reviewed on time ", guidance=""
    )
    assert question.text == "Plans are reviewed on time"
    assert question.position == len(DEFAULT_QUESTIONS)
    services.change_question(
        actor=org_admin,
        question=question,
        text="Plans are reviewed within the timescale",
        guidance="Child in need plans every 3 months",
        is_active=False,
    )
    event = events_of(Action.AUDIT_CHECKLIST_CHANGED)[-1]
    assert event.changes["text"] == {
        "old": "Plans are reviewed on time",
        "new": "Plans are reviewed within the timescale",
    }
    assert event.changes["is_active"] == {"old": True, "new": False}


def test_a_question_already_on_the_checklist_is_refused(org_admin):
    services.ensure_checklist(actor=org_admin, organisation=org_admin.organisation)
    with pytest.raises(DomainError, match="already has this question"):
        services.add_question(
            actor=org_admin,
            organisation=org_admin.organisation,
            text="significant events are marked significant",
            guidance="",
        )


@pytest.mark.parametrize("persona", ["manager", "worker", "outsider"])
def test_only_the_organisations_admin_changes_the_checklist(persona, request, org_admin):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotPermittedError):
        services.add_question(
            actor=user, organisation=org_admin.organisation, text="A question", guidance=""
        )


def test_changing_the_checklist_does_not_rewrite_an_audit_already_started(
    org_admin, manager, kayden_case
):
    audit = start_audit(manager, kayden_case)
    first = audit.answers.order_by("position").first()
    assert first is not None
    question = AuditQuestion.objects.get(pk=first.question_id)
    services.change_question(
        actor=org_admin, question=question, text="Reworded", guidance="", is_active=False
    )
    first.refresh_from_db()
    assert first.question_text == DEFAULT_QUESTIONS[0][0]


def test_a_new_audit_asks_only_the_questions_still_asked(org_admin, manager, freddie_la_case):
    services.ensure_checklist(actor=org_admin, organisation=org_admin.organisation)
    dropped = services.checklist_of(org_admin.organisation).first()
    assert dropped is not None
    services.change_question(
        actor=org_admin, question=dropped, text=dropped.text, guidance="", is_active=False
    )
    audit = start_audit(manager, freddie_la_case)
    asked = list(audit.answers.values_list("question_text", flat=True))
    assert dropped.text not in asked
    assert len(asked) == len(DEFAULT_QUESTIONS) - 1


# --- Sampling ----------------------------------------------------------------------------------


def test_chosen_cases_each_get_an_audit_in_one_sample(manager, kayden_case, freddie_la_case):
    before = last_sequence()
    sample = services.start_chosen_sample(
        actor=manager, references=[freddie_la_case.reference, kayden_case.reference]
    )
    assert [audit.case_id for audit in sample.audits] == [freddie_la_case.pk, kayden_case.pk]
    for audit in sample.audits:
        audit.refresh_from_db()
        assert audit.sample_id == sample.sample_id
        assert audit.sampling == Sampling.CHOSEN
        assert audit.auditor == manager
        assert audit.completed_at is None
        assert audit.answers.count() == len(DEFAULT_QUESTIONS)
    started = events_of(Action.CASE_AUDIT_STARTED, after=before)
    assert [event.detail["case"] for event in started] == [
        str(freddie_la_case.pk),
        str(kayden_case.pk),
    ]
    assert all(event.actor == manager for event in started)


def test_typed_references_are_read_in_any_case_once_each():
    assert services.parse_references("nmb-000001, NMB-000002\nnmb-000001  ;NMB-3") == [
        "NMB-000001",
        "NMB-000002",
        "NMB-3",
    ]


def test_an_unknown_reference_and_another_organisations_read_the_same(manager, harvey_case):
    audits_before = CaseAudit.objects.count()
    messages = []
    for reference in ("NMB-999999", harvey_case.reference):
        with pytest.raises(DomainError) as refused:
            services.start_chosen_sample(actor=manager, references=[reference])
        messages.append(refused.value.message.replace(reference, "X"))
    assert messages[0] == messages[1]
    assert CaseAudit.objects.count() == audits_before


def test_a_manager_cannot_choose_a_case_of_another_team(other_team_manager, kayden_case):
    with pytest.raises(DomainError, match="no case"):
        services.start_chosen_sample(actor=other_team_manager, references=[kayden_case.reference])


def test_a_case_being_audited_cannot_be_sampled_again(manager, org_admin, kayden_case):
    start_audit(manager, kayden_case)
    with pytest.raises(DomainError, match="already being audited"):
        services.start_chosen_sample(actor=org_admin, references=[kayden_case.reference])


def test_a_random_sample_takes_open_cases_of_the_managers_team(manager):
    team = dans_team(manager)
    sample = services.start_random_sample(actor=manager, number=2, team=team)
    assert len(sample.audits) == 2
    for audit in sample.audits:
        case = Case.objects.get(pk=audit.case_id)
        assert case.allocated_team_id == team.pk
        assert case.status == CaseStatus.OPEN
        assert audit.sampling == Sampling.RANDOM
    assert len({audit.case_id for audit in sample.audits}) == 2


def test_a_random_sample_leaves_out_cases_already_being_audited(manager, noah_case):
    team = dans_team(manager)
    open_cases = Case.objects.filter(allocated_team=team, status=CaseStatus.OPEN)
    eligible = not_being_audited(open_cases)
    assert noah_case.pk in set(open_cases.values_list("pk", flat=True)) - eligible  # the demo's
    first = services.start_random_sample(actor=manager, number=open_cases.count(), team=team)
    assert {audit.case_id for audit in first.audits} == eligible
    assert len(first.audits) == len(eligible)
    with pytest.raises(DomainError, match="no open cases"):
        services.start_random_sample(actor=manager, number=1, team=team)


def test_a_random_sample_larger_than_the_team_takes_every_case_once(manager):
    team = dans_team(manager)
    eligible = not_being_audited(Case.objects.filter(allocated_team=team, status=CaseStatus.OPEN))
    sample = services.start_random_sample(actor=manager, number=len(eligible) + 5, team=team)
    assert len(sample.audits) == len(eligible)
    assert {audit.case_id for audit in sample.audits} == eligible
    assert sample.asked_for == len(eligible) + 5


def test_every_open_case_can_be_picked(org_admin, noah_case):
    """Uniform: over many single-case samples every open case not already being audited turns
    up (each draw is rolled back), and none being audited does. With at most 12 cases, missing
    one in 200 draws has a chance below 1 in 10^6."""
    eligible = not_being_audited(
        Case.objects.filter(organisation=org_admin.organisation, status=CaseStatus.OPEN)
    )
    assert noah_case.pk not in eligible  # the demo's audit in progress
    assert 1 < len(eligible) <= 12
    picked = set()

    class RollbackError(Exception):
        pass

    for _ in range(200):
        try:
            with transaction.atomic():
                sample = services.start_random_sample(actor=org_admin, number=1, team=None)
                picked.add(sample.audits[0].case_id)
                raise RollbackError
        except RollbackError:
            pass
    assert picked == eligible


def test_the_database_picks_the_sample(org_admin):
    """10,000 open cases are never read into Python: one ORDER BY RANDOM() ... LIMIT query
    returns only the chosen ids (Django spells it RAND() on SQLite, RANDOM() on PostgreSQL)."""
    with CaptureQueriesContext(connection) as queries:
        services.start_random_sample(actor=org_admin, number=3, team=None)
    picks = [
        query["sql"]
        for query in queries.captured_queries
        if re.search(r"ORDER BY RAND(OM)?\(\)", query["sql"])
    ]
    assert len(picks) == 1
    assert "LIMIT 3" in picks[0]


def test_a_manager_samples_only_teams_they_manage(other_team_manager, manager):
    with pytest.raises(NotPermittedError):
        services.start_random_sample(actor=other_team_manager, number=1, team=dans_team(manager))
    with pytest.raises(NotPermittedError):
        services.start_random_sample(actor=manager, number=1, team=None)


@pytest.mark.parametrize("persona", ["worker", "parent", "advocate", "teacher"])
def test_people_who_do_not_audit_cannot_sample(persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotPermittedError):
        services.start_chosen_sample(actor=user, references=["NMB-000001"])


@pytest.mark.parametrize("number", [0, services.MOST_IN_A_SAMPLE + 1])
def test_a_sample_size_out_of_range_is_refused(org_admin, number):
    with pytest.raises(DomainError, match="Enter a number of cases from 1 to"):
        services.start_random_sample(actor=org_admin, number=number, team=None)


# --- Grading, actions, completing --------------------------------------------------------------


def test_grading_records_the_grade_and_an_event_without_the_comment(manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    before = last_sequence()
    answer = audit.answers.order_by("position").first()
    assert answer is not None
    services.grade_answer(
        actor=manager, answer=answer, grade=Grade.REQUIRES_IMPROVEMENT, comment="Two visits late"
    )
    answer.refresh_from_db()
    assert answer.grade == Grade.REQUIRES_IMPROVEMENT
    assert answer.graded_by == manager
    (event,) = events_of(Action.CASE_AUDIT_GRADED, after=before)
    assert event.changes == {"grade": {"old": "", "new": "requires_improvement"}}
    assert "Two visits late" not in str(event.detail)


@pytest.mark.parametrize("grade", [Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE])
def test_a_low_grade_needs_a_comment(manager, kayden_case, grade):
    audit = start_audit(manager, kayden_case)
    answer = audit.answers.first()
    assert answer is not None
    with pytest.raises(DomainError, match="Enter a comment saying why") as refused:
        services.grade_answer(actor=manager, answer=answer, grade=grade, comment="  ")
    assert refused.value.field == "comment"


def test_an_unknown_grade_is_refused(manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    answer = audit.answers.first()
    assert answer is not None
    with pytest.raises(DomainError, match="Select a grade"):
        services.grade_answer(actor=manager, answer=answer, grade="brilliant", comment="")


def test_an_audit_cannot_be_completed_until_every_question_is_graded(manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    answer = audit.answers.first()
    assert answer is not None
    services.grade_answer(actor=manager, answer=answer, grade=Grade.GOOD, comment="")
    with pytest.raises(DomainError, match=f"{len(DEFAULT_QUESTIONS) - 1} are not graded"):
        services.complete_audit(
            actor=manager, audit=audit, overall_grade=Grade.GOOD, summary="Fine"
        )


def test_the_overall_grade_is_on_ofsteds_scale(manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    grade_all(manager, audit)
    with pytest.raises(DomainError, match="Select the overall grade"):
        services.complete_audit(
            actor=manager, audit=audit, overall_grade=Grade.NOT_APPLICABLE, summary="Fine"
        )


def test_completing_an_audit_writes_every_event(manager, worker, kayden_case):
    before = last_sequence()
    audit = completed_audit(manager, kayden_case, worker=worker)
    audit.refresh_from_db()
    assert audit.completed_by == manager
    assert audit.overall_grade == Grade.GOOD
    assert len(events_of(Action.CASE_AUDIT_STARTED, after=before)) == 1
    assert len(events_of(Action.CASE_AUDIT_GRADED, after=before)) == len(DEFAULT_QUESTIONS)
    assert len(events_of(Action.AUDIT_ACTION_ADDED, after=before)) == 1
    (completed,) = events_of(Action.CASE_AUDIT_COMPLETED, after=before)
    assert completed.object_id == str(audit.pk)
    assert completed.changes == {"overall_grade": {"old": None, "new": "good"}}


def test_a_completed_audit_cannot_be_graded_given_actions_or_completed_again(
    manager, worker, kayden_case
):
    audit = completed_audit(manager, kayden_case)
    answer = audit.answers.first()
    assert answer is not None
    with pytest.raises(DomainError, match="has been completed"):
        services.grade_answer(actor=manager, answer=answer, grade=Grade.INADEQUATE, comment="x")
    with pytest.raises(DomainError, match="has been completed"):
        add_action(manager, audit, worker)
    with pytest.raises(DomainError, match="has been completed"):
        services.complete_audit(actor=manager, audit=audit, overall_grade="good", summary="x")


def test_an_action_is_for_someone_working_on_the_case(manager, kayden_case, outsider, teacher):
    audit = start_audit(manager, kayden_case)
    for stranger in (outsider, teacher):
        with pytest.raises(DomainError, match="Choose the case's worker") as refused:
            add_action(manager, audit, stranger)
        assert refused.value.field == "worker"


def test_an_action_cannot_be_due_in_the_past(manager, worker, kayden_case):
    audit = start_audit(manager, kayden_case)
    with pytest.raises(DomainError, match="today or in the future"):
        add_action(manager, audit, worker, days=-1)


def test_another_team_manager_cannot_grade(manager, other_team_manager, kayden_case):
    audit = start_audit(manager, kayden_case)
    answer = audit.answers.first()
    assert answer is not None
    with pytest.raises(NotPermittedError):
        services.grade_answer(actor=other_team_manager, answer=answer, grade="good", comment="")


def test_the_worker_marks_their_action_done_once(manager, worker, colleague, kayden_case):
    audit = completed_audit(manager, kayden_case, worker=worker)
    action = audit.actions.get()
    with pytest.raises(NotPermittedError):
        services.mark_audit_action_done(actor=colleague, action=action)
    services.mark_audit_action_done(actor=worker, action=action)
    action.refresh_from_db()
    assert action.completed_by == worker
    assert action.completed_at is not None
    with pytest.raises(DomainError, match="already been marked as done"):
        services.mark_audit_action_done(actor=worker, action=action)
    assert len(events_of(Action.AUDIT_ACTION_DONE)) == 1


def test_an_action_of_an_audit_in_progress_is_not_the_workers_yet(manager, worker, kayden_case):
    audit = start_audit(manager, kayden_case)
    action = add_action(manager, audit, worker)
    with pytest.raises(NotPermittedError):
        services.mark_audit_action_done(actor=worker, action=action)


def test_the_worker_sees_the_audit_of_their_case_only_once_completed(
    manager, worker, colleague, kayden_case
):
    audit = start_audit(manager, kayden_case)
    assert not audits_of_case(worker, kayden_case).exists()
    assert list(audits_of_case(manager, kayden_case)) == [audit]
    grade_all(manager, audit)
    services.complete_audit(actor=manager, audit=audit, overall_grade="good", summary="Fine")
    assert list(audits_of_case(worker, kayden_case)) == [audit]
    assert not audits_visible_to(colleague).exists()


def test_the_export_is_recorded(org_admin):
    services.record_export(actor=org_admin, rows=3, filters={"status": "completed"})
    (event,) = events_of(Action.CASE_AUDITS_EXPORTED)
    assert event.detail == {"rows": 3, "filters": {"status": "completed"}}
