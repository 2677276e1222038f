"""A school sharing a pupil's SEN support records with their parents (issue 8).

SEND Code of Practice 6.64–6.71: schools talk to parents regularly about the outcomes set for
their child and the progress towards them, through the assess-plan-do-review cycle; 6.48:
parents must be formally told when their child receives SEN support; 6.72: the record of the
provision is part of those discussions. The school holds its own record of the pupil, the
family its own; a `ParentAccess` is the explicit, audited, revocable grant that lets one
parent account read the school's records of one pupil. A revoked parent is refused from their
next click (`sen.access.access_pupil` checks the grant on every request).
"""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.people.models import Child
from caseledger.sen.access import access_pupil_to_change, keeps_sen_register
from caseledger.sen.models import ParentAccess

# One message whether there is no account with the address or it is not a parent's, so the
# form cannot be used to find out who has an account or what their role is.
NO_PARENT_ACCOUNT = "Enter the email address of a parent or carer who has a Caseledger account"


def accesses_to(child: Child) -> QuerySet[ParentAccess]:
    """Every grant on the pupil, live and revoked, newest first."""
    return (
        ParentAccess.objects.filter(child=child, organisation_id=child.organisation_id)
        .select_related("grantee", "granted_by", "revoked_by")
        .order_by("-granted_at", "id")
    )


def access_parent_access_to_revoke(
    user: User, child_id: UUID, access_id: UUID
) -> tuple[Child, ParentAccess]:
    """A live grant on a pupil whose records the user keeps; otherwise 404."""
    child = access_pupil_to_change(user, child_id)
    access = accesses_to(child).filter(pk=access_id, revoked_at__isnull=True).first()
    if access is None:
        raise Http404
    return child, access


def _check_may_keep(actor: User, child: Child) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != child.organisation_id:
        raise NotPermittedError


@transaction.atomic
def give_parent_access(*, actor: User, child: Child, email: str) -> ParentAccess:
    """Let a parent or carer read the school's SEN support records of their child (passport,
    current plan and reviews) and add their views to a review (Code of Practice 6.64–6.71)."""
    _check_may_keep(actor, child)
    email = email.strip()
    if not email:
        raise DomainError("Enter the parent's email address", field="email")
    grantee = User.objects.filter(
        email__iexact=email, is_active=True, role=User.Role.PARENT
    ).first()
    if grantee is None:
        raise DomainError(NO_PARENT_ACCOUNT, field="email")
    # Lock the pupil so two grants for the same parent cannot both pass the check below.
    child = Child.objects.select_for_update().get(pk=child.pk)
    if ParentAccess.objects.filter(child=child, grantee=grantee, revoked_at__isnull=True).exists():
        raise DomainError(
            f"That parent can already see {child.display_name}'s records", field="email"
        )
    access = ParentAccess(
        organisation_id=child.organisation_id, child=child, grantee=grantee, granted_by=actor
    )
    try:
        with transaction.atomic():
            access.save(force_insert=True)
    except IntegrityError:  # the one-live-grant constraint: given by someone else just now
        raise DomainError(
            f"That parent can already see {child.display_name}'s records", field="email"
        ) from None
    record_event(
        actor=actor,
        action=Action.PARENT_ACCESS_GIVEN,
        obj=access,
        organisation=child.organisation,
        detail={"child": str(child.pk), "grantee": str(grantee.pk)},
    )
    return access


@transaction.atomic
def revoke_parent_access(*, actor: User, access: ParentAccess) -> ParentAccess:
    """Stop a parent reading the pupil's records, at once: their next request is refused."""
    access = (
        ParentAccess.objects.select_for_update()
        .select_related("organisation", "grantee")
        .get(pk=access.pk)
    )
    if not keeps_sen_register(actor) or actor.organisation_id != access.organisation_id:
        raise NotPermittedError
    if access.revoked_at is not None:
        raise DomainError("This access has already been revoked")
    access.revoked_at = timezone.now()
    access.revoked_by = actor
    access.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        actor=actor,
        action=Action.PARENT_ACCESS_REVOKED,
        obj=access,
        organisation=access.organisation,
        detail={"child": str(access.child_id), "grantee": str(access.grantee_id)},
    )
    return access
