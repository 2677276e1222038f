"""Every change to a child's record and the people around them, audited with old and new values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.cases.models import Case
from caseledger.cases.services import ROLES_THAT_OPEN_CASES, open_case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.identifiers import is_valid_nhs_number, is_valid_upn, normalise_nhs_number
from caseledger.people.access import children_workable_by
from caseledger.people.models import Child, Household, Professional, RelatedAdult

CHILD_FIELDS = (
    "first_names",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "upn",
    "nhs_number",
    "local_person_id",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)
ADULT_FIELDS = (
    "full_name",
    "relationship",
    "has_parental_responsibility",
    "lives_with_child",
    "phone",
    "email",
    "is_current",
)
PROFESSIONAL_FIELDS = ("full_name", "role", "organisation_name", "phone", "email", "is_current")


def _only(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """The fields a service may set; anything else (a child, an organisation) is refused."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"These fields cannot be set here: {', '.join(sorted(unknown))}")
    return dict(fields)


def _clean_child_fields(
    fields: Mapping[str, Any], organisation_id: UUID, exclude: Child | None
) -> dict[str, Any]:
    cleaned = _only(fields, CHILD_FIELDS)
    if cleaned.get("nhs_number"):
        cleaned["nhs_number"] = normalise_nhs_number(cleaned["nhs_number"])
        if not is_valid_nhs_number(cleaned["nhs_number"]):
            raise DomainError("Enter a valid NHS number, like 943 476 5919", field="nhs_number")
    if cleaned.get("upn"):
        cleaned["upn"] = cleaned["upn"].strip().upper()
        if not is_valid_upn(cleaned["upn"]):
            raise DomainError("Enter a valid UPN, like A123456789012", field="upn")
    if cleaned.get("postcode"):
        cleaned["postcode"] = " ".join(cleaned["postcode"].upper().split())
    date_of_birth = cleaned.get("date_of_birth")
    if isinstance(date_of_birth, date) and date_of_birth > timezone.localdate():
        raise DomainError("Date of birth must be today or in the past", field="date_of_birth")
    others = Child.objects.filter(organisation_id=organisation_id)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if cleaned.get("nhs_number") and others.filter(nhs_number=cleaned["nhs_number"]).exists():
        raise DomainError(
            "Another child in your organisation has this NHS number", field="nhs_number"
        )
    if cleaned.get("upn") and others.filter(upn=cleaned["upn"]).exists():
        raise DomainError("Another child in your organisation has this UPN", field="upn")
    return cleaned


def _require_work(actor: User, child: Child) -> None:
    """Only people who work on one of the child's cases (or their admin) change the record."""
    if not children_workable_by(actor).filter(pk=child.pk).exists():
        raise NotPermittedError


def create_child(
    *,
    actor: User,
    fields: Mapping[str, Any],
    case_type: str,
    opened_on: date,
    sibling: Child | None = None,
) -> tuple[Child, Case]:
    """Record a child and open their first case, so the child is never on nobody's caseload.

    `sibling` puts the child in the same household as a brother or sister already recorded.
    """
    organisation = actor.organisation
    if organisation is None or actor.role not in ROLES_THAT_OPEN_CASES:
        raise NotPermittedError
    cleaned = _clean_child_fields(fields, organisation.pk, exclude=None)
    if sibling is not None:
        _require_work(actor, sibling)
    with transaction.atomic():
        household = None
        if sibling is not None:
            household = sibling.household
            if household is None:
                household = Household.objects.create(
                    organisation=organisation, name=f"{sibling.last_name} household"
                )
                record_event(
                    actor=actor,
                    action=Action.HOUSEHOLD_CREATED,
                    obj=household,
                    organisation=organisation,
                )
                _move_to_household(actor=actor, child=sibling, household=household)
        child = Child.objects.create(organisation=organisation, household=household, **cleaned)
        record_event(
            actor=actor,
            action=Action.CHILD_CREATED,
            obj=child,
            organisation=organisation,
            detail={"household": str(household.id) if household else None},
        )
        case = open_case(actor=actor, child=child, case_type=case_type, opened_on=opened_on)
    return child, case


def update_child(*, actor: User, child: Child, fields: Mapping[str, Any]) -> Child:
    """Change a child's details; the audit event keeps every old and new value."""
    _require_work(actor, child)
    cleaned = _clean_child_fields(fields, child.organisation_id, exclude=child)
    first_opened = child.cases.order_by("opened_on").values_list("opened_on", flat=True).first()
    born = cleaned.get("date_of_birth")
    if born is not None and first_opened is not None and born > first_opened:
        raise DomainError(
            "Date of birth must be on or before the date the child's first case opened",
            field="date_of_birth",
        )
    before = snapshot(child, CHILD_FIELDS)
    changes = changes_between(before, {**before, **cleaned}, CHILD_FIELDS)
    if not changes:
        return child
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(child, name, value)
        child.updated_at = timezone.now()
        child.save()
        record_event(
            actor=actor,
            action=Action.CHILD_UPDATED,
            obj=child,
            organisation=child.organisation,
            changes=changes,
        )
    return child


