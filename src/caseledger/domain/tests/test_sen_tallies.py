"""Tallies give the provision map's figures exactly as sessions do: the app's map and reports
read sessions counted in the database (`Tally`) rather than one row per session, and every
figure — delivery, attendance, costs to the penny, gains, targets — must stay the same."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.domain.sen.impact import (
    Assignment,
    Group,
    Intervention,
    Measure,
    Missed,
    SessionLog,
    Tallied,
    Tally,
    provision_map,
    provision_map_tallied,
    pupil_impacts,
    pupil_impacts_tallied,
    tally_sessions,
)

DAY_ZERO = date(2025, 6, 1)  # so the data crosses 1 September, sometimes twice
PUPILS = [f"p{number}" for number in range(6)]


def reading(name: str, minutes: int, pence_an_hour: int, other_pounds: int) -> Intervention:
    return Intervention(
        name=name,
        area=BroadArea.COGNITION_AND_LEARNING,
        wave=Wave.TARGETED,
        session_minutes=minutes,
        sessions_per_week=3,
        group_size=4,
        staff_cost_per_hour=Decimal(pence_an_hour).scaleb(-2),
        other_costs_per_year=Decimal(other_pounds),
    )


@st.composite
def group_data(draw: st.DrawFn, key: str) -> tuple[list[Assignment], list[SessionLog]]:
    """A group's places (a pupil holds one at a time) and its sessions, at most one a day."""
    places: list[Assignment] = []
    for pupil in draw(st.lists(st.sampled_from(PUPILS), unique=True, max_size=5)):
        day = draw(st.integers(min_value=0, max_value=200))
        for stint in range(draw(st.integers(min_value=1, max_value=3))):
            length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=200)))
            start = DAY_ZERO + timedelta(days=day)
            place = f"{key}-{pupil}-{stint}"
            if length is None:
                places.append(Assignment(place, pupil, key, start))
                break
            places.append(Assignment(place, pupil, key, start, start + timedelta(days=length)))
            day += length + 1 + draw(st.integers(min_value=0, max_value=30))
    sessions = []
    days = draw(st.lists(st.integers(min_value=0, max_value=500), unique=True, max_size=60))
    for day in days:
        on = DAY_ZERO + timedelta(days=day)
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            reason = draw(st.sampled_from(["Trip", "Staff absence", " Trip "]))
            sessions.append(SessionLog(key, on, False, reason))
        else:
            absent = draw(st.frozensets(st.sampled_from([*PUPILS, "nobody"])))
            sessions.append(SessionLog(key, on, absent=absent))
    return places, sessions


@st.composite
def school(
    draw: st.DrawFn,
) -> tuple[list[Intervention], list[Group], list[Assignment], list[SessionLog], list[Measure]]:
    interventions = [
        reading(
            f"Intervention {number}",
            draw(st.integers(min_value=1, max_value=90)),
            draw(st.integers(min_value=0, max_value=5000)),
            draw(st.integers(min_value=0, max_value=1000)),
        )
        for number in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    groups: list[Group] = []
    places: list[Assignment] = []
    sessions: list[SessionLog] = []
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        key = f"g{number}"
        groups.append(Group(key, draw(st.sampled_from(interventions)).name))
        group_places, group_sessions = draw(group_data(key))
        places += group_places
        sessions += group_sessions
    measures = [
        Measure(
            place.key,
            draw(st.one_of(st.none(), st.integers(min_value=80, max_value=120))),
            draw(st.one_of(st.none(), st.integers(min_value=80, max_value=120))),
            target_gain=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10))),
        )
        for place in places
    ]
    return interventions, groups, places, sessions, measures


@settings(max_examples=400, deadline=None)
@given(data=school())
def test_tallies_give_the_same_map_as_sessions(data):
    interventions, groups, places, sessions, measures = data
    tallied = tally_sessions(places, sessions)
    assert sum(tally.sessions for tally in tallied.tallies) == len(sessions)

    assert provision_map_tallied(interventions, groups, places, tallied, measures) == (
        provision_map(interventions, groups, places, sessions, measures)
    )
    for intervention in interventions:
        assert pupil_impacts_tallied(intervention, groups, places, tallied, measures) == (
            pupil_impacts(intervention, groups, places, sessions, measures)
        )


# --- By hand ------------------------------------------------------------------------------

