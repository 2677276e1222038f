"""A place's delivery and cost over a period (a support plan's cycle), worked out by hand:
only the period's sessions count, and a year's other costs fall in the period holding the
place's first session of that year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.domain.sen.delivery_window import first_logged_session, impacts_between
from caseledger.domain.sen.impact import (
    Assignment,
    Group,
    Intervention,
    PupilImpact,
    SessionLog,
    pupil_impacts,
)

# 30 minutes at £20 an hour: £10 a held session, shared by the group on the day; £90 of
# other costs for each academic year, shared by the year's places.
READING = Intervention(
    name="Reading recovery",
    area=BroadArea.COGNITION_AND_LEARNING,
    wave=Wave.TARGETED,
    session_minutes=30,
    sessions_per_week=3,
    group_size=4,
    staff_cost_per_hour=Decimal("20.00"),
    other_costs_per_year=Decimal("90.00"),
)
GROUP = Group("g", READING.name)
AMY = Assignment("amy-place", "amy", "g", date(2025, 9, 8))
BEN = Assignment("ben-place", "ben", "g", date(2025, 9, 8), date(2025, 10, 31))
SESSIONS = (
    SessionLog("g", date(2025, 9, 9)),  # Amy and Ben: £5 each
    SessionLog("g", date(2025, 9, 10), absent=frozenset({"ben"})),  # £5 each
    SessionLog("g", date(2025, 10, 27), held=False, reason="Class trip"),
    SessionLog("g", date(2025, 11, 3)),  # Amy alone: £10
    SessionLog("g", date(2026, 9, 7)),  # 2026/27: Amy alone, £10, and that year's £90
)
FIRST = (date(2025, 9, 8), date(2025, 10, 19))
SECOND = (date(2025, 10, 20), date(2026, 12, 1))


def _between(since: date | None, until: date | None) -> dict[str, PupilImpact]:
    impacts = impacts_between(READING, [GROUP], [AMY, BEN], SESSIONS, since=since, until=until)
    return {impact.pupil: impact for impact in impacts}


def _figures(impact: PupilImpact) -> tuple[int, int, int, int, Decimal, Decimal]:
    return (
        impact.sessions_planned,
        impact.sessions_held,
        impact.sessions_attended,
        impact.minutes_attended,
        impact.staff_cost,
        impact.other_cost,
    )


def test_each_period_counts_its_own_sessions_and_the_years_other_costs_once() -> None:
    first, second = _between(*FIRST), _between(*SECOND)
    # Amy, first cycle: two sessions held, £5 + £5; 2025/26's £90 shared with Ben: £45.
    assert _figures(first["amy"]) == (2, 2, 2, 60, Decimal("10.00"), Decimal("45.00"))
    # Amy, second cycle: the missed trip, £10 on 3 November, £10 in September 2026 and
    # 2026/27's £90 (hers alone: its first session was in this cycle).
    assert _figures(second["amy"]) == (3, 2, 2, 60, Decimal("20.00"), Decimal("90.00"))
    assert first["amy"].cost + second["amy"].cost == Decimal("165.00")
    # Ben was absent on the 10th; in the second cycle only the missed trip fell in his place.
    assert _figures(first["ben"]) == (2, 2, 1, 30, Decimal("10.00"), Decimal("45.00"))
    assert _figures(second["ben"]) == (1, 0, 0, 0, Decimal("0.00"), Decimal("0.00"))
    # The cycles add up to the whole place, as the provision map works it out.
    whole = {
        impact.pupil: impact for impact in pupil_impacts(READING, [GROUP], [AMY, BEN], SESSIONS)
    }
    assert _figures(whole["amy"]) == (5, 4, 4, 120, Decimal("30.00"), Decimal("135.00"))
    assert _between(None, None) == whole


def test_a_years_other_costs_that_arose_before_the_period_are_not_in_it() -> None:
    # From the 10th: Amy's first session of 2025/26 (the 9th) is before the period.
    later = _between(date(2025, 9, 10), date(2025, 10, 19))
    assert _figures(later["amy"]) == (1, 1, 1, 30, Decimal("5.00"), Decimal("0.00"))


def test_an_empty_period_counts_nothing() -> None:
    empty = _between(date(2025, 10, 20), date(2025, 10, 19))
    assert all(impact.cost == Decimal("0.00") for impact in empty.values())
    assert all(impact.sessions_planned == 0 for impact in empty.values())


def test_the_first_logged_session_is_within_the_place_and_the_year() -> None:
    dates = sorted(session.on for session in SESSIONS)
    assert first_logged_session(AMY, dates, 2025) == date(2025, 9, 9)
    assert first_logged_session(AMY, dates, 2026) == date(2026, 9, 7)
    assert first_logged_session(BEN, dates, 2026) is None  # his place ended in October
    # A missed session is logged: the year's share arises on it.
    late = Assignment("late", "cal", "g", date(2025, 10, 7), date(2025, 10, 31))
    assert first_logged_session(late, dates, 2025) == date(2025, 10, 27)
    short = Assignment("short", "cal", "g", date(2025, 9, 11), date(2025, 10, 26))
    assert first_logged_session(short, dates, 2025) is None  # no session while it was kept


@given(
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=25),
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=4),
)
def test_periods_that_tile_a_year_add_up_to_it(session_days: list[int], cuts: list[int]) -> None:
    # One academic year, three places (one leaving half way), sessions on any days; split
    # into periods at the cuts. Counts and other costs add up exactly; staff costs, rounded
    # once a period, to within a penny a period.
    start = date(2025, 9, 1)
    places = [
        Assignment("a", "amy", "g", start),
        Assignment("b", "ben", "g", start + timedelta(days=20), start + timedelta(days=150)),
        Assignment("c", "cal", "g", start + timedelta(days=40)),
    ]
    sessions = [
        SessionLog(
            "g", start + timedelta(days=day), absent=frozenset({"amy"}) if day % 7 else frozenset()
        )
        for day in sorted(set(session_days))
    ]
    whole = pupil_impacts(READING, [GROUP], places, sessions)
    bounds = sorted({start + timedelta(days=cut) for cut in cuts} | {start})
    periods = [
        (first, later - timedelta(days=1))
        for first, later in zip(bounds, [*bounds[1:], date(2026, 9, 1)], strict=True)
    ]
    parts = [
        impacts_between(READING, [GROUP], places, sessions, since=a, until=b) for a, b in periods
    ]
    for index, total in enumerate(whole):
        shares = [part[index] for part in parts]
        assert all(share.assignment == total.assignment for share in shares)
        assert sum(share.sessions_planned for share in shares) == total.sessions_planned
        assert sum(share.sessions_attended for share in shares) == total.sessions_attended
        assert sum(share.other_cost for share in shares) == total.other_cost
        staff = sum(share.staff_cost for share in shares)
        assert abs(staff - total.staff_cost) <= Decimal("0.01") * len(periods)
