"""Object permissions (django `rules`), for templates and views: `user.has_perm(name, case)`."""

from __future__ import annotations

from rules.permissions import add_perm
from rules.predicates import predicate

from caseledger.accounts.models import User
from caseledger.cases.access import can_allocate_case, can_work_on_case
from caseledger.cases.models import Case


@predicate
def works_on_case(user: User, case: Case) -> bool:
    return can_work_on_case(user, case)


@predicate
def allocates_case(user: User, case: Case) -> bool:
    return can_allocate_case(user, case)


add_perm("cases.change_case", works_on_case)
add_perm("cases.allocate_case", allocates_case)
add_perm("cases.grant_access", works_on_case)
