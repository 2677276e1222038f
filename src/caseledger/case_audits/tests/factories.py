"""Case audits made through the real services, as the tests (and the access matrix) need."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.case_audits import services
from caseledger.case_audits.models import AuditAction, CaseAudit, Grade
from caseledger.cases.models import Case


def start_audit(auditor: User, case: Case) -> CaseAudit:
    """An audit in progress of one chosen case."""
    (audit,) = services.start_chosen_sample(actor=auditor, references=[case.reference]).audits
    return audit


def grade_all(auditor: User, audit: CaseAudit, grade: str = Grade.GOOD) -> None:
    for answer in audit.answers.all():
        services.grade_answer(actor=auditor, answer=answer, grade=grade, comment="Seen in notes")


def add_action(auditor: User, audit: CaseAudit, worker: User, days: int = 14) -> AuditAction:
    return services.add_audit_action(
        actor=auditor,
        audit=audit,
        worker=worker,
        description="Record whether Kayden was seen alone at every visit",
        due_on=timezone.localdate() + timedelta(days=days),
    )


def completed_audit(auditor: User, case: Case, worker: User | None = None) -> CaseAudit:
    """A completed audit of the case, with one open action for `worker` if given."""
    audit = start_audit(auditor, case)
    grade_all(auditor, audit)
    if worker is not None:
        add_action(auditor, audit, worker)
    return services.complete_audit(
        actor=auditor,
        audit=audit,
        overall_grade=Grade.GOOD,
        summary="Visits are regular and the child's voice is clear.",
    )
