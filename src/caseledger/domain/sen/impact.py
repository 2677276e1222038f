"""The arithmetic of a provision map: what each intervention delivered, what it cost, and
what it achieved, per pupil and per intervention; interventions ranked by effectiveness; and
the school-wide tables of need and provision. The Code of Practice asks schools to evaluate
the impact of their provision, so as to "develop the use of interventions that are effective
and … remove those that are less so" (chapter 6, on provision maps).

Inputs are plain, frozen data the app reads from its tables:

- an `Intervention` from the school's library: session length in minutes, sessions a week,
  planned group size, the staff cost of an hour in pounds (what the school pays for the hour,
  on-costs included), other costs in pounds **per academic year** (licences, materials,
  training: what does not grow with the number of sessions), and the `Scale` its entry and
  exit measures are on;
- `Group`s running it, each with the app's identifier, unique in the school;
- `Assignment`s: a pupil's place in a group, from a start date to an end date (inclusive;
  open while the end is None);
- `SessionLog`s: one row per timetabled session of a group, held or missed (with the
  reason), and which of the group's pupils were absent from a held session. Planned sessions
  are the ones logged: a missed session is logged as missed, so it counts against delivery;
- `Measure`s: a place's entry and exit scores on the intervention's scale and, optionally, a
  target gain or a target exit score.

The rules, each chosen and written down because a school will check the figures by hand:

- A held session costs `minutes / 60 × staff cost per hour`, once, whatever the group size.
  Its cost is shared equally by the pupils assigned to the group on the day (absent or not:
  the place was kept for them). A held session with nobody assigned is "unallocated".
- Other costs are charged for each academic year (1 September to 31 August) in which a pupil
  was assigned on the day of a logged session, and that year's sum is shared equally by the
  places that were.
- "Per pupil" is per place: a pupil who does an intervention twice counts twice.
- Money is `Decimal`, in pounds to the penny. Shares are computed exactly (as fractions of
  a penny) and rounded once: totals with ROUND_HALF_UP (a half penny up, as a school business
  manager and a spreadsheet's ROUND do by hand; Python's default, half to even, would differ
  from their figures at every exact half penny); the pupils' shares are then apportioned by
  largest remainder so the per-pupil column adds up to the total exactly and every share is
  within a penny of its exact value. Floats never touch money: £14.10 has no binary form.
- Gain is exit − entry. A place without an exit measure is "not yet measured": counted in
  cost, left out of gains and targets. Average gain is over measured places; the share
  meeting their target is over measured places that have a target.
- Cost per unit of gain is cost per pupil ÷ average gain, and None when the gain is zero or
  less: a cost per point of nothing, or of going backwards, has no meaning.
- Effectiveness, for ranking, is average gain per £100 of cost per pupil (not per hour):
  the budget is what a school decides with, and per hour ignores that a group of six costs a
  sixth of one-to-one. Gains on different kinds of scale are not comparable, so interventions
  are ranked within their scale kind; ties go by name, then by the order given.

The work is linear in the logs. Each session is read three times, in tight passes (its
group, its date, whether it was missed or had someone absent), sorting is linear on logs
read in group and date order (as the app's queries give them), and everything else is per
change of a group's membership, per place, or per session with an absence. `provision_map`
keeps to totals, building nothing per place; `pupil_impacts` gives the per-place detail of
one intervention. Pure Python, no Django.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from itertools import chain, groupby, pairwise
from operator import attrgetter, itemgetter
from typing import NamedTuple

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.areas import (
    AREA_COLUMNS,
    BroadArea,
    NeedCode,
    RegisterEntry,
    SenProvision,
    Wave,
    year_group_label,
)

ZERO = Fraction(0)


# --- Money and rounding -----------------------------------------------------------------------


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """`value` rounded to `places` decimal places, a half away from zero (Decimal's
    ROUND_HALF_UP), computed exactly from the fraction."""
    scaled = value * 10**places
    whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def pounds(pence: int) -> Decimal:
    return Decimal(pence).scaleb(-2)


def apportion(numerators: Sequence[int], denominator: int) -> list[int]:
    """Whole pence for shares of `numerators[i] / denominator` pence each (none negative),
    adding up to their sum rounded half up: each share's whole part, and the pence left over
    to the largest fractional parts, the earlier share first on a tie (largest remainder)."""
    total = _half_up(sum(numerators), denominator)
    floors = [numerator // denominator for numerator in numerators]
    left_over = total - sum(floors)
    if left_over:
        by_remainder = sorted(
            range(len(numerators)), key=lambda index: -(numerators[index] % denominator)
        )
        for index in by_remainder[:left_over]:
            floors[index] += 1
    return floors


def _half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` (not negative) to a whole number, a half up."""
    return (2 * numerator + denominator) // (2 * denominator)


def _pence(amount: Decimal) -> Fraction:
    return Fraction(amount) * 100


def _check_money(amount: Decimal, *, field: str) -> None:
    if not amount.is_finite() or amount < 0:
        raise DomainError("Enter an amount of £0 or more", field=field)


