"""Recording settings: an organisation's types of contact, its topics and its recording limit.

PRODUCT.md makes each of these the organisation's own: rule 7's list of types of contact and
the topics notes are filed under start from the defaults of the organisation's kind
(`defaults.py`), and rule 2's limit of 5 working days is "configurable per organisation".
Only an admin of the organisation changes them.

Nothing here is ever deleted: finalised notes name their type of contact and topics, and the
database keeps those notes as they were. A type or topic nobody should use any more is made
inactive instead: the note form stops offering it, and the notes that have it keep it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Model, QuerySet

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.models import ContactType, Entry, EntryStatus, Tag

CONTACT_TYPE_FIELDS = ("name", "is_visit", "visit_to_child", "reopenable", "is_active")
TAG_FIELDS = ("name", "is_active")
# What a final note shows depends on these: "Was the child seen?" is asked and shown for a
# visit to a child, "statutory, announced" for a visit. Changing them would change how notes
# already finalised read, so they are fixed once a final note has the type.
VISIT_FIELDS = ("is_visit", "visit_to_child")

# The models' `max_length`s, as the forms and messages need them.
CONTACT_TYPE_NAME_LENGTH = 100
TAG_NAME_LENGTH = 60

RECORDING_LIMIT_FIELD = "recording_limit_working_days"
FEWEST_WORKING_DAYS = 1
MOST_WORKING_DAYS = 20
RECORDING_LIMIT_MESSAGE = (
    f"Enter the number of working days, from {FEWEST_WORKING_DAYS} to {MOST_WORKING_DAYS}"
)


def can_change_recording_settings(user: User, organisation: Organisation) -> bool:
    """An active admin of this organisation (families have no admin, so never a family)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_organisation_admin
        and user.organisation_id == organisation.pk
    )


def contact_types_of(organisation: Organisation) -> QuerySet[ContactType]:
    """Every type of contact the organisation has, active or not, in the note form's order."""
    return ContactType.objects.filter(organisation=organisation).order_by("position", "name")


def tags_of(organisation: Organisation) -> QuerySet[Tag]:
    return Tag.objects.filter(organisation=organisation).order_by("position", "name")


def is_on_final_notes(contact_type: ContactType) -> bool:
    return Entry.objects.filter(contact_type=contact_type, status=EntryStatus.FINAL).exists()


def require_admin(actor: User, organisation_id: Any) -> Organisation:
    """The organisation, locked: two admins adding "Phone call" and "phone call" at once
    cannot both pass the check for a name already in use (PostgreSQL row lock; SQLite's
    IMMEDIATE transaction already holds the write lock). Call inside the transaction."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if not can_change_recording_settings(actor, organisation):
        raise NotPermittedError
    return organisation


def _tidy(name: str) -> str:
    """One space between words, none around them: "Phone  call " is "Phone call"."""
    return " ".join(name.split())


def check_name(
    name: str,
    *,
    existing: QuerySet[Any],
    noun: str,
    max_length: int,
    exclude: Model | None = None,
) -> str:
    name = _tidy(name)
    if not name:
        raise DomainError(f"Enter the name of the {noun}", field="name")
    if len(name) > max_length:
        raise DomainError(
            f"The name of the {noun} must be {max_length} characters or fewer", field="name"
        )
    # The database's unique constraint is case-sensitive; to the people choosing from the
    # list, "Phone call" and "phone call" are the same thing.
    clash = existing.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    found = clash.first()
    if found is not None:
        if not found.is_active:
            raise DomainError(
                f"There is already an inactive {noun} called {found.name}: "
                "change it to offer it again",
                field="name",
            )
        raise DomainError(f"There is already a {noun} called {found.name}", field="name")
    return name


def _check_visit_flags(*, is_visit: bool, visit_to_child: bool, reopenable: bool) -> None:
    if visit_to_child and not is_visit:
        # The model's check constraint says the same; this says it in words.
        raise DomainError(
            "A visit to a child must be a visit: select yes for whether it is a visit, "
            "or no for whether it is a visit to a child",
            field="visit_to_child",
        )
    if reopenable and not is_visit:
        # Rule 5 reopens visit notes only.
        raise DomainError(
            "Only a visit can be reopened: select no for whether a note can be reopened, "
            "or yes for whether it is a visit",
            field="reopenable",
        )


def next_position(rows: QuerySet[Any]) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def added_values(fields: Iterable[str], row: Model) -> dict[str, dict[str, Any]]:
    """A new row's values as changes from nothing, so every event reads the same way."""
    names = tuple(fields)
    return changes_between({}, snapshot(row, names), names)


