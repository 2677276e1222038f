"""Keeping a school's provision map (issue 8). Every write goes through here: each checks that
the actor keeps the school's SEN records (its SENCO or an admin), runs in one transaction and
writes one audit event.

Why the map is kept: the SEND Code of Practice asks a school to record the additional or
different provision it makes under SEN support and its impact (6.72), and commends the
provision map as an efficient way to do it (6.76: "provision maps are an efficient way of
showing all the provision that the school makes which is additional to and different from
that which is offered through the school's curriculum"); the impact of interventions on the
pupil's progress is checked in the "do" and "review" stages of the graduated approach
(6.52–6.56). Entry and exit measures on a scale the school chooses are what that check is
made from; the arithmetic is `caseledger.domain.sen.impact`'s.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen import impact as domain
from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.people.models import Child
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    MeasureScale,
    Place,
    SessionAbsence,
)
from caseledger.sen.access import keeps_sen_register

NAME_LENGTH = 150
TEXT_LENGTH = 4000
REASON_LENGTH = 200


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _check_may_keep(actor: User, organisation_id: UUID) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != organisation_id:
        raise NotPermittedError


def _not_future(day: date | None, *, field: str, noun: str) -> date:
    if day is None:
        raise DomainError(f"Enter {noun}", field=field)
    if day > timezone.localdate():
        capital = noun.removeprefix("the ")
        raise DomainError(
            f"{capital[:1].upper()}{capital[1:]} must be today or in the past", field=field
        )
    return day


# --- Measure scales -------------------------------------------------------------------------

PRESETS: dict[str, domain.Scale] = {
    "Standardised score": domain.STANDARDISED_SCORE,
    "Reading age (months)": domain.READING_AGE,
    "Judgement (−2 to +2)": domain.JUDGEMENT,
}
"""The scales most schools use, offered on the add page with their usual ranges."""


@transaction.atomic
def add_scale(
    *, actor: User, name: str, kind: str, minimum: int | None, maximum: int | None
) -> MeasureScale:
    """Add a scale the school records entry and exit measures on."""
    organisation = actor.organisation
    if organisation is None:
        raise NotPermittedError
    _check_may_keep(actor, organisation.pk)
    name = name.strip()
    if not name:
        raise DomainError("Enter the name of the scale", field="name")
    try:
        scale_kind = domain.ScaleKind(kind)
    except ValueError:
        raise DomainError("Select the kind of scale", field="kind") from None
    if minimum is None:
        raise DomainError("Enter the lowest score", field="minimum")
    if maximum is None:
        raise DomainError("Enter the highest score", field="maximum")
    domain.Scale(scale_kind, minimum, maximum)  # raises on a range that is not one
    if MeasureScale.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise DomainError("The school already has a scale with this name", field="name")
    scale = MeasureScale.objects.create(
        organisation=organisation,
        name=name,
        kind=scale_kind.value,
        minimum=minimum,
        maximum=maximum,
    )
    record_event(
        actor=actor,
        action=Action.MEASURE_SCALE_ADDED,
        obj=scale,
        organisation=organisation,
        detail={"name": name, "kind": scale_kind.value, "minimum": minimum, "maximum": maximum},
    )
    return scale


# --- The intervention library ----------------------------------------------------------------


@dataclass(frozen=True)
class InterventionDetails:
    """What the library records of an intervention, as the form sends it."""

    name: str
    area: str
    description: str
    intended_outcome: str
    wave: int | None
    group_size: int | None
    staff_role: str
    session_minutes: int | None
    sessions_per_week: int | None
    staff_cost_per_hour: Decimal | None
    other_costs_per_year: Decimal | None
    scale: MeasureScale | None
    is_active: bool = True


INTERVENTION_FIELDS = (
    "name",
    "area",
    "description",
    "intended_outcome",
    "wave",
    "group_size",
    "staff_role",
    "session_minutes",
    "sessions_per_week",
    "staff_cost_per_hour",
    "other_costs_per_year",
    "scale_id",
    "is_active",
)


def _checked_details(organisation: Organisation, details: InterventionDetails) -> dict[str, Any]:
    name = details.name.strip()
    if not name:
        raise DomainError("Enter the name of the intervention", field="name")
    if len(name) > NAME_LENGTH:
        raise DomainError(f"The name must be {NAME_LENGTH} characters or fewer", field="name")
    try:
        area = BroadArea(details.area)
    except ValueError:
        raise DomainError("Select the area of need", field="area") from None
    try:
        wave = Wave(details.wave or 0)
    except ValueError:
        raise DomainError("Select the wave", field="wave") from None
    if not details.staff_role.strip():
        raise DomainError("Enter the role of the staff who run it", field="staff_role")
    for text, field in (
        (details.description, "description"),
        (details.intended_outcome, "intended_outcome"),
    ):
        if len(text) > TEXT_LENGTH:
            raise DomainError(f"Enter {TEXT_LENGTH} characters or fewer", field=field)
    if details.staff_cost_per_hour is None:
        raise DomainError("Enter the cost of an hour of staff time", field="staff_cost_per_hour")
    if details.scale is None or details.scale.organisation_id != organisation.pk:
        raise DomainError("Select the scale its measures are on", field="scale")
    # The domain checks sizes, lengths and money (Intervention.__post_init__).
    domain.Intervention(
        name=name,
        area=area,
        wave=wave,
        session_minutes=details.session_minutes or 0,
        sessions_per_week=details.sessions_per_week or 0,
        group_size=details.group_size or 0,
        staff_cost_per_hour=details.staff_cost_per_hour,
        other_costs_per_year=details.other_costs_per_year or Decimal(0),
        scale=details.scale.as_domain(),
    )
    values = asdict(details)
    values.pop("scale")
    values.update(
        name=name,
        area=area.value,
        wave=wave.value,
        staff_role=details.staff_role.strip(),
        description=details.description.strip(),
        intended_outcome=details.intended_outcome.strip(),
        other_costs_per_year=details.other_costs_per_year or Decimal("0.00"),
        scale_id=details.scale.pk,
    )
    return values


def _name_taken(organisation: Organisation, name: str, *, other_than: UUID | None = None) -> bool:
    taken = Intervention.objects.filter(organisation=organisation, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


@transaction.atomic
def add_intervention(*, actor: User, details: InterventionDetails) -> Intervention:
    """Add an intervention to the school's library: the programmes and interventions a
    provision map gives the SENCO an overview of (Code of Practice 6.76)."""
    organisation = actor.organisation
    if organisation is None:
        raise NotPermittedError
    _check_may_keep(actor, organisation.pk)
    values = _checked_details(organisation, details)
    if _name_taken(organisation, values["name"]):
        raise DomainError("The library already has an intervention with this name", field="name")
    intervention = Intervention.objects.create(organisation=organisation, **values)
    record_event(
        actor=actor,
        action=Action.INTERVENTION_ADDED,
        obj=intervention,
        organisation=organisation,
        changes=changes_between(
            {}, snapshot(intervention, INTERVENTION_FIELDS), INTERVENTION_FIELDS
        ),
    )
    return intervention


@transaction.atomic
def change_intervention(
    *, actor: User, intervention: Intervention, details: InterventionDetails
) -> Intervention:
    """Change a library entry, or retire it (no longer active: kept, with its history, but no
    new groups). Costs apply to every session, past ones too: the library holds what the
    intervention costs, not a price list by date."""
    intervention = (
        Intervention.objects.select_for_update()
        .select_related("organisation")
        .get(pk=intervention.pk)
    )
    _check_may_keep(actor, intervention.organisation_id)
    values = _checked_details(intervention.organisation, details)
    if _name_taken(intervention.organisation, values["name"], other_than=intervention.pk):
        raise DomainError("The library already has an intervention with this name", field="name")
    if values["scale_id"] != intervention.scale_id and (
        Place.objects.filter(group__intervention=intervention)
        .exclude(entry_score=None, exit_score=None, target_exit=None)
        .exists()
    ):
        raise DomainError(
            "Pupils' scores are recorded on the current scale: keep it, or add a new intervention",
            field="scale",
        )
    before = snapshot(intervention, INTERVENTION_FIELDS)
    for name, value in values.items():
        setattr(intervention, name, value)
    after = snapshot(intervention, INTERVENTION_FIELDS)
    changes = changes_between(before, after, INTERVENTION_FIELDS)
    if not changes:
        raise DomainError("Change at least one of the details, or cancel")
    intervention.save()
    record_event(
        actor=actor,
        action=Action.INTERVENTION_CHANGED,
        obj=intervention,
        organisation=intervention.organisation,
        changes=changes,
    )
    return intervention


# --- Groups ------------------------------------------------------------------------------------


@transaction.atomic
def start_group(
    *,
    actor: User,
    intervention: Intervention,
    name: str,
    led_by: str,
    started_on: date | None,
) -> InterventionGroup:
    """Start a group running an intervention of the library."""
    intervention = (
        Intervention.objects.select_for_update()
        .select_related("organisation")
        .get(pk=intervention.pk)
    )
    _check_may_keep(actor, intervention.organisation_id)
    if not intervention.is_active:
        raise DomainError("The intervention has been retired: make it active to start a group")
    name = name.strip()
    if not name:
        raise DomainError("Enter the name of the group", field="name")
    started_on = _not_future(started_on, field="started_on", noun="the date the group started")
    if InterventionGroup.objects.filter(intervention=intervention, name__iexact=name).exists():
        raise DomainError("The intervention already has a group with this name", field="name")
    group = InterventionGroup.objects.create(
        intervention=intervention, name=name, led_by=led_by.strip(), started_on=started_on
    )
    record_event(
        actor=actor,
        action=Action.INTERVENTION_GROUP_ADDED,
        obj=group,
        organisation=intervention.organisation,
        detail={
            "intervention": str(intervention.pk),
            "name": name,
            "led_by": group.led_by,
            "started_on": started_on.isoformat(),
        },
    )
    return group


def _locked_group(group: InterventionGroup) -> InterventionGroup:
    return (
        InterventionGroup.objects.select_for_update()
        .select_related("intervention", "intervention__organisation", "intervention__scale")
        .get(pk=group.pk)
    )


@transaction.atomic
def end_group(*, actor: User, group: InterventionGroup, ended_on: date | None) -> None:
    """End a group: its open places end the same day."""
    group = _locked_group(group)
    _check_may_keep(actor, group.intervention.organisation_id)
    if group.ended_on is not None:
        raise DomainError(f"The group ended on {_day(group.ended_on)}")
    ended_on = _not_future(ended_on, field="ended_on", noun="the date the group ended")
    if ended_on < group.started_on:
        raise DomainError(
            f"The date the group ended must be on or after {_day(group.started_on)}, when it "
            "started",
            field="ended_on",
        )
    open_places = group.places.filter(ended_on__isnull=True)
    late = open_places.filter(started_on__gt=ended_on).first()
    if late is not None:
        raise DomainError(
            f"A pupil's place started on {_day(late.started_on)}: the group cannot end before it",
            field="ended_on",
        )
    if group.sessions.filter(held_on__gt=ended_on).exists():
        raise DomainError(
            "Sessions are recorded after that date: the group cannot end before them",
            field="ended_on",
        )
    # Its open places end with it, so none may end before its exit measure (as `end_place`).
    measured = (
        open_places.filter(exit_measured_on__gt=ended_on)
        .order_by("-exit_measured_on")
        .values_list("exit_measured_on", flat=True)
        .first()
    )
    if measured is not None:
        raise DomainError(
            f"A pupil's exit measure was taken on {_day(measured)}: the group cannot end before it",
            field="ended_on",
        )
    closed = open_places.update(ended_on=ended_on)
    group.ended_on = ended_on
    group.save(update_fields=["ended_on"])
    record_event(
        actor=actor,
        action=Action.INTERVENTION_GROUP_CHANGED,
        obj=group,
        organisation=group.intervention.organisation,
        changes={"ended_on": {"old": None, "new": ended_on.isoformat()}},
        detail={"places_ended": closed},
    )


# --- Places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A pupil's place as the form sends it: when it starts, the entry measure, and at most
    one target (a gain, or an exit score)."""

    started_on: date | None
    entry_score: int | None
    entry_measured_on: date | None
    target_gain: int | None = None
    target_exit: int | None = None