def add_adult(*, actor: User, child: Child, fields: Mapping[str, Any]) -> RelatedAdult:
    _require_work(actor, child)
    with transaction.atomic():
        adult = RelatedAdult.objects.create(child=child, **_only(fields, ADULT_FIELDS))
        record_event(
            actor=actor,
            action=Action.ADULT_ADDED,
            obj=adult,
            organisation=child.organisation,
            detail={"child": str(child.id), "values": snapshot(adult, ADULT_FIELDS)},
        )
    return adult


def update_adult(*, actor: User, adult: RelatedAdult, fields: Mapping[str, Any]) -> RelatedAdult:
    _require_work(actor, adult.child)
    before = snapshot(adult, ADULT_FIELDS)
    fields = _only(fields, ADULT_FIELDS)
    changes = changes_between(before, {**before, **fields}, ADULT_FIELDS)
    if not changes:
        return adult
    with transaction.atomic():
        for name, value in fields.items():
            setattr(adult, name, value)
        adult.save()
        record_event(
            actor=actor,
            action=Action.ADULT_UPDATED,
            obj=adult,
            organisation=adult.child.organisation,
            changes=changes,
            detail={"child": str(adult.child_id)},
        )
    return adult


def add_professional(*, actor: User, child: Child, fields: Mapping[str, Any]) -> Professional:
    _require_work(actor, child)
    with transaction.atomic():
        professional = Professional.objects.create(
            child=child, **_only(fields, PROFESSIONAL_FIELDS)
        )
        record_event(
            actor=actor,
            action=Action.PROFESSIONAL_ADDED,
            obj=professional,
            organisation=child.organisation,
            detail={"child": str(child.id), "values": snapshot(professional, PROFESSIONAL_FIELDS)},
        )
    return professional


def update_professional(
    *, actor: User, professional: Professional, fields: Mapping[str, Any]
) -> Professional:
    _require_work(actor, professional.child)
    before = snapshot(professional, PROFESSIONAL_FIELDS)
    fields = _only(fields, PROFESSIONAL_FIELDS)
    changes = changes_between(before, {**before, **fields}, PROFESSIONAL_FIELDS)
    if not changes:
        return professional
    with transaction.atomic():
        for name, value in fields.items():
            setattr(professional, name, value)
        professional.save()
        record_event(
            actor=actor,
            action=Action.PROFESSIONAL_UPDATED,
            obj=professional,
            organisation=professional.child.organisation,
            changes=changes,
            detail={"child": str(professional.child_id)},
        )
    return professional


def _move_to_household(*, actor: User, child: Child, household: Household | None) -> None:
    old = child.household_id
    child.household = household
    child.updated_at = timezone.now()
    child.save(update_fields=["household", "updated_at"])
    record_event(
        actor=actor,
        action=Action.HOUSEHOLD_CHANGED,
        obj=child,
        organisation=child.organisation,
        changes={
            "household": {
                "old": str(old) if old else None,
                "new": str(household.pk) if household else None,
            }
        },
    )


def link_siblings(*, actor: User, child: Child, sibling: Child) -> Household:
    """Put a child and a brother or sister in one household.

    Everyone already in the child's household moves with them, so brothers and sisters of
    brothers and sisters end up together. Each move is audited with the old and new household.
    """
    _require_work(actor, child)
    _require_work(actor, sibling)
    if child.pk == sibling.pk:
        raise DomainError("Select a different child", field="sibling")
    if child.household_id is not None and child.household_id == sibling.household_id:
        raise DomainError(
            f"{sibling.display_name} is already in the same household", field="sibling"
        )
    with transaction.atomic():
        household = sibling.household or child.household
        if household is None:
            household = Household.objects.create(
                organisation=child.organisation, name=f"{sibling.last_name} household"
            )
            record_event(
                actor=actor,
                action=Action.HOUSEHOLD_CREATED,
                obj=household,
                organisation=child.organisation,
            )
        movers = [sibling] if sibling.household_id != household.pk else []
        if child.household_id is not None and child.household_id != household.pk:
            movers += list(Child.objects.filter(household_id=child.household_id))
        elif child.household_id is None:
            movers.append(child)
        for mover in movers:
            _move_to_household(actor=actor, child=mover, household=household)
    return household


def leave_household(*, actor: User, child: Child) -> Child:
    """Record that a child no longer lives with the brothers and sisters they were linked to."""
    _require_work(actor, child)
    if child.household_id is None:
        raise DomainError("This child is not linked to a household")
    with transaction.atomic():
        _move_to_household(actor=actor, child=child, household=None)
    return child