@transaction.atomic
def add_contact_type(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    is_visit: bool,
    visit_to_child: bool,
    reopenable: bool,
) -> ContactType:
    """Add a type of contact to the organisation's list (rule 7), offered on new notes."""
    organisation = require_admin(actor, organisation.pk)
    types = contact_types_of(organisation)
    name = check_name(
        name,
        existing=types,
        noun="type of contact",
        max_length=CONTACT_TYPE_NAME_LENGTH,
    )
    _check_visit_flags(is_visit=is_visit, visit_to_child=visit_to_child, reopenable=reopenable)
    contact_type = ContactType.objects.create(
        organisation=organisation,
        name=name,
        is_visit=is_visit,
        visit_to_child=visit_to_child,
        reopenable=reopenable,
        position=next_position(types),
    )
    record_event(
        actor=actor,
        action=Action.CONTACT_TYPE_ADDED,
        obj=contact_type,
        organisation=organisation,
        changes=added_values(CONTACT_TYPE_FIELDS, contact_type),
    )
    return contact_type


@transaction.atomic
def change_contact_type(
    *,
    actor: User,
    contact_type: ContactType,
    name: str,
    is_visit: bool,
    visit_to_child: bool,
    reopenable: bool,
    is_active: bool,
) -> ContactType:
    """Rename a type of contact, change what it asks, or stop (or start again) offering it.

    Whether it is a visit, and a visit to a child, cannot change once a final note has the
    type: those notes would read differently (`VISIT_FIELDS`). Add a new type instead.
    """
    organisation = require_admin(actor, contact_type.organisation_id)
    contact_type = ContactType.objects.select_for_update().get(pk=contact_type.pk)
    name = check_name(
        name,
        existing=contact_types_of(organisation),
        noun="type of contact",
        max_length=CONTACT_TYPE_NAME_LENGTH,
        exclude=contact_type,
    )
    _check_visit_flags(is_visit=is_visit, visit_to_child=visit_to_child, reopenable=reopenable)
    before = snapshot(contact_type, CONTACT_TYPE_FIELDS)
    after = {
        "name": name,
        "is_visit": is_visit,
        "visit_to_child": visit_to_child,
        "reopenable": reopenable,
        "is_active": is_active,
    }
    changes = changes_between(before, after, CONTACT_TYPE_FIELDS)
    if not changes:
        return contact_type
    locked = [field for field in VISIT_FIELDS if field in changes]
    if locked and is_on_final_notes(contact_type):
        raise DomainError(
            "Finalised notes have this type of contact, so whether it is a visit cannot "
            "change. Add a new type of contact instead",
            field=locked[0],
        )
    for field, value in after.items():
        setattr(contact_type, field, value)
    contact_type.save(update_fields=list(changes))
    record_event(
        actor=actor,
        action=Action.CONTACT_TYPE_CHANGED,
        obj=contact_type,
        organisation=organisation,
        changes=changes,
    )
    return contact_type


@transaction.atomic
def add_tag(*, actor: User, organisation: Organisation, name: str) -> Tag:
    """Add a topic that notes can be filed under."""
    organisation = require_admin(actor, organisation.pk)
    tags = tags_of(organisation)
    name = check_name(
        name,
        existing=tags,
        noun="topic",
        max_length=TAG_NAME_LENGTH,
    )
    tag = Tag.objects.create(organisation=organisation, name=name, position=next_position(tags))
    record_event(
        actor=actor,
        action=Action.TAG_ADDED,
        obj=tag,
        organisation=organisation,
        changes=added_values(TAG_FIELDS, tag),
    )
    return tag


@transaction.atomic
def change_tag(*, actor: User, tag: Tag, name: str, is_active: bool) -> Tag:
    """Rename a topic, or stop (or start again) offering it; notes filed under it keep it."""
    organisation = require_admin(actor, tag.organisation_id)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    name = check_name(
        name,
        existing=tags_of(organisation),
        noun="topic",
        max_length=TAG_NAME_LENGTH,
        exclude=tag,
    )
    after = {"name": name, "is_active": is_active}
    changes = changes_between(snapshot(tag, TAG_FIELDS), after, TAG_FIELDS)
    if not changes:
        return tag
    for field, value in after.items():
        setattr(tag, field, value)
    tag.save(update_fields=list(changes))
    record_event(
        actor=actor, action=Action.TAG_CHANGED, obj=tag, organisation=organisation, changes=changes
    )
    return tag


@transaction.atomic
def set_recording_limit(
    *, actor: User, organisation: Organisation, working_days: int
) -> Organisation:
    """Rule 2: notes are finalised within this many working days of the event.

    Notes already finalised keep the timeliness stamped on them when they were finalised;
    the new limit applies to drafts' deadlines and to notes finalised from now on.
    """
    organisation = require_admin(actor, organisation.pk)
    if not FEWEST_WORKING_DAYS <= working_days <= MOST_WORKING_DAYS:
        raise DomainError(RECORDING_LIMIT_MESSAGE, field="working_days")
    changes = changes_between(
        snapshot(organisation, [RECORDING_LIMIT_FIELD]),
        {RECORDING_LIMIT_FIELD: working_days},
        [RECORDING_LIMIT_FIELD],
    )
    if not changes:
        return organisation
    organisation.recording_limit_working_days = working_days
    organisation.save(update_fields=[RECORDING_LIMIT_FIELD])
    record_event(
        actor=actor,
        action=Action.RECORDING_LIMIT_CHANGED,
        obj=organisation,
        organisation=organisation,
        changes=changes,
    )
    return organisation