@transaction.atomic
def place_pupil(*, actor: User, group: InterventionGroup, child: Child, entry: Entry) -> Place:
    """Give a pupil of the school a place in a group, with their entry measure and target
    (Code of Practice 6.48: the baseline against which progress is checked)."""
    group = _locked_group(group)
    organisation = group.intervention.organisation
    _check_may_keep(actor, organisation.pk)
    if child.organisation_id != organisation.pk:
        raise DomainError("Select a pupil of the school", field="child")
    if group.ended_on is not None:
        raise DomainError(f"The group ended on {_day(group.ended_on)}")
    started_on = _not_future(
        entry.started_on, field="started_on", noun="the date the place started"
    )
    if started_on < group.started_on:
        raise DomainError(
            f"The place must start on or after {_day(group.started_on)}, when the group started",
            field="started_on",
        )
    if entry.target_gain is not None and entry.target_exit is not None:
        raise DomainError(
            "Enter a target gain or a target exit score, not both", field="target_gain"
        )
    if entry.entry_score is None and entry.entry_measured_on is not None:
        raise DomainError("Enter the entry score, or leave its date empty", field="entry_score")
    if entry.entry_score is not None:
        _not_future(
            entry.entry_measured_on,
            field="entry_measured_on",
            noun="the date of the entry measure",
        )
    domain.check_measure(
        group.intervention.scale.as_domain(),
        domain.Measure("new", entry.entry_score, None, entry.target_gain, entry.target_exit),
    )
    # A pupil holds one place at a time in a group: the places before this one have ended
    # before it starts.
    overlapping = group.places.filter(child=child).exclude(ended_on__lt=started_on)
    if overlapping.exists():
        raise DomainError(f"{child.display_name} already has a place in this group", field="child")
    place = Place.objects.create(
        group=group,
        child=child,
        started_on=started_on,
        entry_score=entry.entry_score,
        entry_measured_on=entry.entry_measured_on,
        target_gain=entry.target_gain,
        target_exit=entry.target_exit,
    )
    record_event(
        actor=actor,
        action=Action.PLACE_ADDED,
        obj=place,
        organisation=organisation,
        detail={
            "child": str(child.pk),
            "group": str(group.pk),
            "started_on": started_on.isoformat(),
            "entry_score": entry.entry_score,
            "target_gain": entry.target_gain,
            "target_exit": entry.target_exit,
        },
    )
    return place