def academic_year(day: date) -> int:
    """The calendar year the academic year of `day` starts in (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


# --- Inputs -----------------------------------------------------------------------------------


class ScaleKind(StrEnum):
    STANDARDISED_SCORE = "standardised_score"
    READING_AGE_MONTHS = "reading_age_months"
    JUDGEMENT = "judgement"

    @property
    def label(self) -> str:
        return _SCALE_LABELS[self]


_SCALE_LABELS: dict[ScaleKind, str] = {
    ScaleKind.STANDARDISED_SCORE: "Standardised score",
    ScaleKind.READING_AGE_MONTHS: "Reading age in months",
    ScaleKind.JUDGEMENT: "Judgement from −2 to +2",
}


@dataclass(frozen=True)
class Scale:
    """What entry and exit measures are recorded on; a school sets the range it uses.

    On the judgement scale (−2 significantly less progress than expected … +2 significantly
    more), a school that rates only the outcome records it as the exit score with an entry
    of 0, so the gain is the judgement.
    """

    kind: ScaleKind
    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.minimum >= self.maximum:
            raise DomainError("The highest score must be more than the lowest", field="maximum")

    def check(self, score: int, *, field: str) -> None:
        if not self.minimum <= score <= self.maximum:
            raise DomainError(
                f"Enter a score between {self.minimum} and {self.maximum}", field=field
            )


STANDARDISED_SCORE = Scale(ScaleKind.STANDARDISED_SCORE, 40, 160)
"""Mean 100, standard deviation 15: four deviations either side covers every published test."""
READING_AGE = Scale(ScaleKind.READING_AGE_MONTHS, 0, 240)
JUDGEMENT = Scale(ScaleKind.JUDGEMENT, -2, 2)


@dataclass(frozen=True)
class Intervention:
    """An intervention in the school's library, known by its name. Money in pounds:
    `staff_cost_per_hour` for one hour of the staff time a session takes;
    `other_costs_per_year` for each academic year in which it runs."""

    name: str
    area: BroadArea
    wave: Wave
    session_minutes: int
    sessions_per_week: int
    group_size: int
    staff_cost_per_hour: Decimal
    other_costs_per_year: Decimal = Decimal(0)
    scale: Scale = STANDARDISED_SCORE

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("Enter the name of the intervention", field="name")
        if self.session_minutes < 1:
            raise DomainError("Enter the length of a session in minutes", field="session_minutes")
        if self.sessions_per_week < 1:
            raise DomainError(
                "Enter how many sessions a week, 1 or more", field="sessions_per_week"
            )
        if self.group_size < 1:
            raise DomainError("Enter the group size, 1 or more", field="group_size")
        _check_money(self.staff_cost_per_hour, field="staff_cost_per_hour")
        _check_money(self.other_costs_per_year, field="other_costs_per_year")

    @property
    def session_cost(self) -> Decimal:
        """The staff cost of one held session, to the penny."""
        return round_half_up(_session_pence(self) / 100)

    @property
    def weekly_cost_per_place(self) -> Decimal:
        """The staff cost a week of one place in a full group, as timetabled: what the
        library shows before any session is held."""
        return round_half_up(_session_pence(self) * self.sessions_per_week / self.group_size / 100)


def _session_pence(intervention: Intervention) -> Fraction:
    """The staff cost of one held session, exactly, in pence."""
    return _pence(intervention.staff_cost_per_hour) * intervention.session_minutes / 60


@dataclass(frozen=True, slots=True)
class Group:
    """A group running an intervention; `key` is the app's identifier, unique in the
    school."""

    key: str
    intervention: str


@dataclass(frozen=True, slots=True)
class Assignment:
    """A pupil's place in a group, `start` to `end` inclusive. `key` is the app's
    identifier for the place; measures refer to it."""

    key: str
    pupil: str
    group: str
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise DomainError(
                "The end date must be the same as or after the start date", field="end"
            )


@dataclass(frozen=True, slots=True)
class SessionLog:
    """One timetabled session of a group: held, or missed with the reason; `absent` names
    the pupils of the group who missed a held session."""

    group: str
    on: date
    held: bool = True
    reason: str = ""
    absent: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.held and not self.reason.strip():
            raise DomainError("Enter why the session was missed", field="reason")
        if not self.held and self.absent:
            raise DomainError("A session that was not held has no absences", field="absent")


@dataclass(frozen=True, slots=True)
class Measure:
    """A place's entry and exit scores on its intervention's scale, and at most one
    target: a gain, or an exit score."""

    assignment: str
    entry_score: int | None = None
    exit_score: int | None = None
    target_gain: int | None = None
    target_exit: int | None = None

    def __post_init__(self) -> None:
        if self.target_gain is not None and self.target_exit is not None:
            raise DomainError(
                "Enter a target gain or a target exit score, not both", field="target_gain"
            )

    @property
    def gain(self) -> int | None:
        if self.entry_score is None or self.exit_score is None:
            return None
        return self.exit_score - self.entry_score

    @property
    def target_met(self) -> bool | None:
        """None when there is no target or the place is not measured (both scores)."""
        gain = self.gain
        if gain is None or self.exit_score is None:
            return None
        if self.target_exit is not None:
            return self.exit_score >= self.target_exit
        if self.target_gain is not None:
            return gain >= self.target_gain
        return None


def check_measure(scale: Scale, measure: Measure) -> None:
    """Raise a `DomainError` unless every score of the measure is on the scale. Services
    call it when a measure is entered; reports take the scores as stored, so changing a
    scale's range later does not stop the provision map from showing."""
    for score, name in (
        (measure.entry_score, "entry_score"),
        (measure.exit_score, "exit_score"),
        (measure.target_exit, "target_exit"),
    ):
        if score is not None:
            scale.check(score, field=name)


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """`part` of `whole`, kept as counts so a page can say "8 of 12 (66.7%)"."""

    part: int
    whole: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.part, self.whole) if self.whole else None

    def percent(self, places: int = 1) -> Decimal | None:
        value = self.value
        return None if value is None else round_half_up(value * 100, places)


