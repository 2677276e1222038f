"""Case audits: every change, each in a transaction that writes its audit event.

Recording rule 13 (PRODUCT.md): records are monitored and audited for compliance by
managers. A manager samples cases (`start_random_sample`, `start_chosen_sample`), grades
each checklist question (`grade_answer`), records actions for the worker
(`add_audit_action`) and completes the audit (`complete_audit`); the worker records each
action as done (`mark_audit_action_done`). An organisation admin keeps the checklist
(`add_question`, `change_question`), seeded from `defaults.py` the first time it is needed.

Every service checks who may act again, whatever the view checked, so no other caller (a
command, a task, a future API) can skip the rule. Once completed, an audit is refused
change by the database as well (migration 0002); these services refuse it first, in words.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from caseledger.accounts.models import Organisation, Team, User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.case_audits.access import (
    auditable_cases,
    can_audit,
    can_audit_case,
    can_change_checklist,
)
from caseledger.case_audits.defaults import DEFAULT_QUESTIONS
from caseledger.case_audits.models import (
    GRADES_NEEDING_COMMENT,
    OVERALL_GRADES,
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    CaseAudit,
    Grade,
    Sampling,
)
from caseledger.cases.models import Case, CaseStatus
from caseledger.domain.errors import DomainError, NotPermittedError

# The models' lengths, and the limits the forms and messages share.
QUESTION_LENGTH = 300
COMMENT_LENGTH = 2000
SUMMARY_LENGTH = 5000
ACTION_LENGTH = 500
# A sample is a handful of cases read closely, not a caseload; more is a second sample.
MOST_IN_A_SAMPLE = 50

NUMBER_MESSAGE = f"Enter a number of cases from 1 to {MOST_IN_A_SAMPLE}"
QUESTION_FIELDS = ("text", "guidance", "is_active")


@dataclass(frozen=True)
class Sample:
    """The audits started together, and how many cases were asked for."""

    sample_id: uuid.UUID
    audits: list[CaseAudit]
    asked_for: int


def _tidy(text: str) -> str:
    """One space between words, none around them."""
    return " ".join(text.split())


# --- The checklist -----------------------------------------------------------------------------


def checklist_of(organisation: Organisation) -> QuerySet[AuditQuestion]:
    """Every question the organisation has, asked or not, in the order audits ask them."""
    return AuditQuestion.objects.filter(organisation=organisation).order_by("position", "text")


def _lock(organisation_id: Any) -> Organisation:
    """The organisation, locked, so two admins (or an admin and a manager starting a sample)
    cannot both seed the checklist or both add the same question (PostgreSQL row lock;
    SQLite's IMMEDIATE transaction already holds the write lock)."""
    return Organisation.objects.select_for_update().get(pk=organisation_id)


@transaction.atomic
def ensure_checklist(*, actor: User | None, organisation: Organisation) -> None:
    """Give the organisation the default checklist the first time it is needed."""
    organisation = _lock(organisation.pk)
    if checklist_of(organisation).exists():
        return
    questions = AuditQuestion.objects.bulk_create(
        AuditQuestion(organisation=organisation, text=text, guidance=guidance, position=position)
        for position, (text, guidance) in enumerate(DEFAULT_QUESTIONS)
    )
    record_event(
        actor=actor,
        action=Action.AUDIT_CHECKLIST_CHANGED,
        organisation=organisation,
        detail={"change": "defaults", "questions": [str(question.id) for question in questions]},
    )


def _check_text(text: str, *, organisation: Organisation, exclude: AuditQuestion | None) -> str:
    text = _tidy(text)
    if not text:
        raise DomainError("Enter the question", field="text")
    if len(text) > QUESTION_LENGTH:
        raise DomainError(
            f"The question must be {QUESTION_LENGTH} characters or fewer", field="text"
        )
    clash = checklist_of(organisation).filter(text__iexact=text)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    found = clash.first()
    if found is not None:
        if not found.is_active:
            raise DomainError(
                "The checklist already has this question, no longer asked: change it to ask "
                "it again",
                field="text",
            )
        raise DomainError("The checklist already has this question", field="text")
    return text


def _require_checklist_admin(actor: User, organisation_id: Any) -> Organisation:
    organisation = _lock(organisation_id)
    if not can_change_checklist(actor) or actor.organisation_id != organisation.pk:
        raise NotPermittedError
    return organisation


@transaction.atomic
def add_question(
    *, actor: User, organisation: Organisation, text: str, guidance: str
) -> AuditQuestion:
    """Add a question to the checklist, asked by audits started from now on."""
    organisation = _require_checklist_admin(actor, organisation.pk)
    ensure_checklist(actor=actor, organisation=organisation)
    text = _check_text(text, organisation=organisation, exclude=None)
    highest = checklist_of(organisation).aggregate(highest=Max("position"))["highest"]
    question = AuditQuestion.objects.create(
        organisation=organisation,
        text=text,
        guidance=guidance.strip(),
        position=0 if highest is None else highest + 1,
    )
    record_event(
        actor=actor,
        action=Action.AUDIT_CHECKLIST_CHANGED,
        obj=question,
        organisation=organisation,
        changes=changes_between({}, snapshot(question, QUESTION_FIELDS), QUESTION_FIELDS),
        detail={"change": "added"},
    )
    return question


@transaction.atomic
def change_question(
    *, actor: User, question: AuditQuestion, text: str, guidance: str, is_active: bool
) -> AuditQuestion:
    """Reword a question, or stop (or start again) asking it. Audits already started keep
    the words they were started with; only new audits see the change."""
    organisation = _require_checklist_admin(actor, question.organisation_id)
    question = AuditQuestion.objects.select_for_update().get(pk=question.pk)
    after = {
        "text": _check_text(text, organisation=organisation, exclude=question),
        "guidance": guidance.strip(),
        "is_active": is_active,
    }
    changes = changes_between(snapshot(question, QUESTION_FIELDS), after, QUESTION_FIELDS)
    if not changes:
        return question
    for field, value in after.items():
        setattr(question, field, value)
    question.save(update_fields=list(changes))
    record_event(
        actor=actor,
        action=Action.AUDIT_CHECKLIST_CHANGED,
        obj=question,
        organisation=organisation,
        changes=changes,
        detail={"change": "changed"},
    )
    return question


# --- Sampling ----------------------------------------------------------------------------------


def _not_being_audited(cases: QuerySet[Case]) -> QuerySet[Case]:
    in_progress = CaseAudit.objects.filter(case=OuterRef("pk"), completed_at__isnull=True)
    return cases.filter(~Exists(in_progress))


def parse_references(text: str) -> list[str]:
    """Case references typed one a line, or separated by commas or spaces; each once."""
    found: list[str] = []
    for word in re.split(r"[\s,;]+", text.upper()):
        if word and word not in found:
            found.append(word)
    return found


def _start(*, actor: User, cases: list[Case], sampling: Sampling, asked_for: int) -> Sample:
    """One audit per case, each with the organisation's active questions as they read now."""
    organisation = actor.organisation
    assert organisation is not None, "can_audit() holds, so the actor has an organisation"
    ensure_checklist(actor=actor, organisation=organisation)
    questions = list(checklist_of(organisation).filter(is_active=True))
    if not questions:
        raise DomainError(
            "The audit checklist has no questions it asks. An organisation admin can add "
            "or turn some back on in the checklist settings"
        )
    sample_id = uuid.uuid4()
    audits = []
    try:
        # A savepoint: if another manager started auditing one of these cases a moment ago,
        # the unique constraint refuses it, and this transaction is still usable.
        with transaction.atomic():
            for case in cases:
                audit = CaseAudit.objects.create(
                    organisation=organisation,
                    case=case,
                    auditor=actor,
                    sampling=sampling,
                    sample_id=sample_id,
                )
                AuditAnswer.objects.bulk_create(
                    AuditAnswer(
                        audit=audit,
                        question=question,
                        question_text=question.text,
                        guidance=question.guidance,
                        position=position,
                    )
                    for position, question in enumerate(questions)
                )
                audits.append(audit)
    except IntegrityError:
        raise DomainError(
            "Someone has just started auditing one of these cases. Try again"
        ) from None
    for audit in audits:
        record_event(
            actor=actor,
            action=Action.CASE_AUDIT_STARTED,
            obj=audit,
            organisation=organisation,
            detail={
                "case": str(audit.case_id),
                "sample": str(sample_id),
                "sampling": str(sampling),
                "questions": len(questions),
            },
        )
    return Sample(sample_id=sample_id, audits=audits, asked_for=asked_for)


@transaction.atomic
def start_random_sample(*, actor: User, number: int, team: Team | None) -> Sample:
    """Audit `number` open cases picked at random from a team the actor manages, or (an
    organisation admin, `team` None) from the whole organisation.

    Uniform without replacement: every open case not already being audited is equally
    likely. The database picks them (ORDER BY RANDOM() LIMIT n over the filtered set, on
    SQLite and PostgreSQL alike), so 10,000 open cases are never read into Python: only the
    chosen ids come back. The filter uses the caseload indexes (team or organisation, status).
    """
    if not can_audit(actor):
        raise NotPermittedError
    if not 1 <= number <= MOST_IN_A_SAMPLE:
        raise DomainError(NUMBER_MESSAGE, field="number")
    scope = auditable_cases(actor).filter(status=CaseStatus.OPEN)
    if team is None:
        if not actor.is_organisation_admin:
            raise NotPermittedError
        where = "the organisation"
    else:
        if team.organisation_id != actor.organisation_id or not (
            actor.is_organisation_admin or team.pk in actor.managed_team_ids
        ):
            raise NotPermittedError
        scope = scope.filter(allocated_team=team)
        where = team.name
    chosen_ids = list(_not_being_audited(scope).order_by("?").values_list("id", flat=True)[:number])
    if not chosen_ids:
        raise DomainError(
            f"There are no open cases in {where} that are not already being audited",
            field="number",
        )
    cases = list(Case.objects.filter(id__in=chosen_ids).order_by("reference"))
    return _start(actor=actor, cases=cases, sampling=Sampling.RANDOM, asked_for=number)


@transaction.atomic
def start_chosen_sample(*, actor: User, references: list[str]) -> Sample:
    """Audit the cases the actor chose, by case reference (open or closed)."""
    if not can_audit(actor):
        raise NotPermittedError
    if not references:
        raise DomainError("Enter the case references of the cases to audit", field="references")
    if len(references) > MOST_IN_A_SAMPLE:
        raise DomainError(f"Enter {MOST_IN_A_SAMPLE} case references or fewer", field="references")
    found = {
        case.reference: case for case in auditable_cases(actor).filter(reference__in=references)
    }
    for reference in references:
        if reference not in found:
            # The same words whether the case does not exist or is someone else's.
            raise DomainError(
                f"There is no case {reference} that you can audit. Check the case reference",
                field="references",
            )
    busy = set(
        CaseAudit.objects.filter(case__in=found.values(), completed_at__isnull=True).values_list(
            "case__reference", flat=True
        )
    )
    for reference in references:
        if reference in busy:
            raise DomainError(f"Case {reference} is already being audited", field="references")
    cases = [found[reference] for reference in references]
    return _start(actor=actor, cases=cases, sampling=Sampling.CHOSEN, asked_for=len(cases))


# --- Grading, actions, completing --------------------------------------------------------------


def _lock_audit_to_change(actor: User, audit_id: Any) -> CaseAudit:
    audit = CaseAudit.objects.select_for_update().select_related("case").get(pk=audit_id)
    if not can_audit_case(actor, audit.case):
        raise NotPermittedError
    if audit.is_completed:
        raise DomainError("This audit has been completed, so it cannot be changed")
    return audit


@transaction.atomic
def grade_answer(*, actor: User, answer: AuditAnswer, grade: str, comment: str) -> AuditAnswer:
    """Grade one checklist question of an audit in progress, on Ofsted's four-point scale
    or as not applicable. "Requires improvement" and "Inadequate" need a comment saying
    what fell short, so the worker knows what to put right."""
    audit = _lock_audit_to_change(actor, answer.audit_id)
    answer = AuditAnswer.objects.select_for_update().get(pk=answer.pk)
    if grade not in Grade.values:
        raise DomainError("Select a grade", field="grade")
    comment = comment.strip()
    if len(comment) > COMMENT_LENGTH:
        raise DomainError(
            f"The comment must be {COMMENT_LENGTH} characters or fewer", field="comment"
        )
    if grade in GRADES_NEEDING_COMMENT and not comment:
        raise DomainError(
            f"Enter a comment saying why this is graded {Grade(grade).label.lower()}",
            field="comment",
        )
    changes = changes_between({"grade": answer.grade}, {"grade": grade}, ["grade"])
    comment_changed = comment != answer.comment
    if not changes and not comment_changed:
        return answer
    answer.grade = grade
    answer.comment = comment
    answer.graded_at = timezone.now()
    answer.graded_by = actor
    answer.save(update_fields=["grade", "comment", "graded_at", "graded_by"])
    record_event(
        actor=actor,
        action=Action.CASE_AUDIT_GRADED,
        obj=answer,
        organisation=audit.case.organisation,
        changes=changes,
        # What was graded, never the comment itself: the audit keeps that.
        detail={
            "audit": str(audit.pk),
            "question": str(answer.question_id),
            "comment_changed": comment_changed,
        },
    )
    return answer


def action_candidates(case: Case) -> QuerySet[User]:
    """Who an action from the case's audit can be for: the case's worker and manager, and
    the members of the team it is allocated to."""
    condition = Q()
    for user_id in (case.allocated_worker_id, case.allocated_manager_id):
        if user_id is not None:
            condition |= Q(pk=user_id)
    if case.allocated_team_id is not None:
        condition |= Q(team_memberships__team_id=case.allocated_team_id)
    if not condition:
        return User.objects.none()
    return (
        User.objects.filter(condition, organisation_id=case.organisation_id, is_active=True)
        .distinct()
        .order_by("full_name")
    )


@transaction.atomic
def add_audit_action(
    *, actor: User, audit: CaseAudit, worker: User, description: str, due_on: date
) -> AuditAction:
    """Record something the worker is to do after the audit, by when. The worker sees it
    once the audit is completed."""
    audit = _lock_audit_to_change(actor, audit.pk)
    if not action_candidates(audit.case).filter(pk=worker.pk).exists():
        raise DomainError(
            "Choose the case's worker, its manager or someone in its team", field="worker"
        )
    description = description.strip()
    if not description:
        raise DomainError("Enter what needs to be done", field="description")
    if len(description) > ACTION_LENGTH:
        raise DomainError(
            f"What needs to be done must be {ACTION_LENGTH} characters or fewer",
            field="description",
        )
    if due_on < timezone.localdate():
        raise DomainError("The due date must be today or in the future", field="due_on")
    action = AuditAction.objects.create(
        audit=audit, worker=worker, description=description, due_on=due_on, created_by=actor
    )
    record_event(
        actor=actor,
        action=Action.AUDIT_ACTION_ADDED,
        obj=action,
        organisation=audit.case.organisation,
        changes=changes_between({}, snapshot(action, ["worker", "due_on"]), ["worker", "due_on"]),
        detail={"audit": str(audit.pk)},
    )
    return action


@transaction.atomic
def complete_audit(*, actor: User, audit: CaseAudit, overall_grade: str, summary: str) -> CaseAudit:
    """Complete the audit with an overall grade on Ofsted's four-point scale and a summary.

    From now on the audit, its answers and its actions are a record nobody changes (the
    database refuses it), and the worker sees it and the actions for them.
    """
    audit = _lock_audit_to_change(actor, audit.pk)
    ungraded = audit.answers.filter(grade="").count()
    if ungraded:
        raise DomainError(
            f"Grade every question before completing the audit: {ungraded} "
            f"{'is' if ungraded == 1 else 'are'} not graded yet"
        )
    if overall_grade not in {grade.value for grade in OVERALL_GRADES}:
        raise DomainError("Select the overall grade", field="overall_grade")
    summary = summary.strip()
    if not summary:
        raise DomainError("Enter a summary of the audit", field="summary")
    if len(summary) > SUMMARY_LENGTH:
        raise DomainError(
            f"The summary must be {SUMMARY_LENGTH} characters or fewer", field="summary"
        )
    audit.completed_at = timezone.now()
    audit.completed_by = actor
    audit.overall_grade = overall_grade
    audit.summary = summary
    audit.save(update_fields=["completed_at", "completed_by", "overall_grade", "summary"])
    record_event(
        actor=actor,
        action=Action.CASE_AUDIT_COMPLETED,
        obj=audit,
        organisation=audit.case.organisation,
        changes=changes_between({}, {"overall_grade": overall_grade}, ["overall_grade"]),
        detail={"case": str(audit.case_id), "actions": audit.actions.count()},
    )
    return audit


@transaction.atomic
def mark_audit_action_done(*, actor: User, action: AuditAction) -> AuditAction:
    """The worker records an action from a completed audit as done: the only change the
    database allows to a completed audit, and only once."""
    action = AuditAction.objects.select_for_update().select_related("audit").get(pk=action.pk)
    if action.worker_id != actor.pk or not action.audit.is_completed:
        raise NotPermittedError
    if action.is_done:
        raise DomainError("This action has already been marked as done")
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.save(update_fields=["completed_at", "completed_by"])
    record_event(
        actor=actor,
        action=Action.AUDIT_ACTION_DONE,
        obj=action,
        organisation=actor.organisation,
        changes=changes_between({}, snapshot(action, ["completed_at"]), ["completed_at"]),
        detail={"audit": str(action.audit_id)},
    )
    return action


@transaction.atomic
def record_export(*, actor: User, rows: int, filters: dict[str, str]) -> None:
    """A CSV of audits names children and workers: who took one, and of what, is recorded."""
    if not can_audit(actor):
        raise NotPermittedError
    record_event(
        actor=actor,
        action=Action.CASE_AUDITS_EXPORTED,
        organisation=actor.organisation,
        detail={"rows": rows, "filters": filters},
    )
