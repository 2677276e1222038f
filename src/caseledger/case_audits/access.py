"""Who may audit which case, and who may see an audit. Relationship-based, as cases are.

Councils and schools audit their own case records (recording rule 13); families and
advocacy services have no case audits. An organisation admin audits any case of the
organisation; a team manager audits the cases allocated to a team they manage. The worker
allocated to an audited case (and any worker given an action by it) sees the audit once it
is completed, never while it is in progress. Everyone else gets a 404, admins of other
organisations included. `audits_visible_to` is the single definition the pages, the list
and `audits_of_case` are built on.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from caseledger.accounts.models import Organisation, User
from caseledger.case_audits.models import AuditAction, AuditAnswer, CaseAudit
from caseledger.cases.models import Case


def has_case_audits(user: User) -> bool:
    """Signed in, active, and in an organisation that audits its cases (a council, a school)."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return False
    organisation = user.organisation
    return organisation is not None and organisation.uses_teams


def can_audit(user: User) -> bool:
    """An organisation admin, or a manager of at least one team, of a council or school."""
    return has_case_audits(user) and (user.is_organisation_admin or bool(user.managed_team_ids))


def can_change_checklist(user: User) -> bool:
    return has_case_audits(user) and user.is_organisation_admin


def _managing(user: User, prefix: str = "") -> Q | None:
    """The cases (or, with prefix "case__", the audits) this user audits."""
    if not can_audit(user):
        return None
    own = Q(**{f"{prefix}organisation_id": user.organisation_id})
    if user.is_organisation_admin:
        return own
    return own & Q(**{f"{prefix}allocated_team_id__in": user.managed_team_ids})


def auditable_cases(user: User) -> QuerySet[Case]:
    condition = _managing(user)
    return Case.objects.filter(condition) if condition is not None else Case.objects.none()


def can_audit_case(user: User, case: Case) -> bool:
    if not can_audit(user) or case.organisation_id != user.organisation_id:
        return False
    return user.is_organisation_admin or case.allocated_team_id in user.managed_team_ids


def audits_managed_by(user: User) -> QuerySet[CaseAudit]:
    """Audits this user may grade and complete (in progress) or has completed: their scope."""
    condition = _managing(user, prefix="case__")
    if condition is None:
        return CaseAudit.objects.none()
    return CaseAudit.objects.filter(condition & Q(organisation_id=user.organisation_id))


def audits_visible_to(user: User) -> QuerySet[CaseAudit]:
    if not has_case_audits(user):
        return CaseAudit.objects.none()
    # A worker sees an audit only once it is completed: a draft is the auditor's working.
    as_worker = Q(completed_at__isnull=False) & (
        Q(case__allocated_worker=user)
        | Q(id__in=AuditAction.objects.filter(worker=user).values("audit_id"))
    )
    managing = _managing(user, prefix="case__")
    condition = as_worker | managing if managing is not None else as_worker
    return CaseAudit.objects.filter(condition & Q(organisation_id=user.organisation_id))


def _with_case(audits: QuerySet[CaseAudit]) -> QuerySet[CaseAudit]:
    return audits.select_related(
        "case",
        "case__child",
        "case__organisation",
        "case__allocated_team",
        "case__allocated_worker",
        "auditor",
        "completed_by",
    )


def access_audit(user: User, audit_id: UUID) -> CaseAudit:
    """The audit if the user may see it; otherwise 404, whether or not it exists."""
    audit = _with_case(audits_visible_to(user)).filter(id=audit_id).first()
    if audit is None:
        raise Http404
    return audit


def access_audit_to_manage(user: User, audit_id: UUID) -> CaseAudit:
    """The audit if the user audits its case (grades it, adds actions, completes it)."""
    audit = _with_case(audits_managed_by(user)).filter(id=audit_id).first()
    if audit is None:
        raise Http404
    return audit


def access_answer(user: User, audit_id: UUID, question_id: UUID) -> AuditAnswer:
    audit = access_audit_to_manage(user, audit_id)
    answer = AuditAnswer.objects.filter(audit=audit, question_id=question_id).first()
    if answer is None:
        raise Http404
    answer.audit = audit
    return answer


def my_audit_actions(user: User) -> QuerySet[AuditAction]:
    """Actions for this user from completed audits of their own organisation."""
    if not has_case_audits(user):
        return AuditAction.objects.none()
    return AuditAction.objects.filter(
        Q(audit__organisation_id=user.organisation_id),
        worker=user,
        audit__completed_at__isnull=False,
    )


def access_my_action(user: User, action_id: UUID) -> AuditAction:
    """An action the user is to do; anyone else's, or a draft audit's, is a 404."""
    action = (
        my_audit_actions(user)
        .select_related("audit", "audit__case", "audit__case__child", "worker")
        .filter(id=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


def administered_organisation(user: User) -> Organisation:
    """The organisation whose checklist this user changes, or 404."""
    if not can_change_checklist(user) or user.organisation is None:
        raise Http404
    return user.organisation


def audits_of_case(user: User, case: Case) -> QuerySet[CaseAudit]:
    """The audits of one case this user may see, newest first (for the case's own pages)."""
    return audits_visible_to(user).filter(case=case).select_related("auditor", "completed_by")