class MeasureStatus(StrEnum):
    MEASURED = "measured"
    NOT_YET_MEASURED = "not_yet_measured"
    NO_ENTRY_MEASURE = "no_entry_measure"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS: dict[MeasureStatus, str] = {
    MeasureStatus.MEASURED: "Measured",
    MeasureStatus.NOT_YET_MEASURED: "Not yet measured",
    MeasureStatus.NO_ENTRY_MEASURE: "No entry measure",
}


def measure_status(measure: Measure | None) -> MeasureStatus:
    if measure is None or measure.exit_score is None:
        return MeasureStatus.NOT_YET_MEASURED
    if measure.entry_score is None:
        return MeasureStatus.NO_ENTRY_MEASURE
    return MeasureStatus.MEASURED


@dataclass(frozen=True)
class PupilImpact:
    """One place's delivery, cost and progress."""

    assignment: Assignment
    sessions_planned: int
    sessions_held: int
    sessions_attended: int
    minutes_attended: int
    staff_cost: Decimal
    other_cost: Decimal
    measure: Measure | None

    @property
    def pupil(self) -> str:
        return self.assignment.pupil

    @property
    def cost(self) -> Decimal:
        return self.staff_cost + self.other_cost

    @property
    def status(self) -> MeasureStatus:
        return measure_status(self.measure)

    @property
    def gain(self) -> int | None:
        return None if self.measure is None else self.measure.gain

    @property
    def target_met(self) -> bool | None:
        return None if self.measure is None else self.measure.target_met

    @property
    def delivery(self) -> Ratio:
        return Ratio(self.sessions_held, self.sessions_planned)

    @property
    def attendance(self) -> Ratio:
        return Ratio(self.sessions_attended, self.sessions_held)

    @property
    def cost_per_unit_of_gain(self) -> Decimal | None:
        """None unless the pupil gained: no cost per point of nothing or of going back."""
        gain = self.gain
        if gain is None or gain <= 0:
            return None
        return round_half_up(Fraction(self.cost) / gain)


@dataclass(frozen=True)
class InterventionImpact:
    """An intervention's delivery, cost and progress over the logs given.

    `staff_cost` is every held session's; the places' staff costs add up to it less
    `unallocated_staff_cost`, and their other costs to `other_cost`. `attendance` is over
    places: sessions attended of sessions held while the place was kept. `largest_group` is
    the most places a logged session was for (compare with the library's group size).
    `average_gain` and `gain_per_100_pounds` are exact; `rounded` shows them.
    """

    intervention: Intervention
    places: int
    pupils: frozenset[str]
    sessions_planned: int
    sessions_held: int
    missed_by_reason: tuple[tuple[str, int], ...]
    largest_group: int
    staff_cost: Decimal
    unallocated_staff_cost: Decimal
    other_cost: Decimal
    academic_years: int
    attendance: Ratio
    measured: int
    not_yet_measured: int
    no_entry_measure: int
    average_gain: Fraction | None
    target: Ratio
    cost_per_pupil: Decimal | None
    cost_per_unit_of_gain: Decimal | None
    gain_per_100_pounds: Fraction | None

    @property
    def name(self) -> str:
        return self.intervention.name

    @property
    def staff_minutes(self) -> int:
        return self.sessions_held * self.intervention.session_minutes

    @property
    def staff_hours(self) -> Decimal:
        return round_half_up(Fraction(self.staff_minutes, 60))

    @property
    def cost(self) -> Decimal:
        return self.staff_cost + self.other_cost

    @property
    def delivery(self) -> Ratio:
        return Ratio(self.sessions_held, self.sessions_planned)


def rounded(value: Fraction | None, places: int = 2) -> Decimal | None:
    """An exact figure for display, half up."""
    return None if value is None else round_half_up(value, places)


# --- Sweeping a group's logs ------------------------------------------------------------------


class _Span(NamedTuple):
    """Sessions of a group in which its membership and academic year stayed the same, and
    the pupils absent from them, once for each absence."""

    planned: int
    held: int
    year: int
    places: tuple[Assignment, ...]
    absent: list[str]


