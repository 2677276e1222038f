"""Who may change an EHCP tracking case's status: whoever works on the case.

A family member works on the family's own case; an advocate (or anyone) holding a read-only
grant sees the status and its history on the case page but may not change it, and gets the
same 404 for the form as someone who cannot see the case at all. A case of another type has
no EHCP status: a 404 too.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from caseledger.accounts.models import User
from caseledger.cases.access import access_case, can_work_on_case, cases_visible_to
from caseledger.cases.models import Case, CaseType
from caseledger.ehcp.models import Annotation, PlanVersion


def has_ehcp_status(case: Case) -> bool:
    return case.case_type == CaseType.EHCP_TRACKING


def can_change_status(user: User, case: Case) -> bool:
    return has_ehcp_status(case) and can_work_on_case(user, case)


def access_case_to_change_status(user: User, case_id: UUID) -> Case:
    """The EHCP tracking case if the user works on it; otherwise 404, whether or not it exists."""
    case = access_case(user, case_id)
    if not can_change_status(user, case):
        raise Http404
    return case


# --- Plan versions (issue 7) ---------------------------------------------------------------
# Everyone who sees an EHCP tracking case reads its plan versions and compares them; those who
# work on it (the family) add versions and confirm their sections. Anyone else gets a 404.


def can_add_plan_versions(user: User, case: Case) -> bool:
    return has_ehcp_status(case) and can_work_on_case(user, case)


def access_case_for_plans(user: User, case_id: UUID) -> Case:
    """The EHCP tracking case if the user sees it; otherwise 404."""
    case = access_case(user, case_id)
    if not has_ehcp_status(case):
        raise Http404
    return case


def access_case_to_add_plan_versions(user: User, case_id: UUID) -> Case:
    case = access_case_for_plans(user, case_id)
    if not can_add_plan_versions(user, case):
        raise Http404
    return case


def access_plan_version(user: User, version_id: UUID) -> PlanVersion:
    """A plan version of an EHCP tracking case the user sees; otherwise 404."""
    version = PlanVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404
    version.case = access_case_for_plans(user, version.case_id)
    return version


def access_plan_version_to_confirm(user: User, version_id: UUID) -> PlanVersion:
    version = access_plan_version(user, version_id)
    if not can_add_plan_versions(user, version.case):
        raise Http404
    return version


# --- Annotations and comments (issue 7) --------------------------------------------------------
# The family annotates a confirmed version; everyone who sees the case reads the annotations.
# Everyone who sees an EHCP tracking case comments on its flags, annotations and notes: an
# advocate's comment is their own record and changes nothing of the family's.


def can_comment(user: User, case: Case) -> bool:
    return has_ehcp_status(case) and cases_visible_to(user).filter(pk=case.pk).exists()


def access_annotation(user: User, annotation_id: UUID) -> Annotation:
    """An annotation on a plan version of a case the user sees; otherwise 404."""
    annotation = Annotation.objects.filter(pk=annotation_id).select_related("version").first()
    if annotation is None:
        raise Http404
    annotation.version = access_plan_version(user, annotation.version_id)
    return annotation


def access_annotation_to_change(user: User, annotation_id: UUID) -> Annotation:
    annotation = access_annotation(user, annotation_id)
    if not can_add_plan_versions(user, annotation.version.case):
        raise Http404
    return annotation
