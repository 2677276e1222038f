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
from django.db.models import CharField, Count, Max, Min, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from caseledger.domain.sen import areas
from caseledger.domain.sen import impact as domain
from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.domain.sen.delivery_window import impacts_between
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


def open_in(places: QuerySet[Place], window: Window) -> QuerySet[Place]:
    """The places open on some day of the window: those whose figures it holds."""
    if window.year is None:
        return places
    return places.filter(started_on__lte=window.last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=window.first)
    )


def places_in(
    intervention: Intervention, window: Window, pupils: QuerySet[Child]
) -> QuerySet[Place]:
    """The intervention's places `load_delivery` reads for the window, of the `pupils` given
    (a teacher sees their classes' pupils only), by pupil then start, with the pupil and the
    group loaded."""
    return (
        open_in(Place.objects.filter(group__intervention=intervention), window)
        .filter(child__in=pupils)
        .select_related("child", "group")
        .order_by("child__last_name", "child__first_names", "started_on", "id")
    )


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
    places = open_in(places, window)
    if window.year is not None:
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


def pupil_provision(
    child: Child, *, since: date | None = None, until: date | None = None
) -> list[PupilProvision]:
    """Every place the child has had that was open on some day from `since` to `until` (both
    inclusive, either open-ended), oldest first, with sessions planned/held/attended, minutes,
    staff and other cost and the measure. With `since` or `until`, only the sessions dated
    from `since` to `until` count, and a year's other costs count when the place's first
    session of that year falls in them (`caseledger.domain.sen.delivery_window`): a cycle of
    a support plan shows what was delivered in it. A constant number of queries."""
    places = Place.objects.filter(child=child).select_related(
        "group", "group__intervention", "group__intervention__scale"
    )
    if since is not None:
        places = places.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
    if until is not None:
        places = places.filter(started_on__lte=until)
    own: Sequence[Place] = list(places.order_by("started_on", "id"))
    if not own:
        return []
    interventions = {place.group.intervention_id: place.group.intervention for place in own}
    # A period inside one academic year needs only that year's sessions and places: its
    # staff costs are shared by the places kept on each day and its other costs by the year's
    # places. Any other period needs every year.
    year = None
    if since is not None and until is not None and since <= until:
        year = domain.academic_year(since)
        if domain.academic_year(until) != year:
            year = None
    delivery = load_delivery(interventions, Window(year))
    found: dict[str, PupilImpact] = {}
    for intervention in interventions.values():
        part = delivery.of_intervention(intervention.name)
        for pupil in impacts_between(
            domain_intervention(intervention),
            part.groups,
            part.assignments,
            part.sessions,
            part.measures,
            since=since,
            until=until,
        ):
            if pupil.pupil == key_of(child.pk):
                found[pupil.assignment.key] = pupil
    return [PupilProvision(place, found[key_of(place.pk)]) for place in own]


def total_cost(provisions: Iterable[PupilProvision]) -> Decimal:
    return sum((provision.impact.cost for provision in provisions), Decimal("0.00"))


# --- The school's map and reports ---------------------------------------------------------


# --- Counting sessions in the database ------------------------------------------------------

# The few expressions SQLite and PostgreSQL write differently: the calendar year of a date,
# 1 September of a year, and the day after a date. Dates are text on SQLite, so `printf` and
# `date()` give the ISO 8601 text the column holds.
_DIALECTS: dict[str, dict[str, str]] = {
    "sqlite": {
        "year": "CAST(strftime('%%Y', {0}) AS integer)",
        "september": "printf('%%d-09-01', {0})",
        "day_after": "date({0}, '+1 day')",
    },
    "postgresql": {
        "year": "CAST(EXTRACT(YEAR FROM {0}) AS integer)",
        "september": "make_date({0}, 9, 1)",
        "day_after": "({0} + 1)",
    },
}

