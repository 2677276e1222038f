"""The provision map's arithmetic against figures worked out by hand (each in a comment
beside its data), the edge cases a school will meet, and properties that must hold for any
data: the per-pupil column adds up to the total, the sweep agrees with a session-by-session
count, and ranking is a permutation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.areas import BroadArea, NeedCode, RegisterEntry, SenProvision, Wave
from caseledger.domain.sen.impact import (
    JUDGEMENT,
    READING_AGE,
    STANDARDISED_SCORE,
    Assignment,
    Group,
    Intervention,
    InterventionImpact,
    Measure,
    MeasureStatus,
    Ratio,
    Scale,
    ScaleKind,
    SessionLog,
    academic_year,
    apportion,
    check_measure,
    count_by_need,
    intervention_impact,
    patterns_of_need,
    provision_by_area_and_wave,
    provision_map,
    pupil_impacts,
    rank_interventions,
    round_half_up,
    rounded,
)

D = date
P = Decimal


def intervention(name: str = "Reading catch-up", **overrides: object) -> Intervention:
    fields: dict[str, object] = {
        "name": name,
        "area": BroadArea.COGNITION_AND_LEARNING,
        "wave": Wave.TARGETED,
        "session_minutes": 30,
        "sessions_per_week": 2,
        "group_size": 3,
        "staff_cost_per_hour": P("14.50"),
        "other_costs_per_year": P("0"),
        "scale": STANDARDISED_SCORE,
    }
    fields.update(overrides)
    return Intervention(**fields)  # type: ignore[arg-type]


def weekly(first: date, weeks: int, *weekdays: int) -> list[date]:
    """Session dates: `weekdays` (0 Monday) of `weeks` weeks from the week of `first`."""
    monday = first - timedelta(days=first.weekday())
    return [
        monday + timedelta(weeks=week, days=day)
        for week in range(weeks)
        for day in weekdays
        if monday + timedelta(weeks=week, days=day) >= first
    ]


# --- Reading catch-up: 2 sessions × 30 min × 12 weeks at £14.50/h, a group of 3 ---------------

READING = intervention(other_costs_per_year=P("90"))
READING_GROUP = Group("g-reading", READING.name)
TERM_START, TERM_END = D(2025, 1, 6), D(2025, 3, 28)
READING_PLACES = [
    Assignment("a-amy", "Amy", "g-reading", TERM_START, TERM_END),
    Assignment("a-ben", "Ben", "g-reading", TERM_START, TERM_END),
    Assignment("a-cal", "Cal", "g-reading", TERM_START, TERM_END),
]
# Mondays and Thursdays, 6 January to 27 March 2025: 24 sessions.
READING_DATES = weekly(TERM_START, 12, 0, 3)
MISSED = {D(2025, 1, 27): "Staff absence", D(2025, 2, 27): "School trip"}
ABSENT = {D(2025, 1, 13): {"Amy"}, D(2025, 1, 20): {"Amy"}, D(2025, 2, 10): {"Ben"}}
READING_SESSIONS = [
    SessionLog("g-reading", day, held=False, reason=MISSED[day])
    if day in MISSED
    else SessionLog("g-reading", day, absent=frozenset(ABSENT.get(day, ())))
    for day in READING_DATES
]
READING_MEASURES = [
    Measure("a-amy", entry_score=82, exit_score=90, target_gain=5),  # gain 8: met
    Measure("a-ben", entry_score=85, exit_score=88, target_gain=5),  # gain 3: not met
    Measure("a-cal", entry_score=79, target_gain=5),  # not yet measured
]


def reading() -> InterventionImpact:
    return intervention_impact(
        READING, [READING_GROUP], READING_PLACES, READING_SESSIONS, READING_MEASURES
    )


def test_the_example_in_full_with_every_session_held():
    # 24 sessions × 0.5 h × £14.50 = £174.00, shared by 3: £58.00 each. No other costs.
    plain = intervention()
    sessions = [SessionLog("g-reading", day) for day in READING_DATES]
    impact = intervention_impact(plain, [READING_GROUP], READING_PLACES, sessions)
    assert len(READING_DATES) == 24
    assert plain.session_cost == P("7.25")
    assert impact.staff_cost == P("174.00")
    assert impact.cost_per_pupil == P("58.00")
    pupils = pupil_impacts(plain, [READING_GROUP], READING_PLACES, sessions)
    assert [pupil.cost for pupil in pupils] == [P("58.00")] * 3
    # As timetabled: 2 × £7.25 a week for a place in a group of 3 = £4.8333… → £4.83.
    assert plain.weekly_cost_per_place == P("4.83")


def test_delivery_hours_and_attendance():
    impact = reading()
    # 24 logged, 2 missed: 22 held. 22 × 30 min = 660 min = 11 h.
    assert (impact.sessions_planned, impact.sessions_held) == (24, 22)
    assert impact.delivery == Ratio(22, 24)
    assert impact.delivery.percent() == P("91.7")
    assert impact.staff_minutes == 660
    assert impact.staff_hours == P("11.00")
    assert impact.missed_by_reason == (("School trip", 1), ("Staff absence", 1))
    # 22 held × 3 places = 66 place-sessions; Amy missed 2, Ben 1: 63 of 66 = 95.5%.
    assert impact.attendance == Ratio(63, 66)
    assert impact.attendance.percent() == P("95.5")
    assert impact.largest_group == 3


def test_costs():
    impact = reading()
    # Staff: 22 × £7.25 = £159.50. Other: one academic year (2024/25) at £90.
    assert impact.staff_cost == P("159.50")
    assert impact.unallocated_staff_cost == P("0.00")
    assert impact.other_cost == P("90.00")
    assert impact.academic_years == 1
    assert impact.cost == P("249.50")
    # Per pupil: £249.50 / 3 = £83.1666… → £83.17.
    assert (impact.places, impact.cost_per_pupil) == (3, P("83.17"))


def test_gains_and_targets():
    impact = reading()
    # Amy 82 → 90 (+8), Ben 85 → 88 (+3); Cal has no exit score yet.
    assert (impact.measured, impact.not_yet_measured, impact.no_entry_measure) == (2, 1, 0)
    assert impact.average_gain == Fraction(11, 2)
    assert rounded(impact.average_gain) == P("5.50")
    # Target +5: Amy met it, Ben did not; Cal is not counted. 1 of 2.
    assert impact.target == Ratio(1, 2)
    assert impact.target.percent() == P("50.0")
    # £83.1666… per pupil / 5.5 points = £15.1212… → £15.12 a point.
    assert impact.cost_per_unit_of_gain == P("15.12")
    # 5.5 points / £83.1666… × £100 = 6.6132… points per £100.
    assert rounded(impact.gain_per_100_pounds) == P("6.61")


def test_each_pupil():
    amy, ben, cal = pupil_impacts(
        READING, [READING_GROUP], READING_PLACES, READING_SESSIONS, READING_MEASURES
    )
    # Staff £159.50 / 3 = £53.1666… each: 2 pence over on equal remainders go to the first
    # two places given, so £53.17, £53.17, £53.16, adding up to £159.50. Other £30 each.
    assert [pupil.staff_cost for pupil in (amy, ben, cal)] == [P("53.17"), P("53.17"), P("53.16")]
    assert [pupil.other_cost for pupil in (amy, ben, cal)] == [P("30.00")] * 3
    assert (amy.sessions_planned, amy.sessions_held, amy.sessions_attended) == (24, 22, 20)
    assert (ben.sessions_attended, cal.sessions_attended) == (21, 22)
    assert amy.minutes_attended == 600
    assert amy.attendance.percent() == P("90.9")
    assert (amy.gain, ben.gain, cal.gain) == (8, 3, None)
    assert (amy.target_met, ben.target_met, cal.target_met) == (True, False, None)
    assert [pupil.status for pupil in (amy, ben, cal)] == [
        MeasureStatus.MEASURED,
        MeasureStatus.MEASURED,
        MeasureStatus.NOT_YET_MEASURED,
    ]
    assert cal.status.label == "Not yet measured"
    # £83.17 / 8 = £10.39625 → £10.40; £83.17 / 3 = £27.7233… → £27.72; Cal: none.
    assert amy.cost_per_unit_of_gain == P("10.40")
    assert ben.cost_per_unit_of_gain == P("27.72")
    assert cal.cost_per_unit_of_gain is None


# --- Who shares a session ---------------------------------------------------------------------


def test_one_to_one_sessions_after_the_place_ended_are_unallocated():
    # 20 min at £27.00/h = £9.00 a session, Wednesdays 3 September to 12 November 2025: 11.
    # Dan's place ends on 31 October: 9 sessions are his (£81.00); 5 and 12 November had
    # nobody (£18.00). A group of 1.
    speech = intervention(
        "Speech and language 1:1", session_minutes=20, staff_cost_per_hour=P("27.00")
    )
    sessions = [SessionLog("g-salt", day) for day in weekly(D(2025, 9, 3), 11, 2)]
    places = [Assignment("a-dan", "Dan", "g-salt", D(2025, 9, 1), D(2025, 10, 31))]
    groups = [Group("g-salt", speech.name)]
    impact = intervention_impact(speech, groups, places, sessions)
    assert impact.staff_cost == P("99.00")
    assert impact.unallocated_staff_cost == P("18.00")
    assert impact.cost_per_pupil == P("81.00")
    assert impact.largest_group == 1
    (dan,) = pupil_impacts(speech, groups, places, sessions)
    assert (dan.sessions_held, dan.staff_cost) == (9, P("81.00"))


def test_a_pupil_who_joins_shares_only_the_sessions_after_joining():
    # 45 min at £20.00/h = £15.00 a session, Mondays 6 January to 10 March 2025: 10.
    # Eve alone for 3 (£45.00); Finn joins on 27 January and they share 7 at £7.50 each
    # (£52.50). Eve £97.50, Finn £52.50: £150.00 = 10 × £15.00.
    lego = intervention("Lego-based therapy", session_minutes=45, staff_cost_per_hour=P("20"))
    sessions = [SessionLog("g-lego", day) for day in weekly(D(2025, 1, 6), 10, 0)]
    places = [
        Assignment("a-eve", "Eve", "g-lego", D(2025, 1, 6)),
        Assignment("a-finn", "Finn", "g-lego", D(2025, 1, 27)),
    ]
    groups = [Group("g-lego", lego.name)]
    eve, finn = pupil_impacts(lego, groups, places, sessions)
    assert (eve.staff_cost, finn.staff_cost) == (P("97.50"), P("52.50"))
    assert (eve.sessions_held, finn.sessions_held) == (10, 7)
    impact = intervention_impact(lego, groups, places, sessions)
    assert (impact.staff_cost, impact.largest_group) == (P("150.00"), 2)
    # Per pupil: £150.00 / 2 = £75.00.
    assert impact.cost_per_pupil == P("75.00")


def test_other_costs_are_charged_each_academic_year_and_shared_by_that_years_places():
    # £120 a year. 2024/25: Gil and Hal (£60.00 each); 2025/26: Ivy alone (£120.00).
    # Staff: 10 min at £12.00/h = £2.00 a session; 4 sessions: Gil and Hal share 2 (£2.00
    # each), Ivy has 2 (£4.00). Per pupil: (£8.00 + £240.00) / 3 = £82.666… → £82.67.
    precision = intervention(
        "Precision teaching",
        session_minutes=10,
        staff_cost_per_hour=P("12.00"),
        other_costs_per_year=P("120"),
    )
    groups = [Group("g-pt", precision.name)]
    places = [
        Assignment("a-gil", "Gil", "g-pt", D(2025, 5, 1), D(2025, 6, 20)),
        Assignment("a-hal", "Hal", "g-pt", D(2025, 5, 1), D(2025, 6, 20)),
        Assignment("a-ivy", "Ivy", "g-pt", D(2025, 9, 8), D(2025, 10, 17)),
    ]
    days = [D(2025, 5, 5), D(2025, 5, 12), D(2025, 9, 8), D(2025, 9, 15)]
    sessions = [SessionLog("g-pt", day) for day in days]
    impact = intervention_impact(precision, groups, places, sessions)
    assert (impact.academic_years, impact.other_cost) == (2, P("240.00"))
    assert impact.staff_cost == P("8.00")
    assert impact.cost_per_pupil == P("82.67")
    gil, hal, ivy = pupil_impacts(precision, groups, places, sessions)
    assert [p.other_cost for p in (gil, hal, ivy)] == [P("60.00"), P("60.00"), P("120.00")]
    assert [p.staff_cost for p in (gil, hal, ivy)] == [P("2.00"), P("2.00"), P("4.00")]


def test_an_academic_year_starts_on_the_first_of_september():
    assert academic_year(D(2025, 8, 31)) == 2024
    assert academic_year(D(2025, 9, 1)) == 2025


def test_two_groups_of_one_intervention_are_costed_apart():
    # Reading catch-up at £7.25 a session: group A has Amy alone for 2 sessions (£14.50);
    # group B has Ben and Cal for 1 session (£3.625 → £3.63 and £3.62).
    groups = [Group("A", READING.name), Group("B", READING.name)]
    places = [
        Assignment("a1", "Amy", "A", D(2025, 1, 6)),
        Assignment("b1", "Ben", "B", D(2025, 1, 6)),
        Assignment("b2", "Cal", "B", D(2025, 1, 6)),
    ]
    sessions = [SessionLog("A", D(2025, 1, 6)), SessionLog("A", D(2025, 1, 7))]
    sessions.append(SessionLog("B", D(2025, 1, 6)))
    amy, ben, cal = pupil_impacts(intervention(), groups, places, sessions)
    assert (amy.staff_cost, ben.staff_cost, cal.staff_cost) == (
        P("14.50"),
        P("3.63"),
        P("3.62"),
    )
    impact = intervention_impact(intervention(), groups, places, sessions)
    assert (impact.staff_cost, impact.largest_group) == (P("21.75"), 2)


# --- Edge cases -------------------------------------------------------------------------------


def test_no_session_held():
    # Three sessions logged, all missed: no staff cost; the year's other costs (£90) are
    # still charged, the sessions having been timetabled for the pupils.
    sessions = [
        SessionLog("g-reading", day, held=False, reason="Teaching assistant off sick")
        for day in READING_DATES[:3]
    ]
    impact = intervention_impact(READING, [READING_GROUP], READING_PLACES, sessions)
    assert impact.staff_cost == P("0.00")
    assert impact.other_cost == P("90.00")
    assert impact.delivery == Ratio(0, 3)
    assert impact.attendance == Ratio(0, 0)
    assert impact.attendance.percent() is None
    assert impact.missed_by_reason == (("Teaching assistant off sick", 3),)


def test_nothing_logged_costs_nothing_and_cannot_be_ranked():
    impact = intervention_impact(READING, [READING_GROUP], READING_PLACES, [], READING_MEASURES)
    assert (impact.staff_cost, impact.other_cost, impact.cost_per_pupil) == (
        P("0.00"),
        P("0.00"),
        P("0.00"),
    )
    assert impact.delivery.percent() is None
    # A gain for nothing spent: no cost a point, and nothing to divide by for per £100.
    assert impact.cost_per_unit_of_gain == P("0.00")
    assert impact.gain_per_100_pounds is None
    assert rank_interventions([impact])[0].position is None


def test_no_places_at_all():
    impact = intervention_impact(READING, [READING_GROUP], [], READING_SESSIONS)
    assert impact.places == 0
    assert impact.cost_per_pupil is None
    assert impact.unallocated_staff_cost == impact.staff_cost == P("159.50")
    assert impact.average_gain is None


def test_zero_and_negative_gains_have_no_cost_per_unit_of_gain():
    # On the −2..+2 judgement: Amy 0 → 0 (no gain), Ben +1 → −1 (−2). Average −1.
    judged = intervention(scale=JUDGEMENT)
    measures = [
        Measure("a-amy", entry_score=0, exit_score=0),
        Measure("a-ben", entry_score=1, exit_score=-1),
    ]
    impact = intervention_impact(
        judged, [READING_GROUP], READING_PLACES[:2], READING_SESSIONS, measures
    )
    assert impact.average_gain == -1
    assert impact.cost_per_unit_of_gain is None
    assert impact.gain_per_100_pounds is not None
    assert impact.gain_per_100_pounds < 0
    amy, ben = pupil_impacts(
        judged, [READING_GROUP], READING_PLACES[:2], READING_SESSIONS, measures
    )
    assert (amy.gain, ben.gain) == (0, -2)
    assert amy.cost_per_unit_of_gain is None
    assert ben.cost_per_unit_of_gain is None


def test_missing_measures():
    impact = intervention_impact(READING, [READING_GROUP], READING_PLACES, READING_SESSIONS)
    assert (impact.measured, impact.not_yet_measured) == (0, 3)
    assert impact.average_gain is None
    assert impact.target == Ratio(0, 0)
    assert impact.target.percent() is None
    assert impact.cost_per_unit_of_gain is None
    assert impact.gain_per_100_pounds is None
    # Counted in cost all the same.
    assert impact.cost_per_pupil == P("83.17")


def test_an_exit_score_without_an_entry_score_is_not_a_gain():
    measures = [Measure("a-amy", exit_score=90, target_exit=85)]
    impact = intervention_impact(
        READING, [READING_GROUP], READING_PLACES, READING_SESSIONS, measures
    )
    assert (impact.measured, impact.not_yet_measured, impact.no_entry_measure) == (0, 2, 1)
    assert impact.target == Ratio(0, 0)
    amy = pupil_impacts(READING, [READING_GROUP], READING_PLACES, READING_SESSIONS, measures)[0]
    assert amy.status is MeasureStatus.NO_ENTRY_MEASURE
    assert amy.target_met is None


def test_a_target_exit_score():
    # Reading age in months: 96 → 104, target 102: met; 90 → 98, target 100: not met.
    ages = intervention(scale=READING_AGE)
    measures = [
        Measure("a-amy", entry_score=96, exit_score=104, target_exit=102),
        Measure("a-ben", entry_score=90, exit_score=98, target_exit=100),
    ]
    impact = intervention_impact(ages, [READING_GROUP], READING_PLACES, READING_SESSIONS, measures)
    assert impact.target == Ratio(1, 2)
    assert impact.average_gain == 8


def test_a_group_of_one():
    # One pupil bears every held session: 22 × £7.25 = £159.50, plus the year's £90.
    impact = intervention_impact(READING, [READING_GROUP], READING_PLACES[:1], READING_SESSIONS)
    assert impact.cost_per_pupil == P("249.50")
    assert impact.largest_group == 1


def test_an_absence_for_a_pupil_without_a_place_that_day_counts_against_nobody():
    sessions = [SessionLog("g-reading", TERM_START, absent=frozenset({"Zoe"}))]
    impact = intervention_impact(READING, [READING_GROUP], READING_PLACES, sessions)
    assert impact.attendance == Ratio(3, 3)


def test_rows_of_other_interventions_and_unknown_groups_are_left_out():
    other = Group("g-other", "Something else")
    rows = [*READING_SESSIONS, SessionLog("g-other", TERM_START), SessionLog("nowhere", TERM_END)]
    places = [*READING_PLACES, Assignment("x", "Xan", "g-other", TERM_START)]
    impact = intervention_impact(READING, [READING_GROUP, other], places, rows)
    assert (impact.sessions_planned, impact.places) == (24, 3)


def test_rows_in_any_order_give_the_same_answer():
    shuffled = READING_SESSIONS[1::2] + READING_SESSIONS[::2]
    assert intervention_impact(
        READING, [READING_GROUP], READING_PLACES[::-1], shuffled, READING_MEASURES
    ) == intervention_impact(
        READING, [READING_GROUP], READING_PLACES, READING_SESSIONS, READING_MEASURES
    )


# --- What is refused --------------------------------------------------------------------------


def test_an_end_before_the_start_is_refused():
    with pytest.raises(DomainError, match="same as or after the start date") as error:
        Assignment("a", "Amy", "g", D(2025, 3, 1), D(2025, 2, 28))
    assert error.value.field == "end"
    Assignment("a", "Amy", "g", D(2025, 3, 1), D(2025, 3, 1))  # one day is a place


def test_a_missed_session_needs_a_reason_and_has_no_absences():
    with pytest.raises(DomainError, match="Enter why the session was missed"):
        SessionLog("g", TERM_START, held=False, reason="  ")
    with pytest.raises(DomainError, match="no absences"):
        SessionLog("g", TERM_START, held=False, reason="Trip", absent=frozenset({"Amy"}))


def test_a_measure_has_one_kind_of_target():
    with pytest.raises(DomainError, match="not both"):
        Measure("a", target_gain=5, target_exit=100)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": " "}, "name"),
        ({"session_minutes": 0}, "session_minutes"),
        ({"sessions_per_week": 0}, "sessions_per_week"),
        ({"group_size": 0}, "group_size"),
        ({"staff_cost_per_hour": P("-0.01")}, "staff_cost_per_hour"),
        ({"staff_cost_per_hour": P("NaN")}, "staff_cost_per_hour"),
        ({"other_costs_per_year": P("Infinity")}, "other_costs_per_year"),
    ],
)
def test_an_intervention_that_makes_no_sense_is_refused(overrides, field):
    with pytest.raises(DomainError) as error:
        intervention(**overrides)
    assert error.value.field == field


def test_two_interventions_with_one_name_are_refused():
    with pytest.raises(DomainError, match="already exists"):
        provision_map([READING, READING], [], [], [])


def test_two_places_with_one_reference_are_refused():
    places = [*READING_PLACES, Assignment("a-amy", "Dee", "g-reading", TERM_START)]
    with pytest.raises(DomainError, match="its own reference"):
        intervention_impact(READING, [READING_GROUP], places, READING_SESSIONS)


def test_a_pupil_in_a_group_twice_at_once_is_refused():
    places = [*READING_PLACES, Assignment("a-amy-2", "Amy", "g-reading", D(2025, 2, 1))]
    with pytest.raises(DomainError, match="already in this group"):
        intervention_impact(READING, [READING_GROUP], places, READING_SESSIONS)


def test_a_pupil_can_come_back_to_a_group_after_leaving_it():
    places = [
        Assignment("a-amy-1", "Amy", "g-reading", TERM_START, D(2025, 1, 31)),
        Assignment("a-amy-2", "Amy", "g-reading", D(2025, 2, 1), TERM_END),
    ]
    impact = intervention_impact(READING, [READING_GROUP], places, READING_SESSIONS)
    assert impact.places == 2
    assert impact.pupils == frozenset({"Amy"})


def test_scores_off_the_scale_are_refused_when_entered():
    check_measure(STANDARDISED_SCORE, Measure("a", entry_score=40, exit_score=160))
    with pytest.raises(DomainError, match="between 40 and 160") as error:
        check_measure(STANDARDISED_SCORE, Measure("a", entry_score=85, exit_score=161))
    assert error.value.field == "exit_score"
    with pytest.raises(DomainError, match="between -2 and 2"):
        check_measure(JUDGEMENT, Measure("a", entry_score=-3))
    with pytest.raises(DomainError, match="more than the lowest"):
        Scale(ScaleKind.READING_AGE_MONTHS, 60, 60)


# --- Money ------------------------------------------------------------------------------------


def test_half_a_penny_goes_up_not_to_even():
    # Python's round() and Decimal's default round half to even; a school rounds half up.
    assert round_half_up(Fraction("0.125")) == P("0.13")
    assert round_half_up(Fraction("0.135")) == P("0.14")
    assert round_half_up(Fraction("-0.125")) == P("-0.13")
    assert round_half_up(Fraction(2, 3)) == P("0.67")
    assert round_half_up(Fraction(0)) == P("0.00")
    assert str(round_half_up(Fraction(58))) == "58.00"


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=5, allow_nan=False))
def test_rounding_agrees_with_decimal_round_half_up(value):
    assert round_half_up(Fraction(value)) == value.quantize(P("0.01"), ROUND_HALF_UP)


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=10**4),
)
def test_apportioned_pence_add_up_and_each_is_within_a_penny(numerators, denominator):
    shares = apportion(numerators, denominator)
    exact = Fraction(sum(numerators), denominator)
    assert sum(shares) == int(round_half_up(exact, 0))
    for share, numerator in zip(shares, numerators, strict=True):
        assert abs(share - Fraction(numerator, denominator)) < 1


@settings(max_examples=200, deadline=None)
@given(
    pupils=st.integers(min_value=1, max_value=12),
    held=st.integers(min_value=0, max_value=60),
    minutes=st.integers(min_value=5, max_value=120),
    pence_an_hour=st.integers(min_value=0, max_value=6000),
)
def test_a_groups_shares_add_up_to_its_staff_cost(pupils, held, minutes, pence_an_hour):
    run = intervention(session_minutes=minutes, staff_cost_per_hour=P(pence_an_hour).scaleb(-2))
    places = [Assignment(f"a{n}", f"p{n}", "g-reading", TERM_START) for n in range(pupils)]
    sessions = [SessionLog("g-reading", TERM_START + timedelta(days=day)) for day in range(held)]
    impact = intervention_impact(run, [READING_GROUP], places, sessions)
    shares = [p.staff_cost for p in pupil_impacts(run, [READING_GROUP], places, sessions)]
    # The column adds up exactly; each share is within a penny of an equal share.
    assert sum(shares) == impact.staff_cost
    equal = Fraction(impact.staff_cost) / pupils
    assert all(abs(Fraction(share) - equal) < Fraction(1, 100) for share in shares)
    # Cost per pupil is rounded once, so × pupils is within half a penny a pupil of the
    # total: within a penny for one or two pupils, not for more (7 × £0.14 = £0.98 of £1).
    assert impact.cost_per_pupil is not None
    assert abs(impact.cost_per_pupil * pupils - impact.staff_cost) <= P("0.005") * pupils


# --- The sweep agrees with a session-by-session count -----------------------------------------

DAY_ZERO = D(2025, 7, 1)  # so some data crosses 1 September


@st.composite
def group_data(draw: st.DrawFn) -> tuple[list[Assignment], list[SessionLog]]:
    places: list[Assignment] = []
    for pupil in range(draw(st.integers(min_value=0, max_value=5))):
        day = draw(st.integers(min_value=0, max_value=40))
        for stint in range(draw(st.integers(min_value=0, max_value=2))):
            length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
            start = DAY_ZERO + timedelta(days=day)
            if length is None:  # open-ended: the pupil's last place in the group
                places.append(Assignment(f"{pupil}-{stint}", f"p{pupil}", "g", start))
                break
            end = start + timedelta(days=length)
            places.append(Assignment(f"{pupil}-{stint}", f"p{pupil}", "g", start, end))
            day += length + 1 + draw(st.integers(min_value=0, max_value=10))
    sessions = []
    for day in draw(st.lists(st.integers(min_value=0, max_value=100), max_size=40)):
        if draw(st.booleans()) and draw(st.booleans()):
            sessions.append(SessionLog("g", DAY_ZERO + timedelta(days=day), False, "Trip"))
        else:
            absent = draw(st.frozensets(st.sampled_from(["p0", "p1", "p2", "p3", "p9"])))
            sessions.append(SessionLog("g", DAY_ZERO + timedelta(days=day), absent=absent))
    return places, sessions


def covers(place: Assignment, day: date) -> bool:
    return place.start <= day and (place.end is None or day <= place.end)


@settings(max_examples=300, deadline=None)
@given(
    data=group_data(),
    minutes=st.integers(min_value=1, max_value=90),
    pence_an_hour=st.integers(min_value=0, max_value=5000),
    other_pounds=st.integers(min_value=0, max_value=1000),
)
def test_the_sweep_agrees_with_counting_session_by_session(
    data, minutes, pence_an_hour, other_pounds
):
    places, sessions = data
    run = intervention(
        session_minutes=minutes,
        staff_cost_per_hour=P(pence_an_hour).scaleb(-2),
        other_costs_per_year=P(other_pounds),
    )
    groups = [Group("g", run.name)]
    session_pence = Fraction(pence_an_hour * minutes, 60)

    # The naive way: every session, every place.
    staff = dict.fromkeys((place.key for place in places), Fraction(0))
    held = dict.fromkeys(staff, 0)
    planned = dict.fromkeys(staff, 0)
    attended = dict.fromkeys(staff, 0)
    years: dict[int, set[str]] = {}
    unallocated = 0
    for session in sessions:
        present = [place for place in places if covers(place, session.on)]
        for place in present:
            planned[place.key] += 1
            years.setdefault(academic_year(session.on), set()).add(place.key)
        if not session.held:
            continue
        if not present:
            unallocated += 1
        for place in present:
            held[place.key] += 1
            staff[place.key] += session_pence / len(present)
            attended[place.key] += place.pupil not in session.absent
    other = dict.fromkeys(staff, Fraction(0))
    for keys in years.values():
        for key in keys:
            other[key] += Fraction(other_pounds * 100, len(keys))

    impact = intervention_impact(run, groups, places, sessions)
    pupils = {pupil.assignment.key: pupil for pupil in pupil_impacts(run, groups, places, sessions)}
    assert set(pupils) == set(staff)
    for key, pupil in pupils.items():
        assert (pupil.sessions_planned, pupil.sessions_held) == (planned[key], held[key])
        assert pupil.sessions_attended == attended[key]
        assert abs(Fraction(pupil.staff_cost) * 100 - staff[key]) < 1
        assert abs(Fraction(pupil.other_cost) * 100 - other[key]) < 1
    total_held = sum(session.held for session in sessions)
    assert impact.sessions_held == total_held
    assert impact.staff_cost == round_half_up(session_pence * total_held / 100)
    assert impact.unallocated_staff_cost + sum(p.staff_cost for p in pupils.values()) == (
        impact.staff_cost
    )
    assert sum(p.other_cost for p in pupils.values()) == impact.other_cost
    assert impact.other_cost == P(other_pounds * len(years)).quantize(P("0.01"))
    assert impact.attendance == Ratio(sum(attended.values()), sum(held.values()))
    busiest = max(
        (sum(covers(place, session.on) for place in places) for session in sessions), default=0
    )
    assert impact.largest_group == busiest


# --- Ranking ----------------------------------------------------------------------------------


def one_pupil(
    name: str, pounds_an_hour: int, hours: int, gain: int | None, scale: Scale = STANDARDISED_SCORE
) -> InterventionImpact:
    """One pupil, `hours` one-hour sessions at £`pounds_an_hour`: cost £rate × hours."""
    run = intervention(name, session_minutes=60, staff_cost_per_hour=P(pounds_an_hour), scale=scale)
    group = Group(f"g-{name}", name)
    place = Assignment(f"a-{name}", "Amy", group.key, D(2025, 1, 6))
    sessions = [SessionLog(group.key, D(2025, 1, 6) + timedelta(days=day)) for day in range(hours)]
    measures = [] if gain is None else [Measure(place.key, entry_score=0, exit_score=gain)]
    return intervention_impact(run, [group], [place], sessions, measures)


def test_ranking_by_gain_per_100_pounds_within_each_kind_of_scale():
    judged = Scale(ScaleKind.JUDGEMENT, -10, 10)
    impacts = [
        one_pupil("Alpha", 10, 5, gain=5),  # £50, +5: 10 a £100
        one_pupil("Beta", 20, 5, gain=10),  # £100, +10: 10 a £100 (tie: by name, after Alpha)
        one_pupil("Gamma", 25, 4, gain=20),  # £100, +20: 20 a £100
        one_pupil("Delta", 10, 5, gain=None),  # not measured: not ranked
        one_pupil("Epsilon", 10, 1, gain=1, scale=judged),  # another kind of scale
        one_pupil("Zeta", 30, 1, gain=-3),  # £30, −3: −10 a £100
    ]
    assert [rounded(impact.gain_per_100_pounds) for impact in impacts] == [
        P("10.00"),
        P("10.00"),
        P("20.00"),
        None,
        P("10.00"),
        P("-10.00"),
    ]
    ranked = rank_interventions(impacts)
    assert [(r.impact.name, r.position) for r in ranked] == [
        ("Gamma", 1),
        ("Alpha", 2),
        ("Beta", 3),
        ("Zeta", 4),
        ("Delta", None),
        ("Epsilon", 1),
    ]
    assert ranked[-1].scale_kind is ScaleKind.JUDGEMENT


@st.composite
def impacts(draw: st.DrawFn) -> list[InterventionImpact]:
    names = draw(st.lists(st.sampled_from("ABCDEFGH"), max_size=8))
    scales = [STANDARDISED_SCORE, READING_AGE, Scale(ScaleKind.JUDGEMENT, -20, 20)]
    return [
        one_pupil(
            name,
            draw(st.integers(min_value=0, max_value=3)),
            draw(st.integers(min_value=0, max_value=3)),
            draw(st.one_of(st.none(), st.integers(min_value=-5, max_value=20))),
            draw(st.sampled_from(scales)),
        )
        for name in names
    ]


@settings(max_examples=100, deadline=None)
@given(impacts())
def test_ranking_is_a_permutation_in_order(given_impacts):
    ranked = rank_interventions(given_impacts)
    assert sorted(map(id, (r.impact for r in ranked))) == sorted(map(id, given_impacts))
    kinds = list(ScaleKind)
    for before, after in pairwise(ranked):
        a, b = before.impact, after.impact
        assert kinds.index(before.scale_kind) <= kinds.index(after.scale_kind)
        if before.scale_kind is after.scale_kind:
            if a.gain_per_100_pounds is None:
                assert b.gain_per_100_pounds is None
                assert a.name <= b.name
            elif b.gain_per_100_pounds is not None:
                assert a.gain_per_100_pounds >= b.gain_per_100_pounds
                if a.gain_per_100_pounds == b.gain_per_100_pounds:
                    assert a.name <= b.name
    for kind in ScaleKind:
        positions = [r.position for r in ranked if r.scale_kind is kind and r.position]
        assert positions == list(range(1, len(positions) + 1))


# --- School-wide ------------------------------------------------------------------------------


def entry(pupil: str, year: int, primary: NeedCode, secondary: NeedCode | None = None):
    return RegisterEntry(pupil, year, SenProvision.SEN_SUPPORT, primary, secondary)


REGISTER = [
    entry("p1", 3, NeedCode.SPLD),
    entry("p2", 3, NeedCode.MLD, NeedCode.SLCN),
    entry("p3", 3, NeedCode.SEMH),
    entry("p4", 5, NeedCode.ASD, NeedCode.SLCN),
    entry("p5", 0, NeedCode.NSA),
    RegisterEntry("p6", 5, SenProvision.EHC_PLAN, NeedCode.PD, NeedCode.SPLD),
]


def test_patterns_of_need_by_year_group_and_area():
    # Columns: communication, cognition, SEMH, sensory/physical, none.
    pattern = patterns_of_need(REGISTER)
    assert [(row.label, row.counts) for row in pattern.rows] == [
        ("Reception", (0, 0, 0, 0, 1)),  # p5 NSA
        ("Year 3", (0, 2, 1, 0, 0)),  # p1 SpLD, p2 MLD; p3 SEMH
        ("Year 5", (1, 0, 0, 1, 0)),  # p4 ASD; p6 PD
    ]
    assert pattern.column_totals == (1, 2, 1, 1, 1)
    assert pattern.total == 6
    assert pattern.count(3, BroadArea.COGNITION_AND_LEARNING) == 2
    assert pattern.count(7, None) == 0


def test_patterns_of_need_with_secondary_needs_and_by_provision():
    # p2's SLCN adds communication in Year 3; p4's SLCN is communication already; p6's SpLD
    # adds cognition in Year 5.
    pattern = patterns_of_need(REGISTER, include_secondary=True)
    assert [row.counts for row in pattern.rows] == [
        (0, 0, 0, 0, 1),
        (1, 2, 1, 0, 0),
        (1, 1, 0, 1, 0),
    ]
    plans = patterns_of_need(REGISTER, provision=SenProvision.EHC_PLAN)
    assert [(row.year_group, row.counts) for row in plans.rows] == [(5, (0, 0, 0, 1, 0))]
    assert patterns_of_need([]).column_totals == (0, 0, 0, 0, 0)


def test_count_by_need_lists_every_code():
    counts = dict(count_by_need(REGISTER))
    assert len(counts) == 13
    assert (counts[NeedCode.SPLD], counts[NeedCode.HI], counts[NeedCode.NSA]) == (1, 0, 1)


def test_provision_by_area_and_wave():
    # Reading (cognition, wave 2): 3 places, £249.50, 11 h. A one-pupil cognition wave 2
    # intervention for Amy adds 1 place (Amy again: 3 pupils), £50 and 5 h.
    cells = provision_by_area_and_wave([reading(), one_pupil("Alpha", 10, 5, gain=5)])
    assert len(cells) == 12
    assert [(cell.area, cell.wave) for cell in cells[:3]] == [
        (BroadArea.COMMUNICATION_AND_INTERACTION, Wave.QUALITY_FIRST_TEACHING),
        (BroadArea.COMMUNICATION_AND_INTERACTION, Wave.TARGETED),
        (BroadArea.COMMUNICATION_AND_INTERACTION, Wave.PERSONALISED),
    ]
    cell = next(
        c for c in cells if (c.area, c.wave) == (BroadArea.COGNITION_AND_LEARNING, Wave.TARGETED)
    )
    assert (cell.interventions, cell.places, cell.pupils) == (2, 4, 3)
    assert (cell.cost, cell.staff_hours) == (P("299.50"), P("16.00"))
    assert sum(c.interventions for c in cells) == 2


def test_two_groups_with_one_reference_are_refused():
    with pytest.raises(DomainError, match="Each group needs its own reference"):
        intervention_impact(READING, [READING_GROUP, READING_GROUP], READING_PLACES, [])