def _locked_place(place: Place) -> Place:
    return (
        Place.objects.select_for_update()
        .select_related(
            "child",
            "group",
            "group__intervention",
            "group__intervention__organisation",
            "group__intervention__scale",
        )
        .get(pk=place.pk)
    )


@transaction.atomic
def end_place(*, actor: User, place: Place, ended_on: date | None) -> Place:
    """End a pupil's place (they leave the group).

    The place may not end before an absence or the exit measure already recorded for it:
    those would then fall outside the place, so the pupil's attendance and progress on the
    provision map would silently stop adding up (the same rule as `change_place`'s start)."""
    place = _locked_place(place)
    organisation = place.group.intervention.organisation
    _check_may_keep(actor, organisation.pk)
    if place.ended_on is not None:
        raise DomainError(f"The place ended on {_day(place.ended_on)}")
    ended_on = _not_future(ended_on, field="ended_on", noun="the date the place ended")
    if ended_on < place.started_on:
        raise DomainError(
            f"The date the place ended must be on or after {_day(place.started_on)}, when it "
            "started",
            field="ended_on",
        )
    last_absence = place.absences.order_by("-held_on").values_list("held_on", flat=True).first()
    if last_absence is not None and ended_on < last_absence:
        raise DomainError(
            f"{place.child.display_name} is recorded as absent on {_day(last_absence)}: the "
            "place must end on or after then",
            field="ended_on",
        )
    if place.exit_measured_on is not None and ended_on < place.exit_measured_on:
        raise DomainError(
            f"The exit measure was taken on {_day(place.exit_measured_on)}: the place must "
            "end on or after then",
            field="ended_on",
        )
    place.ended_on = ended_on
    place.save(update_fields=["ended_on"])
    record_event(
        actor=actor,
        action=Action.PLACE_CHANGED,
        obj=place,
        organisation=organisation,
        changes={"ended_on": {"old": None, "new": ended_on.isoformat()}},
        detail={"child": str(place.child_id)},
    )
    return place