# A tally is a run of one group's sessions between two consecutive boundaries: the days its
# places start, the days after they end, each 1 September, and the first session. No place
# starts or ends inside it and it lies within one academic year, which is what
# `domain.Tally` asks. Only runs starting between the first and last session in the window
# are counted: they hold every session of the window and none outside it (a run ends by the
# next 1 September), so the count itself needs no window, which would stop SQLite from
# seeking the run's dates in the index. Each is counted by an index-only range scan of
# `session_held`; held and missed are packed into one sum, 1001 a held session and 1 a missed
# one (a tally has at most 366 sessions: one a day, within a year), so the range is scanned
# once.
_TALLIES_SQL = """
WITH RECURSIVE
g (id) AS ({groups}),
p (group_id, started_on, ended_on) AS ({places}),
r (lo, hi) AS (
    SELECT min(held_on), max(held_on) FROM provision_deliverysession
    WHERE group_id IN (SELECT id FROM g){window}
),
y (n) AS (
    SELECT {year_lo} FROM r WHERE lo IS NOT NULL
    UNION ALL SELECT n + 1 FROM y, r WHERE n <= {year_hi}
),
b (group_id, day) AS (
    SELECT group_id, started_on FROM p
    UNION SELECT group_id, {day_after} FROM p WHERE ended_on IS NOT NULL
    UNION SELECT g.id, {september} FROM g, y
    UNION SELECT g.id, r.lo FROM g, r WHERE r.lo IS NOT NULL
),
seg (group_id, lo, hi) AS (
    SELECT group_id, day, lead(day) OVER (PARTITION BY group_id ORDER BY day) FROM b
)
SELECT seg.group_id, seg.lo, seg.hi, (
    SELECT sum(CASE WHEN s.held THEN 1001 ELSE 1 END) FROM provision_deliverysession s
    WHERE s.group_id = seg.group_id AND s.held_on >= seg.lo AND s.held_on < seg.hi
)
FROM seg, r WHERE seg.lo >= r.lo AND seg.lo <= r.hi AND seg.hi IS NOT NULL
"""

# Absences, charged as the domain's sweep charges them: to the place the absent pupil held in
# the group on the session's day, once per session. Nearly always that is the absence's own
# place, and those are counted per place from the index on (place, date). The rest — an
# absence left outside its place's dates when the place's dates were changed afterwards —
# come back one by one, with whether the pupil's place on the day has its own absence for the
# session (then it is already counted), for Python to charge. An absence's session is always
# of its place's group: `services.log_session` takes the absent from the group's places.
_OWN_PLACE = "q.started_on <= a.held_on AND (q.ended_on IS NULL OR q.ended_on >= a.held_on)"
_ABSENCES_SQL = f"""
SELECT q.id, q.group_id, q.child_id, count(*),
    CASE WHEN {_OWN_PLACE} THEN NULL ELSE a.session_id END,
    CASE WHEN {_OWN_PLACE} THEN NULL ELSE a.held_on END,
    max(CASE WHEN {_OWN_PLACE} THEN 0 WHEN EXISTS (
        SELECT 1 FROM provision_sessionabsence a2
        JOIN provision_place q2 ON q2.id = a2.place_id
        WHERE a2.session_id = a.session_id AND q2.child_id = q.child_id
            AND q2.started_on <= a2.held_on
            AND (q2.ended_on IS NULL OR q2.ended_on >= a2.held_on)
    ) THEN 1 ELSE 0 END)
FROM provision_place q
JOIN provision_sessionabsence a ON a.place_id = q.id
WHERE q.id IN ({{places}}){{window}}
GROUP BY q.id, q.group_id, q.child_id, 5, 6
"""  # noqa: S608 (fixed text: every value is a parameter)