@dataclass
class _Swept:
    spans: list[_Span] = field(default_factory=list)
    planned: int = 0
    held: int = 0
    unallocated: int = 0
    largest: int = 0
    missed_reasons: list[str] = field(default_factory=list)


_ON = attrgetter("on")
_ABSENT = attrgetter("absent")
_GROUP = attrgetter("group")
_KEY = attrgetter("key")
_PUPIL = attrgetter("pupil")
_FIRST = itemgetter(0)


def _sweep(assignments: list[Assignment], sessions: list[SessionLog]) -> _Swept:
    """Walk one group's sessions in date order, span by span: a span ends where a place
    starts or ends or an academic year begins. Each session is read twice, in tight passes
    (its date; whether it was missed or had someone absent); the rest of the work is per
    span, per place and per exceptional session."""
    swept = _Swept(planned=len(sessions))
    # Two passes over the sessions (reading each one costs more than testing it); only the
    # few exceptional ones, missed or with someone absent, are sorted as sessions.
    dates = sorted(map(_ON, sessions))
    exceptional = sorted(
        [session for session in sessions if session.absent or not session.held], key=_ON
    )
    missed = [session for session in exceptional if not session.held]
    missed_dates = list(map(_ON, missed))
    with_absence = [session for session in exceptional if session.absent]
    absence_dates = list(map(_ON, with_absence))
    swept.held = len(sessions) - len(missed)
    swept.missed_reasons = [session.reason.strip() for session in missed]

    # Where places start and stop, as positions in `dates`; a place with no session in its
    # dates takes part in nothing.
    starts: list[tuple[int, Assignment]] = []
    stops: list[tuple[int, Assignment]] = []
    for place in assignments:
        start = bisect_left(dates, place.start)
        stop = len(dates) if place.end is None else bisect_right(dates, place.end)
        if start < stop:
            starts.append((start, place))
            stops.append((stop, place))
    starts.sort(key=_FIRST)
    stops.sort(key=_FIRST)
    cuts = {0, len(dates)}
    cuts.update(start for start, _ in starts)
    cuts.update(stop for stop, _ in stops)
    if dates:
        cuts.update(
            bisect_left(dates, date(year, 9, 1))
            for year in range(academic_year(dates[0]) + 1, academic_year(dates[-1]) + 1)
        )

    active: dict[str, Assignment] = {}  # by pupil
    started = stopped = missed_from = absence_from = 0
    ordered = sorted(cuts)
    for first, last in pairwise(ordered):
        while stopped < len(stops) and stops[stopped][0] <= first:
            del active[stops[stopped][1].pupil]
            stopped += 1
        while started < len(starts) and starts[started][0] <= first:
            place = starts[started][1]
            if place.pupil in active:
                raise DomainError(
                    "The pupil is already in this group for some of those dates", field="start"
                )
            active[place.pupil] = place
            started += 1
        # A span never splits a day, so its sessions are those dated within its first and
        # last day.
        until = dates[last - 1]
        missed_to = bisect_right(missed_dates, until, missed_from)
        absence_to = bisect_right(absence_dates, until, absence_from)
        held = last - first - (missed_to - missed_from)
        if not active:
            swept.unallocated += held
        else:
            swept.largest = max(swept.largest, len(active))
            absent: list[str] = []
            if absence_to > absence_from:
                absent = list(
                    chain.from_iterable(map(_ABSENT, with_absence[absence_from:absence_to]))
                )
                if not set(absent) <= active.keys():
                    # An absence recorded for a pupil with no place that day counts against
                    # nobody.
                    absent = [pupil for pupil in absent if pupil in active]
            swept.spans.append(
                _Span(
                    last - first,
                    held,
                    academic_year(dates[first]),
                    tuple(active.values()),
                    absent,
                )
            )
        missed_from, absence_from = missed_to, absence_to
    return swept


@dataclass
class _Run:
    """One intervention's groups: their places and sessions, and what sweeping them found."""

    assignments: list[Assignment] = field(default_factory=list)
    groups: dict[str, tuple[list[Assignment], list[SessionLog]]] = field(default_factory=dict)
    swept: list[_Swept] = field(default_factory=list)

    def sweep(self) -> None:
        self.swept = [_sweep(*group) for group in self.groups.values()]


def _runs(
    interventions: Iterable[Intervention],
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    sessions: Iterable[SessionLog],
    *,
    sweep: bool = True,
) -> dict[str, tuple[Intervention, _Run]]:
    """Sort the rows into the runs of the interventions given; rows of other interventions,
    and of groups not given, are left out. Consecutive rows of one group are moved together,
    so logs read in group order (as the app's query orders them) are sorted in C, not row
    by row; any order gives the same answer."""
    runs: dict[str, tuple[Intervention, _Run]] = {}
    for intervention in interventions:
        if intervention.name in runs:
            raise DomainError("An intervention with this name already exists", field="name")
        runs[intervention.name] = (intervention, _Run())
    by_group: dict[str, tuple[list[Assignment], list[SessionLog]]] = {}
    run_of: dict[str, _Run] = {}
    for group in groups:
        if group.key in by_group:
            raise DomainError("Each group needs its own reference", field="key")
        if group.intervention in runs:
            run = runs[group.intervention][1]
            by_group[group.key] = run.groups[group.key] = ([], [])
            run_of[group.key] = run
    for key, places in groupby(assignments, _GROUP):
        members = by_group.get(key)
        if members is not None:
            members[0].extend(places)
    for key, logs in groupby(sessions, _GROUP):
        members = by_group.get(key)
        if members is not None:
            members[1].extend(logs)
    for key, (places_of_group, _) in by_group.items():
        run_of[key].assignments += places_of_group
    count = sum(len(run.assignments) for _, run in runs.values())
    if len({a.key for _, run in runs.values() for a in run.assignments}) < count:
        raise DomainError("Each place in a group needs its own reference", field="key")
    if sweep:
        for _, run in runs.values():
            run.sweep()
    return runs