PLACE_FIELDS = ("started_on", "entry_score", "entry_measured_on", "target_gain", "target_exit")


@transaction.atomic
def change_place(*, actor: User, place: Place, entry: Entry) -> Place:
    """Correct when a place started, its entry measure and its target. The entry measure is the
    baseline the review compares the exit measure with (Code of Practice 6.48, 6.54), so a
    mistyped one would misstate the pupil's progress; the audit event keeps the old values.

    The place may not start after an absence or exit measure already recorded for it: those
    would then fall outside the place and silently stop counting."""
    place = _locked_place(place)
    group = place.group
    organisation = group.intervention.organisation
    _check_may_keep(actor, organisation.pk)
    started_on = _not_future(
        entry.started_on, field="started_on", noun="the date the place started"
    )
    if started_on < group.started_on:
        raise DomainError(
            f"The place must start on or after {_day(group.started_on)}, when the group started",
            field="started_on",
        )
    if place.ended_on is not None and started_on > place.ended_on:
        raise DomainError(
            f"The place must start on or before {_day(place.ended_on)}, when it ended",
            field="started_on",
        )
    first_absence = place.absences.order_by("held_on").values_list("held_on", flat=True).first()
    if first_absence is not None and started_on > first_absence:
        raise DomainError(
            f"{place.child.display_name} is recorded as absent on {_day(first_absence)}: the "
            "place must start on or before then",
            field="started_on",
        )
    if place.exit_measured_on is not None and started_on > place.exit_measured_on:
        raise DomainError(
            f"The exit measure was taken on {_day(place.exit_measured_on)}: the place must "
            "start on or before then",
            field="started_on",
        )
    if entry.target_gain is not None and entry.target_exit is not None:
        raise DomainError(
            "Enter a target gain or a target exit score, not both", field="target_gain"
        )
    if entry.entry_score is None and entry.entry_measured_on is not None:
        raise DomainError("Enter the entry score, or leave its date empty", field="entry_score")
    if entry.entry_score is not None:
        measured_on = _not_future(
            entry.entry_measured_on,
            field="entry_measured_on",
            noun="the date of the entry measure",
        )
        if place.exit_measured_on is not None and measured_on > place.exit_measured_on:
            raise DomainError(
                "The date of the entry measure must be on or before the exit measure's, "
                f"{_day(place.exit_measured_on)}",
                field="entry_measured_on",
            )
    domain.check_measure(
        group.intervention.scale.as_domain(),
        domain.Measure("place", entry.entry_score, None, entry.target_gain, entry.target_exit),
    )
    # A pupil holds one place at a time in a group (as when the place was given).
    others = group.places.filter(child_id=place.child_id).exclude(pk=place.pk)
    overlapping = others.exclude(ended_on__lt=started_on)
    if place.ended_on is not None:
        overlapping = overlapping.filter(started_on__lte=place.ended_on)
    if overlapping.exists():
        raise DomainError(
            f"{place.child.display_name} has another place in this group on those dates",
            field="started_on",
        )
    before = snapshot(place, PLACE_FIELDS)
    after = {
        "started_on": started_on,
        "entry_score": entry.entry_score,
        "entry_measured_on": entry.entry_measured_on if entry.entry_score is not None else None,
        "target_gain": entry.target_gain,
        "target_exit": entry.target_exit,
    }
    changes = changes_between(before, after, PLACE_FIELDS)
    if not changes:
        raise DomainError("The place already has these details: change one to save it")
    for name, value in after.items():
        setattr(place, name, value)
    place.save(update_fields=list(PLACE_FIELDS))
    record_event(
        actor=actor,
        action=Action.PLACE_CHANGED,
        obj=place,
        organisation=organisation,
        changes=changes,
        detail={"child": str(place.child_id), "group": str(group.pk)},
    )
    return place