def _sql(queryset: QuerySet[Any, Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def load_tallied(
    intervention_ids: Iterable[UUID], window: Window | None = None
) -> tuple[Delivery, domain.Tallied]:
    """`load_delivery` without a row per session: the groups, places and measures as there,
    and the sessions counted in the database (`domain.Tallied`), in four queries whatever the
    number of sessions. `domain.provision_map_tallied` gives the same figures from them as
    `domain.provision_map` from `load_delivery`'s sessions."""
    ids = list(intervention_ids)
    window = window or Window()
    if not ids:
        return Delivery((), (), (), (), {}), domain.Tallied(())
    db = InterventionGroup.objects.db
    connection = connections[db]
    words = _DIALECTS[connection.vendor]
    groups_of = InterventionGroup.objects.filter(intervention_id__in=ids)
    group_rows = [
        (_key(key), name, _day(started), _day(ended))
        for key, name, started, ended in _rows(
            groups_of.order_by("id").values_list(
                "id", "intervention__name", "started_on", "ended_on"
            )
        )
    ]
    places = Place.objects.filter(group_id__in=groups_of.values("id"))
    between: tuple[Any, ...] = ()
    if window.year is not None:
        places = places.filter(started_on__lte=window.last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=window.first)
        )
        between = tuple(
            connection.ops.adapt_datefield_value(day) for day in (window.first, window.last)
        )
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
    groups_sql, groups_params = _sql(groups_of.order_by().values("id"))
    places_sql, places_params = _sql(places.order_by().values("group_id", "started_on", "ended_on"))
    window_sql = " AND held_on BETWEEN %s AND %s" if between else ""
    tallies_sql = _TALLIES_SQL.format(
        groups=groups_sql,
        places=places_sql,
        window=window_sql,
        year_lo=words["year"].format("lo"),
        year_hi=words["year"].format("r.hi"),
        day_after=words["day_after"].format("ended_on"),
        september=words["september"].format("y.n"),
    )
    tallies: list[domain.Tally] = []
    with connection.cursor() as cursor:
        cursor.execute(tallies_sql, (*groups_params, *places_params, *between))
        for group_id, lo, hi, packed in cursor.fetchall():
            if packed:  # None for a run with no session
                held, missed_ = divmod(int(packed), 1001)
                tallies.append(
                    domain.Tally(_key(group_id), _day(lo), _day(hi), held + missed_, held)
                )
    sessions = DeliverySession.objects.filter(group_id__in=groups_of.values("id"))
    if window.year is not None:
        sessions = sessions.filter(held_on__range=(window.first, window.last))
    missed = [
        domain.Missed(_key(group_id), reason, count)
        for group_id, reason, count in _rows(
            sessions.filter(held=False)
            .order_by()
            .values_list("group_id", "reason")
            .annotate(count=Count("id"))
        )
    ]
    place_ids_sql, place_ids_params = _sql(places.order_by().values("id"))
    absences: Counter[str] = Counter()
    stray: list[tuple[str, str, str, date]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            _ABSENCES_SQL.format(
                places=place_ids_sql, window=window_sql.replace("held_on", "a.held_on")
            ),
            (*place_ids_params, *between),
        )
        for place_id, group_id, child_id, count, session_id, held_on, counted in cursor:
            if session_id is None:
                absences[_key(place_id)] += count
            elif not counted:
                stray.append((_key(session_id), _key(group_id), _key(child_id), _day(held_on)))
    if stray:
        held_by: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
        for row in place_rows:
            held_by[row[2], row[1]].append(row)
        charged: set[tuple[str, str]] = set()
        for session_key, group_key, pupil, day in stray:
            for row in held_by.get((group_key, pupil), ()):
                if row[3] <= day and (row[4] is None or day <= row[4]):
                    if (session_key, pupil) not in charged:
                        charged.add((session_key, pupil))
                        absences[row[0]] += 1
                    break
    delivery = Delivery(
        groups=tuple(domain.Group(row[0], row[1]) for row in group_rows),
        assignments=tuple(
            domain.Assignment(row[0], row[1], row[2], row[3], row[4]) for row in place_rows
        ),
        sessions=(),
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
    return delivery, domain.Tallied(tuple(tallies), tuple(missed), dict(absences))


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
    six queries whatever the size of the school (sessions are counted in the database, see
    `load_tallied`)."""
    interventions = list(
        Intervention.objects.filter(organisation_id=organisation_id)
        .select_related("scale")
        .order_by("name", "id")
    )
    delivery, tallied = load_tallied([i.pk for i in interventions], window)
    impacts = domain.provision_map_tallied(
        [domain_intervention(i) for i in interventions],
        delivery.groups,
        delivery.assignments,
        tallied,
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
