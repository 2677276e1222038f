"""Object permissions for children's records."""

from __future__ import annotations

from rules.permissions import add_perm
from rules.predicates import predicate

from caseledger.accounts.models import User
from caseledger.cases.services import ROLES_THAT_OPEN_CASES
from caseledger.people.models import Child


@predicate
def adds_children(user: User) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.role in ROLES_THAT_OPEN_CASES
    )


@predicate
def works_on_child(user: User, child: Child) -> bool:
    from caseledger.people.access import children_workable_by

    return children_workable_by(user).filter(pk=child.pk).exists()


add_perm("people.add_child", adds_children)
add_perm("people.change_child", works_on_child)