@transaction.atomic
def record_exit(
    *, actor: User, place: Place, exit_score: int | None, measured_on: date | None
) -> Place:
    """Record (or correct) a place's exit measure on the intervention's scale: the "review"
    of the graduated approach (Code of Practice 6.54) compares it with the entry measure."""
    place = _locked_place(place)
    organisation = place.group.intervention.organisation
    _check_may_keep(actor, organisation.pk)
    if exit_score is None:
        raise DomainError("Enter the exit score", field="exit_score")
    measured_on = _not_future(
        measured_on, field="exit_measured_on", noun="the date of the exit measure"
    )
    if measured_on < place.started_on:
        raise DomainError(
            f"The date of the exit measure must be on or after {_day(place.started_on)}, when "
            "the place started",
            field="exit_measured_on",
        )
    if place.entry_measured_on is not None and measured_on < place.entry_measured_on:
        raise DomainError(
            "The date of the exit measure must be on or after the entry measure's, "
            f"{_day(place.entry_measured_on)}",
            field="exit_measured_on",
        )
    domain.check_measure(
        place.group.intervention.scale.as_domain(), domain.Measure("place", None, exit_score)
    )
    before = {"exit_score": place.exit_score, "exit_measured_on": place.exit_measured_on}
    place.exit_score = exit_score
    place.exit_measured_on = measured_on
    changes = changes_between(
        before,
        {"exit_score": exit_score, "exit_measured_on": measured_on},
        ("exit_score", "exit_measured_on"),
    )
    if not changes:
        raise DomainError("The exit measure is already recorded as that")
    place.save(update_fields=["exit_score", "exit_measured_on"])
    record_event(
        actor=actor,
        action=Action.MEASURE_RECORDED,
        obj=place,
        organisation=organisation,
        changes=changes,
        detail={"child": str(place.child_id)},
    )
    return place


