"""Reading the provision map's tables into the domain's plain data, a constant number of
queries whatever the size of the school.

Rows are read with `values_list` and only the columns the arithmetic needs: a school with
three years of logs has tens of thousands of sessions, and building a model instance for each
would cost more than the arithmetic itself. The arithmetic is
`caseledger.domain.sen.impact`'s; nothing here computes a figure.

Costs are shared by everyone in a group on the day (staff time) and by every place of the
intervention in an academic year (other costs), so a pupil's figures are only right when
worked out over the whole of each intervention they were in: `pupil_provision` reads every
group of those interventions, not only the pupil's own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Max, Min, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from caseledger.domain.sen import areas
from caseledger.domain.sen import impact as domain
from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.domain.sen.impact import PupilImpact
from caseledger.domain.sen.year_groups import year_group
from caseledger.people.models import Child
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    Place,
    SessionAbsence,
)
from caseledger.sen.models import RegisterEntry, RegisterStatus


def domain_intervention(intervention: Intervention) -> domain.Intervention:
    """The library entry as the arithmetic reads it (its scale must be loaded)."""
    return domain.Intervention(
        name=intervention.name,
        area=BroadArea(intervention.area),
        wave=Wave(intervention.wave),
        session_minutes=intervention.session_minutes,
        sessions_per_week=intervention.sessions_per_week,
        group_size=intervention.group_size,
        staff_cost_per_hour=intervention.staff_cost_per_hour,
        other_costs_per_year=intervention.other_costs_per_year,
        scale=intervention.scale.as_domain(),
    )


@dataclass(frozen=True)
class Window:
    """An academic year (1 September to 31 August), or every year when `year` is None."""

    year: int | None = None

    @property
    def first(self) -> date | None:
        return None if self.year is None else date(self.year, 9, 1)

    @property
    def last(self) -> date | None:
        return None if self.year is None else date(self.year + 1, 8, 31)


@dataclass(frozen=True)
class Delivery:
    """The domain inputs for some interventions' groups: what `provision_map` and
    `pupil_impacts` take, keyed by the app's ids as text."""

    groups: tuple[domain.Group, ...]
    assignments: tuple[domain.Assignment, ...]
    sessions: tuple[domain.SessionLog, ...]
    measures: tuple[domain.Measure, ...]
    group_intervention: dict[str, str]  # group id → intervention name
    running: dict[str, str] = field(default_factory=dict)  # groups running in the window

    def of_intervention(self, name: str) -> Delivery:
        keys = {key for key, owner in self.group_intervention.items() if owner == name}
        return Delivery(
            groups=tuple(group for group in self.groups if group.key in keys),
            assignments=tuple(a for a in self.assignments if a.group in keys),
            sessions=tuple(s for s in self.sessions if s.group in keys),
            measures=self.measures,
            group_intervention=dict.fromkeys(keys, name),
        )


def _rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as the database driver gives them, without Django's
    per-value converters: a year of a large school's logs is ~50,000 sessions, and turning
    each id into a `UUID` and each date through Django's parser costs more than the
    arithmetic. `_key` and `_day` do the little conversion needed."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # filtered by an empty list: nothing to ask the database
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _stream(queryset: QuerySet[Any, Any]) -> Iterator[tuple[Any, ...]]:
    """`_rows`, a row at a time: each row is freed as soon as it is read, so ~50,000 row
    tuples never live at once (fewer objects for the garbage collector to walk mid-page)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor


def _key(value: Any) -> str:
    """An id as text, the same from every driver: SQLite stores a UUID as 32 hex digits,
    PostgreSQL's driver gives a `UUID`."""
    return value.hex if isinstance(value, UUID) else str(value).replace("-", "")


def key_of(value: UUID) -> str:
    """The key `load_delivery` gives a row with this id (a place, a pupil, a group)."""
    return value.hex


