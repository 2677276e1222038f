"""Keeping a school's SEN register (issue 8). Every write goes through here: each checks who
is acting, runs in one transaction, appends a `RegisterChange` and writes one audit event.

The rules: SEND Code of Practice 6.44–6.56 (SEN support: a pupil is placed on the register
once the school decides to make special educational provision, and taken off when it is no
longer needed, a decision recorded with the reason) and the school census's coding of SEN
provision and types of need, checked by `caseledger.domain.sen.check_needs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen.areas import NeedCode, SenProvision, check_needs
from caseledger.people.models import Child
from caseledger.sen.access import keeps_sen_register
from caseledger.sen.models import RegisterChange, RegisterEntry, RegisterStatus
from caseledger.vault.models import Document

REASON_LENGTH = 2000


@dataclass(frozen=True)
class Needs:
    """The census's coding of a pupil's place on the register: provision K or E and the
    types of need ranked 1 and 2 ("" for none), as the form sends them."""

    provision: str
    primary_need: str
    secondary_need: str = ""


@dataclass(frozen=True)
class Plans:
    """A looked-after pupil's Personal Education Plan and a pupil with medical needs'
    Individual Healthcare Plan, each a document in the vault with its next review."""

    education_plan: Document | None = None
    education_plan_review_on: date | None = None
    healthcare_plan: Document | None = None
    healthcare_plan_review_on: date | None = None


def _day(day: date | None) -> str:
    return date_format(day, "j F Y") if day is not None else "none"


def _checked_needs(needs: Needs) -> tuple[SenProvision, NeedCode, NeedCode | None]:
    try:
        provision = SenProvision(needs.provision)
    except ValueError:
        raise DomainError("Select the pupil's SEN provision", field="provision") from None
    try:
        primary = NeedCode(needs.primary_need)
    except ValueError:
        raise DomainError("Select the pupil's primary need", field="primary_need") from None
    secondary: NeedCode | None = None
    if needs.secondary_need:
        try:
            secondary = NeedCode(needs.secondary_need)
        except ValueError:
            raise DomainError(
                "Select the pupil's secondary need, or none", field="secondary_need"
            ) from None
    check_needs(provision, primary, secondary)
    return provision, primary, secondary


def _checked_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise DomainError("Enter the reason", field="reason")
    if len(reason) > REASON_LENGTH:
        raise DomainError(f"The reason must be {REASON_LENGTH} characters or fewer", field="reason")
    return reason


def _check_may_keep(actor: User, organisation: Organisation) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != organisation.pk:
        raise NotPermittedError


def pupils_to_add(organisation: Organisation) -> QuerySet[Child]:
    """The school's children not on its register now (never on it, or taken off it)."""
    return (
        Child.objects.filter(organisation=organisation)
        .filter(
            Q(sen_register_entry__isnull=True)
            | Q(sen_register_entry__status=RegisterStatus.REMOVED)
        )
        .order_by("last_name", "first_names", "id")
    )


def plan_documents(entry: RegisterEntry) -> QuerySet[Document]:
    """Documents that may be linked as the pupil's plans: the current versions of those kept
    on the school's cases about the pupil."""
    return (
        Document.objects.filter(
            organisation_id=entry.organisation_id,
            is_current=True,
            case_links__case__child_id=entry.child_id,
        )
        .distinct()
        .order_by("title", "id")
    )


def _append(
    *, actor: User, entry: RegisterEntry, kind: str, effective_on: date, what: str, reason: str
) -> RegisterChange:
    change = RegisterChange(
        entry=entry,
        kind=kind,
        made_by=actor,
        effective_on=effective_on,
        provision=entry.provision,
        primary_need=entry.primary_need,
        secondary_need=entry.secondary_need,
        what_changed=what,
        reason=reason,
    )
    change.save(force_insert=True)
    return change


def _audit(
    actor: User, action: Action, entry: RegisterEntry, changes: Mapping[str, Mapping[str, Any]]
) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=entry,
        organisation=entry.organisation,
        changes=changes,
        detail={"child": str(entry.child_id)},
    )


def _needs_text(provision: SenProvision, primary: NeedCode, secondary: NeedCode | None) -> str:
    text = f"{provision.label}; primary need {primary.abbreviation}"
    return text + (f", secondary need {secondary.abbreviation}" if secondary else "")