# --- Delivery ---------------------------------------------------------------------------------


@transaction.atomic
def log_session(
    *,
    actor: User,
    group: InterventionGroup,
    held_on: date | None,
    held: bool | None,
    reason: str = "",
    absent: Collection[UUID] = (),
) -> DeliverySession:
    """Record a timetabled session: held, with the pupils who were absent, or missed with the
    reason (the "do" stage's delivery record, Code of Practice 6.52)."""
    group = _locked_group(group)
    organisation = group.intervention.organisation
    _check_may_keep(actor, organisation.pk)
    held_on = _not_future(held_on, field="held_on", noun="the date of the session")
    if held_on < group.started_on:
        raise DomainError(
            f"The date of the session must be on or after {_day(group.started_on)}, when the "
            "group started",
            field="held_on",
        )
    if group.ended_on is not None and held_on > group.ended_on:
        raise DomainError(
            f"The date of the session must be on or before {_day(group.ended_on)}, when the "
            "group ended",
            field="held_on",
        )
    if held is None:
        raise DomainError("Select whether the session was held", field="held")
    reason = reason.strip()
    if not held and not reason:
        raise DomainError("Enter why the session was missed", field="reason")
    if len(reason) > REASON_LENGTH:
        raise DomainError(f"The reason must be {REASON_LENGTH} characters or fewer", field="reason")
    if held:
        reason = ""
    absent_ids = set(absent)
    if not held and absent_ids:
        raise DomainError("A session that was not held has no absences", field="absent")
    on_the_day = {
        place.pk: place
        for place in group.places.filter(started_on__lte=held_on).exclude(ended_on__lt=held_on)
    }
    if not absent_ids <= on_the_day.keys():
        raise DomainError("Select pupils who had a place in the group that day", field="absent")
    if DeliverySession.objects.filter(group=group, held_on=held_on).exists():
        raise DomainError(
            f"A session on {_day(held_on)} is already recorded for this group", field="held_on"
        )
    try:
        with transaction.atomic():
            session = DeliverySession.objects.create(
                group=group, held_on=held_on, held=held, reason=reason, recorded_by=actor
            )
    except IntegrityError:  # a session recorded at the same moment by someone else
        raise DomainError(
            f"A session on {_day(held_on)} is already recorded for this group", field="held_on"
        ) from None
    SessionAbsence.objects.bulk_create(
        SessionAbsence(session=session, place=on_the_day[place_id], held_on=held_on)
        for place_id in absent_ids
    )
    record_event(
        actor=actor,
        action=Action.SESSION_LOGGED,
        obj=session,
        organisation=organisation,
        detail={
            "group": str(group.pk),
            "held_on": held_on.isoformat(),
            "held": held,
            "reason": reason,
            "absent": sorted(str(on_the_day[place_id].child_id) for place_id in absent_ids),
        },
    )
    return session


# --- Exports ------------------------------------------------------------------------------------


@transaction.atomic
def record_export(
    *,
    actor: User,
    organisation: Organisation,
    table: str,
    filters: Mapping[str, str],
    rows: int,
    of: models.Model | None = None,
) -> None:
    """ASVS 16.3.2: an export is a read, logged with what was asked for, never the data.
    `of` is the record a table belongs to (an intervention, a pupil), so the log says whose
    figures left the system."""
    record_event(
        actor=actor,
        action=Action.PROVISION_EXPORTED,
        obj=of,
        organisation=organisation,
        detail={"table": table, "filters": dict(filters), "rows": rows},
    )
