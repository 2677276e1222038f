"""A school sharing a pupil's SEN support records with their parents (issue 8).

SEND Code of Practice 6.64–6.71: schools talk to parents regularly about the outcomes set for
their child and the progress towards them, through the assess-plan-do-review cycle; 6.48:
parents must be formally told when their child receives SEN support; 6.72: the record of the
provision is part of those discussions. The school holds its own record of the pupil, the
family its own; a `ParentAccess` is the explicit, audited, revocable grant that lets one
parent account read the school's records of one pupil. A revoked parent is refused from their
next click (`sen.access.access_pupil` checks the grant on every request).

Giving access is two steps. A mistyped address could otherwise hand a stranger's parent account
the child's special category data at once (UK GDPR Article 9; Article 5(1)(f): appropriate
security, including against unauthorised disclosure), so the SENCO first sees whose account the
address belongs to, what it will see, and the adults recorded for the child
(`check_parent_access`); only the second step grants (`give_parent_access`), checking it all
again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.people.models import Child, RelatedAdult
from caseledger.sen.access import access_pupil_to_change, keeps_sen_register
from caseledger.sen.models import ParentAccess

# One message whether there is no account with the address or it is not a parent's, so the
# form cannot be used to find out who has an account or what their role is.
NO_PARENT_ACCOUNT = "Enter the email address of a parent or carer who has a Caseledger account"
ACCOUNT_CHANGED = (
    "The account with this email address has changed since you checked it: check it again"
)


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


def _name_words(name: str) -> tuple[str, ...]:
    """A name as comparable words: case, accents, hyphens and apostrophes set aside
    ("Siân O'Neil-Jones" → sian, o, neil, jones)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(
        character if character.isalnum() else " "
        for character in decomposed
        if not unicodedata.combining(character)
    )
    return tuple(kept.split())


def name_is_among(name: str, names: Iterable[str]) -> bool:
    """Whether an account holder's name is one of the recorded names: the same words, or the
    same first and last word (a middle name recorded on one side only). A shortened first name
    ("Jo" for "Joanne") does not match: the page then asks the SENCO to check, which is the
    point of the warning."""
    words = _name_words(name)
    if not words:
        return False
    for other in names:
        theirs = _name_words(other)
        if theirs == words:
            return True
        if len(words) > 1 and len(theirs) > 1 and (theirs[0], theirs[-1]) == (words[0], words[-1]):
            return True
    return False


@dataclass(frozen=True)
class AccessToConfirm:
    """What the SENCO checks before giving access: whose account the address belongs to, and
    the adults the school has recorded for the pupil to check it against."""

    grantee: User
    adults: list[RelatedAdult]
    name_is_recorded: bool


def recorded_adults(child: Child) -> list[RelatedAdult]:
    """The adults in the pupil's life on the school's own record of the pupil, those with
    parental responsibility first."""
    return list(
        RelatedAdult.objects.filter(child=child, is_current=True).order_by(
            "-has_parental_responsibility", "full_name", "id"
        )
    )


def _parent_account(email: str) -> User:
    email = email.strip()
    if not email:
        raise DomainError("Enter the parent's email address", field="email")
    grantee = User.objects.filter(
        email__iexact=email, is_active=True, role=User.Role.PARENT
    ).first()
    if grantee is None:
        raise DomainError(NO_PARENT_ACCOUNT, field="email")
    return grantee


def _check_not_shared_yet(child: Child, grantee: User) -> None:
    if ParentAccess.objects.filter(child=child, grantee=grantee, revoked_at__isnull=True).exists():
        raise DomainError(
            f"That parent can already see {child.display_name}'s records", field="email"
        )


def check_parent_access(*, actor: User, child: Child, email: str) -> AccessToConfirm:
    """The first step of giving access: the same checks as giving it, and what the SENCO
    needs to see to be sure the address is the right parent's. Nothing is written: an address
    that is not a parent's account gets the one message that says no more."""
    _check_may_keep(actor, child)
    grantee = _parent_account(email)
    _check_not_shared_yet(child, grantee)
    adults = recorded_adults(child)
    return AccessToConfirm(
        grantee=grantee,
        adults=adults,
        name_is_recorded=name_is_among(grantee.full_name, (adult.full_name for adult in adults)),
    )


@transaction.atomic
def give_parent_access(
    *, actor: User, child: Child, email: str, confirmed_account: UUID | None = None
) -> ParentAccess:
    """Let a parent or carer read the school's SEN support records of their child (passport,
    current plan and reviews) and add their views to a review (Code of Practice 6.64–6.71).

    `confirmed_account` is the account the SENCO was shown when checking (`check_parent_access`):
    if the address now belongs to another account, nothing is given."""
    _check_may_keep(actor, child)
    grantee = _parent_account(email)
    if confirmed_account is not None and grantee.pk != confirmed_account:
        raise DomainError(ACCOUNT_CHANGED, field="email")
    # Lock the pupil so two grants for the same parent cannot both pass the check below.
    child = Child.objects.select_for_update().get(pk=child.pk)
    _check_not_shared_yet(child, grantee)
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