@transaction.atomic
def add_to_register(
    *, actor: User, child: Child, needs: Needs, started_on: date | None, reason: str = ""
) -> RegisterEntry:
    """Put a pupil of the school on its SEN register (Code of Practice 6.44), or back on it
    after they were taken off."""
    organisation = child.organisation
    _check_may_keep(actor, organisation)
    provision, primary, secondary = _checked_needs(needs)
    if started_on is None:
        raise DomainError("Enter the date the SEN provision started", field="started_on")
    if started_on > timezone.localdate():
        raise DomainError(
            "The date the SEN provision started must be today or in the past", field="started_on"
        )
    if started_on < child.date_of_birth:
        raise DomainError(
            "The date the SEN provision started must be after the pupil's date of birth",
            field="started_on",
        )
    reason = _checked_reason(reason, required=False)
    entry = RegisterEntry.objects.select_for_update().filter(child=child).first()
    if entry is not None and entry.is_on_register:
        raise DomainError(f"{child.display_name} is already on the register", field="child")
    if entry is None:
        entry = RegisterEntry(organisation=organisation, child=child)
    entry.provision = provision.value
    entry.primary_need = primary.value
    entry.secondary_need = secondary.value if secondary else ""
    entry.started_on = started_on
    entry.status = RegisterStatus.ON_REGISTER
    entry.removed_on = None
    entry.save()
    what = _needs_text(provision, primary, secondary)
    _append(
        actor=actor,
        entry=entry,
        kind=RegisterChange.Kind.ADDED,
        effective_on=started_on,
        what=what,
        reason=reason,
    )
    _audit(
        actor,
        Action.SEN_REGISTER_ADDED,
        entry,
        {
            "provision": {"old": None, "new": provision.value},
            "primary_need": {"old": None, "new": primary.value},
            "secondary_need": {"old": None, "new": entry.secondary_need},
            "started_on": {"old": None, "new": started_on.isoformat()},
        },
    )
    return entry


def _document_text(document: Document | None) -> str:
    return document.title if document is not None else "none"


def _check_plans(entry: RegisterEntry, plans: Plans) -> None:
    allowed = plan_documents(entry)
    for document, review_on, field, name in (
        (
            plans.education_plan,
            plans.education_plan_review_on,
            "education_plan",
            "Personal Education Plan",
        ),
        (
            plans.healthcare_plan,
            plans.healthcare_plan_review_on,
            "healthcare_plan",
            "Individual Healthcare Plan",
        ),
    ):
        if document is not None and not allowed.filter(pk=document.pk).exists():
            raise DomainError(f"Choose the {name} from the list", field=field)
        if document is None and review_on is not None:
            raise DomainError(
                f"Select the {name}, or leave its review date empty", field=f"{field}_review_on"
            )