def _day(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


_new = object.__new__
_set = object.__setattr__


def _stored_log(
    group: str, on: date, held: bool, reason: str, absent: frozenset[str]
) -> domain.SessionLog:
    """A `SessionLog` for a row already stored, without `__post_init__`'s checks: the
    service checked them when the session was recorded, and the table's constraint
    (`missed_session_has_reason`) holds them. Checking 50,000 rows again on every page costs
    a tenth of the page's time budget."""
    log: domain.SessionLog = _new(domain.SessionLog)
    _set(log, "group", group)
    _set(log, "on", on)
    _set(log, "held", held)
    _set(log, "reason", reason)
    _set(log, "absent", absent)
    return log


def load_delivery(intervention_ids: Iterable[UUID], window: Window | None = None) -> Delivery:
    """Every group of the interventions, their places, sessions, absences and measures, in
    four queries. With an academic year, only the sessions held in it and the places open
    during some of it, so the figures are that year's. Keys are ids as `key_of` writes them."""
    ids = list(intervention_ids)
    window = window or Window()
    group_rows = [
        (_key(key), name, _day(started), _day(ended))
        for key, name, started, ended in _rows(
            InterventionGroup.objects.filter(intervention_id__in=ids)
            .order_by("id")
            .values_list("id", "intervention__name", "started_on", "ended_on")
        )
    ]
    of_interventions = InterventionGroup.objects.filter(intervention_id__in=ids).values("id")
    places = Place.objects.filter(group_id__in=of_interventions)
    sessions = DeliverySession.objects.filter(group_id__in=of_interventions)
    absences = SessionAbsence.objects.all()
    if window.year is not None:
        places = places.filter(started_on__lte=window.last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=window.first)
        )
        sessions = sessions.filter(held_on__range=(window.first, window.last))
    place_rows = [
        (_key(row[0]), _key(row[1]), _key(row[2]), _day(row[3]), _day(row[4]), *row[5:])
        for row in _rows(
            places.order_by("group_id", "started_on", "id").values_list(
                "id",
                "child_id",
                "group_id",
                "started_on",
                "ended_on",
                "entry_score",
                "exit_score",
                "target_gain",
                "target_exit",
            )
        )
    ]
    # Absences by the places loaded (an index on place, no join): a place open in the window
    # may have absences outside it, whose sessions are not loaded and so are passed over.
    pupil_of = {row[0]: row[1] for row in place_rows}
    absent: dict[Any, set[str]] = defaultdict(set)
    for session_id, place_id in _rows(
        absences.filter(place_id__in=places.values("id")).values_list("session_id", "place_id")
    ):
        pupil = pupil_of.get(_key(place_id))
        if pupil is not None:  # None only for a place added since the places were read
            absent[session_id].add(pupil)
    # Dates as text (ISO 8601 from either database), so the driver does not parse each one
    # through Django's converter; the C `date.fromisoformat` reads them.
    session_rows = _stream(
        sessions.annotate(day=Cast("held_on", CharField()))
        .order_by("group_id", "held_on")
        .values_list("group_id", "id", "day", "held", "reason")
    )
    logs: list[domain.SessionLog] = []
    add = logs.append
    parse = date.fromisoformat
    no_one: frozenset[str] = frozenset()
    new, put, log_type = _new, _set, domain.SessionLog
    for group_id, rows in groupby(session_rows, itemgetter(0)):
        key = _key(group_id)
        for _, session_id, day, held, reason in rows:
            # `_stored_log`, inline: this runs once per session, ~50,000 times a page.
            pupils = absent.get(session_id)
            log = new(log_type)
            put(log, "group", key)
            put(log, "on", parse(day))
            put(log, "held", bool(held))
            put(log, "reason", reason)
            put(log, "absent", frozenset(pupils) if pupils else no_one)
            add(log)
    return Delivery(
        groups=tuple(domain.Group(row[0], row[1]) for row in group_rows),
        assignments=tuple(
            domain.Assignment(row[0], row[1], row[2], row[3], row[4]) for row in place_rows
        ),
        sessions=tuple(logs),
        measures=tuple(
            domain.Measure(row[0], row[5], row[6], row[7], row[8]) for row in place_rows
        ),
        group_intervention={row[0]: row[1] for row in group_rows},
        running={
            key: name
            for key, name, started, ended in group_rows
            if window.first is None
            or window.last is None
            or (started <= window.last and (ended is None or ended >= window.first))
        },
    )