# --- Per intervention -------------------------------------------------------------------------


def provision_map(
    interventions: Iterable[Intervention],
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    sessions: Iterable[SessionLog],
    measures: Iterable[Measure] = (),
) -> tuple[InterventionImpact, ...]:
    """The impact of every intervention given, in the order given."""
    runs = _runs(interventions, groups, assignments, sessions)
    by_place = {measure.assignment: measure for measure in measures}
    return tuple(_summarise(intervention, run, by_place) for intervention, run in runs.values())


def intervention_impact(
    intervention: Intervention,
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    sessions: Iterable[SessionLog],
    measures: Iterable[Measure] = (),
) -> InterventionImpact:
    return provision_map([intervention], groups, assignments, sessions, measures)[0]


def _summarise(
    intervention: Intervention, run: _Run, measures: Mapping[str, Measure]
) -> InterventionImpact:
    session = _session_pence(intervention)
    planned = held = unallocated = largest = place_sessions_held = absences = 0
    years: set[int] = set()
    reasons: list[str] = []
    for swept in run.swept:
        planned += swept.planned
        held += swept.held
        unallocated += swept.unallocated
        largest = max(largest, swept.largest)
        reasons += swept.missed_reasons
        for span in swept.spans:
            absences += len(span.absent)
            place_sessions_held += span.held * len(span.places)
            years.add(span.year)
    staff_total = _half_up(session.numerator * held, session.denominator)
    staff_allocated = _half_up(session.numerator * (held - unallocated), session.denominator)
    other_total = int(round_half_up(_pence(intervention.other_costs_per_year) * len(years), 0))

    places = len(run.assignments)
    gains: list[int] = []
    targets_met = with_target = not_yet_measured = 0
    for measure in map(measures.get, map(_KEY, run.assignments)):
        # Measure.gain and Measure.target_met, inline: this runs once per place.
        if measure is None or measure.exit_score is None:
            not_yet_measured += 1
        elif measure.entry_score is not None:
            gain = measure.exit_score - measure.entry_score
            gains.append(gain)
            if measure.target_exit is not None:
                with_target += 1
                targets_met += measure.exit_score >= measure.target_exit
            elif measure.target_gain is not None:
                with_target += 1
                targets_met += gain >= measure.target_gain

    cost_per_pupil = Fraction(staff_allocated + other_total, places) if places else None
    average_gain = Fraction(sum(gains), len(gains)) if gains else None
    cost_per_unit_of_gain = gain_per_100_pounds = None
    if cost_per_pupil is not None and average_gain is not None:
        if average_gain > 0:
            cost_per_unit_of_gain = round_half_up(cost_per_pupil / average_gain / 100)
        if cost_per_pupil > 0:
            gain_per_100_pounds = average_gain / cost_per_pupil * 100 * 100
    return InterventionImpact(
        intervention=intervention,
        places=places,
        pupils=frozenset(map(_PUPIL, run.assignments)),
        sessions_planned=planned,
        sessions_held=held,
        missed_by_reason=tuple(
            sorted(Counter(reasons).items(), key=lambda item: (-item[1], item[0]))
        ),
        largest_group=largest,
        staff_cost=pounds(staff_total),
        unallocated_staff_cost=pounds(staff_total - staff_allocated),
        other_cost=pounds(other_total),
        academic_years=len(years),
        attendance=Ratio(place_sessions_held - absences, place_sessions_held),
        measured=len(gains),
        not_yet_measured=not_yet_measured,
        no_entry_measure=places - len(gains) - not_yet_measured,
        average_gain=average_gain,
        target=Ratio(targets_met, with_target),
        cost_per_pupil=None if cost_per_pupil is None else round_half_up(cost_per_pupil / 100),
        cost_per_unit_of_gain=cost_per_unit_of_gain,
        gain_per_100_pounds=gain_per_100_pounds,
    )


def pupil_impacts(
    intervention: Intervention,
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    sessions: Iterable[SessionLog],
    measures: Iterable[Measure] = (),
) -> tuple[PupilImpact, ...]:
    """Each place in the intervention, by pupil then start. Its staff and other costs are
    its exact shares apportioned to the penny, so each column adds up to the intervention's
    allocated staff cost and its other cost exactly."""
    _, run = _runs([intervention], groups, assignments, sessions)[intervention.name]
    return _pupil_impacts(intervention, run, {measure.assignment: measure for measure in measures})


