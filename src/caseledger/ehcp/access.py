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
from caseledger.cases.access import access_case, can_work_on_case
from caseledger.cases.models import Case, CaseType


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