@dataclass(frozen=True)
class PupilProvision:
    place: Place  # with place.group and place.group.intervention (and its scale) loaded
    impact: PupilImpact  # caseledger.domain.sen.impact.PupilImpact for this place

    @property
    def intervention(self) -> Intervention:
        return self.place.group.intervention


def pupil_provision(child: Child, *, since: date | None = None) -> list[PupilProvision]:
    """Every place the child has had (ended on or after `since`, or still open), oldest first,
    with sessions planned/held/attended, minutes, staff and other cost and the measure. A
    constant number of queries."""
    places = Place.objects.filter(child=child).select_related(
        "group", "group__intervention", "group__intervention__scale"
    )
    if since is not None:
        places = places.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
    own: Sequence[Place] = list(places.order_by("started_on", "id"))
    if not own:
        return []
    interventions = {place.group.intervention_id: place.group.intervention for place in own}
    delivery = load_delivery(interventions)
    found: dict[str, PupilImpact] = {}
    for intervention in interventions.values():
        part = delivery.of_intervention(intervention.name)
        for pupil in domain.pupil_impacts(
            domain_intervention(intervention),
            part.groups,
            part.assignments,
            part.sessions,
            part.measures,
        ):
            if pupil.pupil == key_of(child.pk):
                found[pupil.assignment.key] = pupil
    return [PupilProvision(place, found[key_of(place.pk)]) for place in own]


def total_cost(provisions: Iterable[PupilProvision]) -> Decimal:
    return sum((provision.impact.cost for provision in provisions), Decimal("0.00"))


# --- The school's map and reports ---------------------------------------------------------


@dataclass(frozen=True)
class MapRow:
    """An intervention of the library with its groups running in the window and its impact."""

    intervention: Intervention
    groups: int
    impact: domain.InterventionImpact


def academic_years(organisation_id: UUID) -> list[int]:
    """The academic years the school has logged sessions in, latest first, and the current
    one: what the map's filter offers."""
    bounds = DeliverySession.objects.filter(
        group__intervention__organisation_id=organisation_id
    ).aggregate(first=Min("held_on"), last=Max("held_on"))
    today = domain.academic_year(timezone.localdate())
    first = domain.academic_year(bounds["first"]) if bounds["first"] else today
    return list(range(today, first - 1, -1))


def school_map(organisation_id: UUID, window: Window) -> list[MapRow]:
    """Every intervention of the school's library, by name, with its impact over the window:
    five queries whatever the size of the school."""
    interventions = list(
        Intervention.objects.filter(organisation_id=organisation_id)
        .select_related("scale")
        .order_by("name", "id")
    )
    delivery = load_delivery([i.pk for i in interventions], window)
    impacts = domain.provision_map(
        [domain_intervention(i) for i in interventions],
        delivery.groups,
        delivery.assignments,
        delivery.sessions,
        delivery.measures,
    )
    groups: Counter[str] = Counter(delivery.running.values())
    return [
        MapRow(intervention, groups[intervention.name], impact)
        for intervention, impact in zip(interventions, impacts, strict=True)
    ]


def register_entries(organisation_id: UUID, on: date) -> list[areas.RegisterEntry]:
    """The pupils on the school's SEN register, as the reports count them (year group on `on`)."""
    rows = (
        RegisterEntry.objects.filter(
            organisation_id=organisation_id, status=RegisterStatus.ON_REGISTER
        )
        .order_by("id")
        .values_list(
            "child_id", "child__date_of_birth", "provision", "primary_need", "secondary_need"
        )
    )
    return [
        areas.RegisterEntry(
            pupil=str(child_id),
            year_group=year_group(born, on),
            provision=areas.SenProvision(provision),
            primary_need=areas.NeedCode(primary),
            secondary_need=areas.NeedCode(secondary) if secondary else None,
        )
        for child_id, born, provision, primary, secondary in rows
    ]