def _pupil_impacts(
    intervention: Intervention, run: _Run, by_place: Mapping[str, Measure]
) -> tuple[PupilImpact, ...]:
    planned: Counter[str] = Counter()
    held: Counter[str] = Counter()
    held_by_size: dict[str, Counter[int]] = defaultdict(Counter)
    places_in_year: dict[int, set[str]] = defaultdict(set)
    absences: Counter[str] = Counter()
    for swept in run.swept:
        for span in swept.spans:
            size = len(span.places)
            if span.absent:
                place_of = {place.pupil: place.key for place in span.places}
                absences.update(place_of[pupil] for pupil in span.absent)
            for place in span.places:
                planned[place.key] += span.planned
                held[place.key] += span.held
                held_by_size[place.key][size] += span.held
                places_in_year[span.year].add(place.key)

    # Exact shares in pence over one common denominator, so apportioning is integer work.
    session = _session_pence(intervention)
    common = math.lcm(*{size for sizes in held_by_size.values() for size in sizes})
    staff = apportion(
        [
            session.numerator
            * sum(count * (common // size) for size, count in held_by_size[a.key].items())
            for a in run.assignments
        ],
        session.denominator * common,
    )
    year = _pence(intervention.other_costs_per_year)
    years_of: dict[str, list[int]] = defaultdict(list)
    for y, keys in places_in_year.items():
        for key in keys:
            years_of[key].append(y)
    shared_by = math.lcm(*(len(keys) for keys in places_in_year.values()))
    other = apportion(
        [
            year.numerator * sum(shared_by // len(places_in_year[y]) for y in years_of[a.key])
            for a in run.assignments
        ],
        year.denominator * shared_by,
    )

    pupils = [
        PupilImpact(
            assignment=a,
            sessions_planned=planned[a.key],
            sessions_held=held[a.key],
            sessions_attended=held[a.key] - absences[a.key],
            minutes_attended=(held[a.key] - absences[a.key]) * intervention.session_minutes,
            staff_cost=pounds(staff_pence),
            other_cost=pounds(other_pence),
            measure=by_place.get(a.key),
        )
        for a, staff_pence, other_pence in zip(run.assignments, staff, other, strict=True)
    ]
    pupils.sort(key=lambda pupil: (pupil.pupil, pupil.assignment.start, pupil.assignment.key))
    return tuple(pupils)


# --- From tallies: the same figures without a row per session ------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """A run of one group's logged sessions, dated from `first` to the day before `until`:
    `sessions` of them, `held` of which were held. A tally lies within one academic year, and
    no place of the group starts or ends inside it (a place starting on or before `first`
    and ending on or after the day before `until` covers all of its sessions; any other place,
    none), so its sessions share a membership and a year. The app's query counts sessions
    this way in the database, so a page reads hundreds of tallies instead of tens of
    thousands of sessions; `tally_sessions` is the same counting in Python, to check it."""

    group: str
    first: date
    until: date
    sessions: int
    held: int


@dataclass(frozen=True, slots=True)
class Missed:
    """How many of a group's logged sessions were missed for one reason."""

    group: str
    reason: str
    sessions: int


@dataclass(frozen=True)
class Tallied:
    """What `provision_map_tallied` and `pupil_impacts_tallied` read instead of sessions:
    the tallies, the missed sessions by reason, and for each place the sessions its pupil
    was absent from while the place was theirs (of those tallied)."""

    tallies: tuple[Tally, ...]
    missed: tuple[Missed, ...] = ()
    absences: Mapping[str, int] = field(default_factory=dict)


_TALLY_FIRST = attrgetter("first")
_ONE_DAY = timedelta(days=1)


def tally_sessions(assignments: Iterable[Assignment], sessions: Iterable[SessionLog]) -> Tallied:
    """The sessions counted as the app's query counts them: each group's sessions cut into
    runs where a place starts, the day after one ends, and on each 1 September; an absence
    charged to the place its pupil held in the session's group on the day (none, if they had
    no place then)."""
    places = list(assignments)
    cuts: dict[str, set[date]] = defaultdict(set)
    for place in places:
        cuts[place.group].add(place.start)
        if place.end is not None:
            cuts[place.group].add(place.end + _ONE_DAY)
    logs = sorted(sessions, key=attrgetter("group", "on"))
    tallies: list[Tally] = []
    missed: Counter[tuple[str, str]] = Counter()
    absences: Counter[str] = Counter()
    for key, of_group in groupby(logs, _GROUP):
        runs: dict[date, list[SessionLog]] = defaultdict(list)
        group_cuts = cuts[key]
        for session in of_group:
            begins = [cut for cut in group_cuts if cut <= session.on]
            begins.append(date(academic_year(session.on), 9, 1))
            runs[max(begins)].append(session)
            if not session.held:
                missed[key, session.reason] += 1
            for pupil in session.absent:
                for place in places:
                    if (
                        place.group == key
                        and place.pupil == pupil
                        and place.start <= session.on
                        and (place.end is None or session.on <= place.end)
                    ):
                        absences[place.key] += 1
        for begin, run in runs.items():
            after = [cut for cut in group_cuts if cut > begin]
            after.append(date(academic_year(begin) + 1, 9, 1))
            tallies.append(Tally(key, begin, min(after), len(run), sum(log.held for log in run)))
    return Tallied(
        tuple(tallies),
        tuple(Missed(group, reason, count) for (group, reason), count in missed.items()),
        dict(absences),
    )


def _sweep_tallies(
    assignments: list[Assignment], tallies: list[Tally], absences: Mapping[str, int]
) -> _Swept:
    """`_sweep` over tallies instead of sessions: spans are runs of whole tallies, cut where
    a place starts or stops covering them or an academic year begins. Each place's absences
    go to the first span it is in (the figures only ever add them up per place)."""
    tallies = sorted(tallies, key=_TALLY_FIRST)
    firsts = [tally.first for tally in tallies]
    planned_to = [0]
    held_to = [0]
    for before, tally in zip([None, *tallies], tallies, strict=False):
        if not 0 <= tally.held <= tally.sessions or tally.sessions < 1:
            raise ValueError(f"A tally counts one session or more, some held: {tally}")
        if tally.until <= tally.first or academic_year(tally.until - _ONE_DAY) != academic_year(
            tally.first
        ):
            raise ValueError(f"A tally must lie within one academic year: {tally}")
        if before is not None and before.until > tally.first:
            raise ValueError(f"Tallies of a group must not overlap: {before}, {tally}")
        planned_to.append(planned_to[-1] + tally.sessions)
        held_to.append(held_to[-1] + tally.held)
    swept = _Swept(planned=planned_to[-1], held=held_to[-1])

    starts: list[tuple[int, Assignment]] = []
    stops: list[tuple[int, Assignment]] = []
    for place in assignments:
        start = bisect_left(firsts, place.start)
        stop = len(firsts) if place.end is None else bisect_right(firsts, place.end)
        # A place starting or ending inside a tally would share some of its sessions only.
        if (start and tallies[start - 1].until > place.start) or (
            stop and place.end is not None and tallies[stop - 1].until > place.end + _ONE_DAY
        ):
            raise ValueError(f"A place starts or ends inside a tally: {place}")
        if start < stop:
            starts.append((start, place))
            stops.append((stop, place))
    starts.sort(key=_FIRST)
    stops.sort(key=_FIRST)
    cuts = {0, len(firsts)}
    cuts.update(start for start, _ in starts)
    cuts.update(stop for stop, _ in stops)
    cuts.update(
        index
        for index, (before, tally) in enumerate(pairwise(tallies), start=1)
        if academic_year(before.first) != academic_year(tally.first)
    )

    active: dict[str, Assignment] = {}  # by pupil
    started = stopped = 0
    for first, last in pairwise(sorted(cuts)):
        while stopped < len(stops) and stops[stopped][0] <= first:
            del active[stops[stopped][1].pupil]
            stopped += 1
        absent: list[str] = []
        while started < len(starts) and starts[started][0] <= first:
            place = starts[started][1]
            if place.pupil in active:
                raise DomainError(
                    "The pupil is already in this group for some of those dates", field="start"
                )
            active[place.pupil] = place
            absent += [place.pupil] * absences.get(place.key, 0)
            started += 1
        held = held_to[last] - held_to[first]
        if not active:
            swept.unallocated += held
            continue
        swept.largest = max(swept.largest, len(active))
        swept.spans.append(
            _Span(
                planned_to[last] - planned_to[first],
                held,
                academic_year(firsts[first]),
                tuple(active.values()),
                absent,
            )
        )
    return swept


def _tallied_runs(
    interventions: Iterable[Intervention],
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    tallied: Tallied,
) -> dict[str, tuple[Intervention, _Run]]:
    runs = _runs(interventions, groups, assignments, (), sweep=False)
    by_group: dict[str, list[Tally]] = defaultdict(list)
    for tally in tallied.tallies:
        by_group[tally.group].append(tally)
    reasons: dict[str, list[str]] = defaultdict(list)
    for missed in tallied.missed:
        reasons[missed.group] += [missed.reason.strip()] * missed.sessions
    for _, run in runs.values():
        run.swept = []
        for key, (places, _) in run.groups.items():
            swept = _sweep_tallies(places, by_group.get(key, []), tallied.absences)
            if len(reasons[key]) != swept.planned - swept.held:
                raise ValueError(f"The missed sessions of group {key} do not match its tallies")
            swept.missed_reasons = reasons[key]
            run.swept.append(swept)
    return runs


def provision_map_tallied(
    interventions: Iterable[Intervention],
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    tallied: Tallied,
    measures: Iterable[Measure] = (),
) -> tuple[InterventionImpact, ...]:
    """`provision_map` from tallies: the same figures, to the penny."""
    runs = _tallied_runs(interventions, groups, assignments, tallied)
    by_place = {measure.assignment: measure for measure in measures}
    return tuple(_summarise(intervention, run, by_place) for intervention, run in runs.values())


def pupil_impacts_tallied(
    intervention: Intervention,
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    tallied: Tallied,
    measures: Iterable[Measure] = (),
) -> tuple[PupilImpact, ...]:
    """`pupil_impacts` from tallies: the same figures, to the penny."""
    _, run = _tallied_runs([intervention], groups, assignments, tallied)[intervention.name]
    return _pupil_impacts(intervention, run, {measure.assignment: measure for measure in measures})


# --- Ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedIntervention:
    """`position` is 1 for the most effective within its scale kind; None when there is
    nothing to rank by (no pupil measured, or nothing spent)."""

    position: int | None
    impact: InterventionImpact

    @property
    def scale_kind(self) -> ScaleKind:
        return self.impact.intervention.scale.kind


def rank_interventions(impacts: Iterable[InterventionImpact]) -> tuple[RankedIntervention, ...]:
    """Every impact once: grouped by scale kind (in `ScaleKind` order), most gain per £100
    first, then those that cannot be ranked; ties by name, then in the order given."""
    kinds = list(ScaleKind)

    def order(impact: InterventionImpact) -> tuple[int, bool, Fraction, str]:
        effectiveness = impact.gain_per_100_pounds
        return (
            kinds.index(impact.intervention.scale.kind),
            effectiveness is None,
            -(effectiveness if effectiveness is not None else ZERO),
            impact.name,
        )

    ranked: list[RankedIntervention] = []
    positions: Counter[ScaleKind] = Counter()
    for impact in sorted(impacts, key=order):
        position = None
        if impact.gain_per_100_pounds is not None:
            positions[impact.intervention.scale.kind] += 1
            position = positions[impact.intervention.scale.kind]
        ranked.append(RankedIntervention(position, impact))
    return tuple(ranked)


# --- School-wide ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    """Pupils of a year group by broad area, in the order of `AREA_COLUMNS`."""

    year_group: int
    counts: tuple[int, ...]

    @property
    def label(self) -> str:
        return year_group_label(self.year_group)

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class NeedPattern:
    """Patterns of need: a row per year group on the register (youngest first), a column per
    broad area and one for needs in none (`columns`)."""

    rows: tuple[NeedRow, ...]
    columns: tuple[BroadArea | None, ...] = AREA_COLUMNS

    def count(self, year_group: int, area: BroadArea | None) -> int:
        column = self.columns.index(area)
        for row in self.rows:
            if row.year_group == year_group:
                return row.counts[column]
        return 0

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(
            sum(row.counts[column] for row in self.rows) for column in range(len(self.columns))
        )

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def patterns_of_need(
    register: Iterable[RegisterEntry],
    *,
    include_secondary: bool = False,
    provision: SenProvision | None = None,
) -> NeedPattern:
    """Count register entries by year group and the broad area of their primary need. With
    `include_secondary`, a secondary need in another area counts there too, so a pupil can be
    counted twice (never twice in one area). `provision` keeps only SEN support or EHC plans."""
    counts: Counter[tuple[int, BroadArea | None]] = Counter()
    for entry in register:
        if provision is not None and entry.provision is not provision:
            continue
        areas = entry.areas if include_secondary else entry.areas[:1]
        for area in areas:
            counts[entry.year_group, area] += 1
    year_groups = sorted({year_group for year_group, _ in counts})
    return NeedPattern(
        tuple(
            NeedRow(year_group, tuple(counts[year_group, area] for area in AREA_COLUMNS))
            for year_group in year_groups
        )
    )


def count_by_need(register: Iterable[RegisterEntry]) -> tuple[tuple[NeedCode, int], ...]:
    """Register entries by primary need, every code in `NeedCode` order, zeros included."""
    counts = Counter(entry.primary_need for entry in register)
    return tuple((need, counts[need]) for need in NeedCode)


@dataclass(frozen=True)
class ProvisionCell:
    """The provision of one broad area at one wave: how many interventions, places (a pupil
    in two interventions has two) and distinct pupils, staff time and what it all cost."""

    area: BroadArea
    wave: Wave
    interventions: int
    places: int
    pupils: int
    staff_minutes: int
    cost: Decimal

    @property
    def staff_hours(self) -> Decimal:
        return round_half_up(Fraction(self.staff_minutes, 60))


def provision_by_area_and_wave(impacts: Iterable[InterventionImpact]) -> tuple[ProvisionCell, ...]:
    """Every area at every wave (areas in the Code's order, waves 1 to 3), zeros included."""
    cells: dict[tuple[BroadArea, Wave], list[InterventionImpact]] = {
        (area, wave): [] for area in BroadArea for wave in Wave
    }
    for impact in impacts:
        cells[impact.intervention.area, impact.intervention.wave].append(impact)
    return tuple(
        ProvisionCell(
            area=area,
            wave=wave,
            interventions=len(members),
            places=sum(impact.places for impact in members),
            pupils=len(frozenset[str]().union(*(impact.pupils for impact in members))),
            staff_minutes=sum(impact.staff_minutes for impact in members),
            cost=sum((impact.cost for impact in members), Decimal("0.00")),
        )
        for (area, wave), members in cells.items()
    )
