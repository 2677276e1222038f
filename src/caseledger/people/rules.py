"""Object permissions for children's records."""

from __future__ import annotations

from rules.permissions import add_perm
from rules.predicates import predicate

from caseledger.accounts.models import User
from caseledger.people.models import Child

# Roles that record children and open cases; a teacher works the SENCO's cases but does not
# open new ones, and an advocate only ever sees what a family shares.
ROLES_THAT_ADD_CHILDREN = {
    User.Role.SOCIAL_WORKER,
    User.Role.EARLY_HELP_WORKER,
    User.Role.TEAM_MANAGER,
    User.Role.ORGANISATION_ADMIN,
    User.Role.SENCO,
    User.Role.PARENT,
}


@predicate
def adds_children(user: User) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and user.role in ROLES_THAT_ADD_CHILDREN
    )


@predicate
def works_on_child(user: User, child: Child) -> bool:
    from caseledger.people.access import children_workable_by

    return children_workable_by(user).filter(pk=child.pk).exists()


add_perm("people.add_child", adds_children)
add_perm("people.change_child", works_on_child)