READING = reading("Reading recovery", 30, 2000, 90)  # £10 a held session, £90 a year
AMY = Assignment("amy-place", "amy", "g", date(2025, 9, 8))
BEN = Assignment("ben-place", "ben", "g", date(2025, 9, 8), date(2025, 10, 31))
SESSIONS = [
    SessionLog("g", date(2025, 9, 9)),
    SessionLog("g", date(2025, 9, 10), absent=frozenset({"ben"})),
    SessionLog("g", date(2025, 10, 27), held=False, reason="Class trip"),
    SessionLog("g", date(2025, 11, 3)),
    SessionLog("g", date(2026, 9, 7)),
]


def test_sessions_are_tallied_where_places_start_and_end_and_years_begin():
    tallied = tally_sessions([AMY, BEN], SESSIONS)
    assert sorted(tallied.tallies, key=lambda tally: tally.first) == [
        # 8 September (both start) to 31 October (Ben's last day): three sessions, one missed.
        Tally("g", date(2025, 9, 8), date(2025, 11, 1), 3, 2),
        # Amy alone until the year ends.
        Tally("g", date(2025, 11, 1), date(2026, 9, 1), 1, 1),
        Tally("g", date(2026, 9, 1), date(2027, 9, 1), 1, 1),
    ]
    assert tallied.missed == (Missed("g", "Class trip", 1),)
    assert tallied.absences == {"ben-place": 1}


def test_a_tallied_map_by_hand():
    tallied = Tallied(
        (
            Tally("g", date(2025, 9, 8), date(2025, 11, 1), 3, 2),
            Tally("g", date(2025, 11, 1), date(2026, 9, 1), 1, 1),
            Tally("g", date(2026, 9, 1), date(2027, 9, 1), 1, 1),
        ),
        (Missed("g", "Class trip", 1),),
        {"ben-place": 1},
    )
    (impact,) = provision_map_tallied([READING], [Group("g", READING.name)], [AMY, BEN], tallied)
    assert (impact.sessions_planned, impact.sessions_held) == (5, 4)
    assert impact.missed_by_reason == (("Class trip", 1),)
    # £40 of staff time; two years of other costs, £180.
    assert (impact.staff_cost, impact.other_cost) == (Decimal("40.00"), Decimal("180.00"))
    # Amy 4 held, Ben 2 held and 1 absent: 5 of 6.
    assert (impact.attendance.part, impact.attendance.whole) == (5, 6)
    amy, ben = pupil_impacts_tallied(READING, [Group("g", READING.name)], [AMY, BEN], tallied)
    # Amy: £5 + £5 + £10 + £10 staff, £45 + £90 other; Ben: £5 + £5 and £45.
    assert (amy.staff_cost, amy.other_cost) == (Decimal("30.00"), Decimal("135.00"))
    assert (ben.staff_cost, ben.other_cost, ben.sessions_attended) == (
        Decimal("10.00"),
        Decimal("45.00"),
        1,
    )


@pytest.mark.parametrize(
    "tally",
    [
        Tally("g", date(2025, 8, 1), date(2025, 9, 2), 1, 1),  # across 1 September
        Tally("g", date(2025, 9, 20), date(2025, 9, 30), 1, 1),  # Ben's start inside
        Tally("g", date(2025, 10, 20), date(2025, 11, 5), 1, 1),  # Ben's end inside
        Tally("g", date(2025, 9, 8), date(2025, 9, 8), 1, 1),  # empty dates
        Tally("g", date(2025, 9, 8), date(2025, 9, 9), 0, 0),  # no session
        Tally("g", date(2025, 9, 8), date(2025, 9, 9), 1, 2),  # more held than logged
    ],
)
def test_a_tally_that_would_mix_memberships_or_years_is_refused(tally):
    ben = Assignment("ben-place", "ben", "g", date(2025, 9, 25), date(2025, 10, 31))
    with pytest.raises(ValueError, match=r"tally|Tallies"):
        provision_map_tallied([READING], [Group("g", READING.name)], [ben], Tallied((tally,)))


def test_missed_sessions_must_match_the_tallies():
    tallied = Tallied((Tally("g", date(2025, 9, 8), date(2025, 9, 9), 2, 1),))
    with pytest.raises(ValueError, match="missed sessions"):
        provision_map_tallied([READING], [Group("g", READING.name)], [AMY], tallied)


def test_one_pupil_in_two_places_at_once_is_refused_as_with_sessions():
    again = Assignment("amy-again", "amy", "g", date(2025, 10, 1))
    tallied = tally_sessions([AMY, again], SESSIONS)
    with pytest.raises(DomainError, match="already in this group"):
        provision_map_tallied([READING], [Group("g", READING.name)], [AMY, again], tallied)
