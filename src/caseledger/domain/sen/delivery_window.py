"""A pupil's provision over a period (an assess-plan-do-review cycle): the provision map's
arithmetic (`caseledger.domain.sen.impact`) counting only the sessions held in the period.

The SEND Code of Practice asks each review to look at "the effectiveness of the support and
interventions and their impact on the pupil's progress" (6.54), and a request for an EHC needs
assessment to show what the school did as part of SEN support (6.63, 9.14). A place in an
intervention group often runs across several cycles, so each cycle's "Do" is what was
delivered in that cycle, not the place's running total.

The rules, so that the cycles of a plan add up and nothing is counted twice:

- sessions planned, held and attended, minutes and staff cost count only the sessions dated
  within the period (both ends inclusive). Staff cost is shared exactly as `pupil_impacts`
  shares it (each held session's cost by the places kept in the group on the day), worked
  out over those sessions and rounded once for the period;
- other costs stay per academic year, as `pupil_impacts` decides them: a place's share of a
  year's other costs is worked out over the whole year (every place of the intervention that
  year shares it), and it falls in the period holding the place's first logged session of
  that year, the day the charge arises. Periods that do not overlap therefore never count a
  year's share twice; a share arising before the first period (provision before the plan
  started) falls in none of them.

With no period (`since` and `until` both None) the figures are `pupil_impacts`' own.
Pure Python, no Django.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from caseledger.domain.sen.impact import (
    Assignment,
    Group,
    Intervention,
    Measure,
    PupilImpact,
    SessionLog,
    academic_year,
    pupil_impacts,
)


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def first_logged_session(assignment: Assignment, dates: list[date], year: int) -> date | None:
    """The first of a group's logged session dates (sorted; held or missed) in academic
    `year` on which the place was kept, or None: the day its share of that year's other
    costs arises (`impact`: "charged for each academic year in which a pupil was assigned on
    the day of a logged session")."""
    start = max(assignment.start, date(year, 9, 1))
    end = date(year + 1, 8, 31)
    if assignment.end is not None:
        end = min(end, assignment.end)
    found = bisect_left(dates, start)
    if found < len(dates) and dates[found] <= end:
        return dates[found]
    return None


def impacts_between(
    intervention: Intervention,
    groups: Iterable[Group],
    assignments: Iterable[Assignment],
    sessions: Iterable[SessionLog],
    measures: Iterable[Measure] = (),
    *,
    since: date | None = None,
    until: date | None = None,
) -> tuple[PupilImpact, ...]:
    """Each place in the intervention (as `pupil_impacts` orders them) with its delivery and
    cost from `since` to `until`, both inclusive, either open-ended. A period whose end is
    before its start holds no session: every figure is nought."""
    groups = tuple(groups)
    assignments = tuple(assignments)
    sessions = tuple(sessions)
    measures = tuple(measures)
    if since is None and until is None:
        return pupil_impacts(intervention, groups, assignments, sessions, measures)
    inside = [session for session in sessions if _within(session.on, since, until)]
    in_period = pupil_impacts(intervention, groups, assignments, inside, measures)

    own_groups = {group.key for group in groups if group.intervention == intervention.name}
    dates: dict[str, list[date]] = defaultdict(list)
    by_year: dict[int, list[SessionLog]] = defaultdict(list)
    for session in sessions:
        if session.group in own_groups:
            dates[session.group].append(session.on)
            by_year[academic_year(session.on)].append(session)
    for logged in dates.values():
        logged.sort()

    other: dict[str, Decimal] = defaultdict(Decimal)
    # Only a year with a session in the period can have a first session in it.
    for year in sorted({academic_year(session.on) for session in inside}):
        shares = pupil_impacts(intervention, groups, assignments, by_year[year])
        for share in shares:
            first = first_logged_session(share.assignment, dates[share.assignment.group], year)
            if first is not None and _within(first, since, until):
                other[share.assignment.key] += share.other_cost
    return tuple(
        replace(pupil, other_cost=other.get(pupil.assignment.key, Decimal("0.00")))
        for pupil in in_period
    )