@transaction.atomic
def change_entry(
    *, actor: User, entry: RegisterEntry, needs: Needs, plans: Plans, reason: str = ""
) -> RegisterChange:
    """Change a pupil's provision, needs or linked plans, as the school reviews them (Code of
    Practice 6.54–6.56); the change takes effect today."""
    entry = (
        RegisterEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
    )
    _check_may_keep(actor, entry.organisation)
    if not entry.is_on_register:
        raise DomainError("The pupil is not on the register: add them to it again")
    provision, primary, secondary = _checked_needs(needs)
    _check_plans(entry, plans)
    reason = _checked_reason(reason, required=False)
    old_docs = {
        "education_plan": entry.education_plan,
        "healthcare_plan": entry.healthcare_plan,
    }
    new_values: dict[str, tuple[str, Any, Any, str, str]] = {
        # field: (label, old stored, new stored, old shown, new shown)
        "provision": (
            "Provision",
            entry.provision,
            provision.value,
            SenProvision(entry.provision).label,
            provision.label,
        ),
        "primary_need": (
            "Primary need",
            entry.primary_need,
            primary.value,
            NeedCode(entry.primary_need).abbreviation,
            primary.abbreviation,
        ),
        "secondary_need": (
            "Secondary need",
            entry.secondary_need,
            secondary.value if secondary else "",
            entry.secondary_need_code.abbreviation if entry.secondary_need_code else "none",
            secondary.abbreviation if secondary else "none",
        ),
        "education_plan": (
            "Personal Education Plan",
            entry.education_plan_id,
            plans.education_plan.pk if plans.education_plan else None,
            _document_text(old_docs["education_plan"]),
            _document_text(plans.education_plan),
        ),
        "education_plan_review_on": (
            "Personal Education Plan review",
            entry.education_plan_review_on,
            plans.education_plan_review_on,
            _day(entry.education_plan_review_on),
            _day(plans.education_plan_review_on),
        ),
        "healthcare_plan": (
            "Individual Healthcare Plan",
            entry.healthcare_plan_id,
            plans.healthcare_plan.pk if plans.healthcare_plan else None,
            _document_text(old_docs["healthcare_plan"]),
            _document_text(plans.healthcare_plan),
        ),
        "healthcare_plan_review_on": (
            "Individual Healthcare Plan review",
            entry.healthcare_plan_review_on,
            plans.healthcare_plan_review_on,
            _day(entry.healthcare_plan_review_on),
            _day(plans.healthcare_plan_review_on),
        ),
    }
    changed = {name: values for name, values in new_values.items() if values[1] != values[2]}
    if not changed:
        raise DomainError("Change at least one of the details, or cancel")
    entry.provision = provision.value
    entry.primary_need = primary.value
    entry.secondary_need = secondary.value if secondary else ""
    entry.education_plan = plans.education_plan
    entry.education_plan_review_on = plans.education_plan_review_on
    entry.healthcare_plan = plans.healthcare_plan
    entry.healthcare_plan_review_on = plans.healthcare_plan_review_on
    entry.save()
    what = "; ".join(f"{label}: {old} to {new}" for label, _, _, old, new in changed.values())
    change = _append(
        actor=actor,
        entry=entry,
        kind=RegisterChange.Kind.CHANGED,
        effective_on=timezone.localdate(),
        what=what,
        reason=reason,
    )
    _audit(
        actor,
        Action.SEN_REGISTER_CHANGED,
        entry,
        {
            name: {"old": _plain(old), "new": _plain(new)}
            for name, (_, old, new, _, _) in changed.items()
        },
    )
    return change


def _plain(value: object) -> object:
    """A value as the audit trail keeps it (JSON): dates and ids as text."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)


@transaction.atomic
def remove_from_register(
    *, actor: User, entry: RegisterEntry, removed_on: date | None, reason: str
) -> RegisterChange:
    """Take a pupil off the register when the school decides they no longer need special
    educational provision (Code of Practice 6.58), with the date and the reason."""
    entry = (
        RegisterEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
    )
    _check_may_keep(actor, entry.organisation)
    if not entry.is_on_register:
        raise DomainError("The pupil has already been removed from the register")
    if removed_on is None:
        raise DomainError("Enter the date the pupil left the register", field="removed_on")
    if removed_on > timezone.localdate():
        raise DomainError(
            "The date the pupil left the register must be today or in the past",
            field="removed_on",
        )
    if removed_on < entry.started_on:
        raise DomainError(
            "The date the pupil left the register must be on or after "
            f"{_day(entry.started_on)}, when their SEN provision started",
            field="removed_on",
        )
    reason = _checked_reason(reason, required=True)
    entry.status = RegisterStatus.REMOVED
    entry.removed_on = removed_on
    entry.save()
    change = _append(
        actor=actor,
        entry=entry,
        kind=RegisterChange.Kind.REMOVED,
        effective_on=removed_on,
        what=f"Removed from the register on {_day(removed_on)}",
        reason=reason,
    )
    _audit(
        actor,
        Action.SEN_REGISTER_REMOVED,
        entry,
        {
            "status": {"old": RegisterStatus.ON_REGISTER.value, "new": entry.status},
            "removed_on": {"old": None, "new": removed_on.isoformat()},
        },
    )
    return change


def history(entry: RegisterEntry) -> list[RegisterChange]:
    return list(entry.changes.select_related("made_by").order_by("made_at", "id"))


@transaction.atomic
def record_export(
    *, actor: User, organisation: Organisation, filters: Mapping[str, str], rows: int
) -> None:
    """ASVS 16.3.2: an export of pupils' records is a read, logged with what was asked for,
    never the data itself."""
    record_event(
        actor=actor,
        action=Action.SEN_REGISTER_EXPORTED,
        organisation=organisation,
        detail={"filters": dict(filters), "rows": rows},
    )
