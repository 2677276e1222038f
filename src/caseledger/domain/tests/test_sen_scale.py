"""A generated school, to check that the whole-school figures hang together.

The full school: 1,500 pupils, 300 on the SEN register, 40 interventions each running 11
groups, a new set of pupils in each group every term for three years: 155,496 logged
sessions, 13,860 places and 41,293 absences. The test below uses a year of it with two groups an
intervention, so the suite stays quick. Timing is not a test (it depends on the machine): it
belongs to the project's benchmark command (`caseledger bench sen`, issue 8).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from caseledger.domain.sen.areas import BroadArea, NeedCode, RegisterEntry, SenProvision, Wave
from caseledger.domain.sen.impact import (
    JUDGEMENT,
    READING_AGE,
    STANDARDISED_SCORE,
    Assignment,
    Group,
    Intervention,
    Measure,
    SessionLog,
    patterns_of_need,
    provision_by_area_and_wave,
    provision_map,
    pupil_impacts,
    rank_interventions,
)


@dataclass(frozen=True)
class School:
    register: list[RegisterEntry]
    interventions: list[Intervention]
    groups: list[Group]
    assignments: list[Assignment]
    sessions: list[SessionLog]
    measures: list[Measure]


def generate_school(*, years: int = 3, groups_per_intervention: int = 11, seed: int = 8) -> School:
    """Rows in the order the app's queries give them: by group, then by date."""
    rng = random.Random(seed)
    pupils = [f"pupil-{n:04}" for n in range(1500)]
    on_register = pupils[:300]
    needs = [need for need in NeedCode if need is not NeedCode.NSA]
    register = [
        RegisterEntry(
            pupil,
            rng.randint(7, 13),
            SenProvision.EHC_PLAN if rng.random() < 0.15 else SenProvision.SEN_SUPPORT,
            rng.choice(needs),
        )
        for pupil in on_register
    ]
    scales = [STANDARDISED_SCORE, READING_AGE, JUDGEMENT]
    interventions = [
        Intervention(
            name=f"Intervention {number:02}",
            area=list(BroadArea)[number % 4],
            wave=list(Wave)[number % 3],
            session_minutes=rng.choice([20, 30, 45, 60]),
            sessions_per_week=rng.randint(1, 5),
            group_size=rng.randint(1, 6),
            staff_cost_per_hour=Decimal(rng.randint(1250, 3000)).scaleb(-2),
            other_costs_per_year=Decimal(rng.randint(0, 600)),
            scale=scales[number % 3],
        )
        for number in range(40)
    ]
    groups: list[Group] = []
    assignments: list[Assignment] = []
    sessions: list[SessionLog] = []
    measures: list[Measure] = []
    for intervention in interventions:
        weekdays = sorted(rng.sample(range(5), intervention.sessions_per_week))
        scale = intervention.scale
        for number in range(groups_per_intervention):
            group = Group(f"{intervention.name}/{number}", intervention.name)
            groups.append(group)
            for year in range(2022, 2022 + years):
                for term in range(3):
                    start = date(year, 9, 5) + timedelta(weeks=13 * term)
                    end = start + timedelta(weeks=12, days=4)
                    members = rng.sample(on_register, intervention.group_size)
                    for pupil in members:
                        key = f"{group.key}/{year}/{term}/{pupil}"
                        assignments.append(Assignment(key, pupil, group.key, start, end))
                        entry = rng.randint(scale.minimum, (scale.minimum + scale.maximum) // 2)
                        exit_score = min(
                            scale.maximum, max(scale.minimum, entry + rng.randint(-2, 8))
                        )
                        measures.append(
                            Measure(
                                key,
                                entry_score=entry,
                                exit_score=exit_score if rng.random() < 0.85 else None,
                                target_gain=2,
                            )
                        )
                    for week in range(13 if term < 2 else 12):
                        for weekday in weekdays:
                            day = start + timedelta(weeks=week, days=weekday)
                            if day > end:
                                continue
                            if rng.random() < 0.05:
                                sessions.append(SessionLog(group.key, day, False, "Staff absence"))
                            else:
                                absent = frozenset(p for p in members if rng.random() < 0.08)
                                sessions.append(SessionLog(group.key, day, absent=absent))
    return School(register, interventions, groups, assignments, sessions, measures)


def test_the_whole_school_figures_hang_together() -> None:
    school = generate_school(years=1, groups_per_intervention=2)
    impacts = provision_map(
        school.interventions, school.groups, school.assignments, school.sessions, school.measures
    )
    assert [impact.name for impact in impacts] == [i.name for i in school.interventions]
    assert sum(impact.sessions_planned for impact in impacts) == len(school.sessions)
    assert sum(impact.places for impact in impacts) == len(school.assignments)
    for intervention, impact in zip(school.interventions[:6], impacts, strict=False):
        pupils = pupil_impacts(
            intervention, school.groups, school.assignments, school.sessions, school.measures
        )
        assert (
            sum(p.staff_cost for p in pupils) == impact.staff_cost - impact.unallocated_staff_cost
        )
        assert sum(p.other_cost for p in pupils) == impact.other_cost
        assert sum(p.sessions_attended for p in pupils) == impact.attendance.part
        assert impact.largest_group == intervention.group_size

    ranked = rank_interventions(impacts)
    assert sorted(map(id, (r.impact for r in ranked))) == sorted(map(id, impacts))
    cells = provision_by_area_and_wave(impacts)
    assert sum(cell.cost for cell in cells) == sum(impact.cost for impact in impacts)
    assert sum(cell.places for cell in cells) == len(school.assignments)
    assert patterns_of_need(school.register).total == 300
