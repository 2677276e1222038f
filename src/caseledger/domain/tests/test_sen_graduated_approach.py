"""The graduated-approach summary: cycle periods that never overlap, totals that are the
sum of the cycles (by hand), and the PDF."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pypdf
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.sen.graduated_approach import (
    RECORDED_AT_REVIEW,
    CycleSummary,
    Delivery,
    GraduatedSummary,
    Period,
    TargetSummary,
    cycle_periods,
    long_date,
    to_pdf,
)

READING = Delivery(
    place="p1",
    intervention="Reading recovery",
    group="Monday",
    sessions_planned=3,
    sessions_held=2,
    sessions_attended=1,
    minutes_attended=30,
    staff_cost=Decimal("10.00"),
    other_cost=Decimal("45.00"),
)
TALK = Delivery(
    place="p2",
    intervention="Talk Boost",
    group="Tuesday",
    sessions_planned=2,
    sessions_held=2,
    sessions_attended=2,
    minutes_attended=90,
    staff_cost=Decimal("36.00"),
)
READING_AGAIN = Delivery(
    place="p3",
    intervention="Reading recovery",
    group="Thursday",
    sessions_planned=4,
    sessions_held=4,
    sessions_attended=3,
    minutes_attended=90,
    staff_cost=Decimal("15.01"),
    other_cost=Decimal("0.99"),
)


def _summary(per_cycle: list[list[Delivery]]) -> GraduatedSummary:
    return GraduatedSummary(
        pupil="Frederick Morgan",
        date_of_birth=date(2017, 5, 2),
        school="Riverside Primary School",
        prepared_on=date(2026, 12, 1),
        cycles=tuple(
            CycleSummary(
                number=number,
                started_on=date(2025, 9, 8),
                review_due=date(2025, 12, 1),
                deliveries=tuple(deliveries),
            )
            for number, deliveries in enumerate(per_cycle, start=1)
        ),
    )


def test_each_cycle_counts_what_it_delivered_and_the_plan_is_their_sum() -> None:
    # The reading place runs across both cycles: each shows what it delivered in that cycle.
    reading_later = Delivery(
        place="p1",
        intervention="Reading recovery",
        group="Monday",
        sessions_planned=2,
        sessions_held=2,
        sessions_attended=2,
        minutes_attended=60,
        staff_cost=Decimal("6.67"),
    )
    summary = _summary([[READING, TALK], [reading_later, READING_AGAIN]])
    first, second = summary.cycles
    # £10.00 + £45.00 + £36.00; then £6.67 + £15.01 + £0.99.
    assert first.cost == Decimal("91.00") and second.cost == Decimal("22.67")
    assert summary.cost == Decimal("113.67")
    assert (first.sessions_held, first.sessions_attended) == (4, 3)
    assert (summary.sessions_held, summary.sessions_attended) == (10, 8)
    reading, talk = summary.by_intervention()
    # Both reading places, over both cycles: £55.00 + £6.67 + £16.00.
    assert (reading.intervention, reading.cost, reading.sessions_attended) == (
        "Reading recovery",
        Decimal("77.67"),
        6,
    )
    assert (reading.staff_cost, reading.other_cost, reading.minutes_attended) == (
        Decimal("31.68"),
        Decimal("45.99"),
        180,
    )
    assert (talk.cost, talk.minutes_attended) == (Decimal("36.00"), 90)


@given(
    st.lists(
        st.lists(st.sampled_from([READING, TALK, READING_AGAIN]), max_size=3, unique=True),
        max_size=4,
    )
)
def test_the_total_is_the_sum_of_the_cycles(per_cycle: list[list[Delivery]]) -> None:
    summary = _summary(per_cycle)
    expected = sum((delivery.cost for cycle in per_cycle for delivery in cycle), Decimal("0.00"))
    assert summary.cost == expected == sum((c.cost for c in summary.cycles), Decimal("0.00"))
    assert sum((total.cost for total in summary.by_intervention()), Decimal("0.00")) == expected


def test_a_cycle_runs_to_the_day_before_the_next_starts_and_the_current_to_today() -> None:
    today = date(2026, 12, 1)
    first, second, third = cycle_periods(
        [
            (date(2025, 9, 8), date(2025, 12, 1)),  # the next cycle starts on the review day
            (date(2025, 12, 1), date(2026, 3, 2)),
            (date(2026, 3, 9), None),  # started a week after the review
        ],
        today,
    )
    assert first == Period(date(2025, 9, 8), date(2025, 11, 30))
    assert second == Period(date(2025, 12, 1), date(2026, 3, 8))
    assert third == Period(date(2026, 3, 9), today)
    assert first.description == "Provision delivered from 8 September 2025 to 30 November 2025"
    # Reviewed with no cycle after it: up to the review.
    assert cycle_periods([(date(2025, 9, 8), date(2025, 12, 1))], today) == [
        Period(date(2025, 9, 8), date(2025, 12, 1))
    ]
    # Reviewed on the day it started: the next cycle has every day, this one none.
    empty, _ = cycle_periods(
        [(date(2025, 9, 8), date(2025, 9, 8)), (date(2025, 9, 8), None)], today
    )
    assert empty.last < empty.first and empty.description.startswith("No days")


@given(
    st.lists(st.integers(min_value=0, max_value=90), min_size=1, max_size=6),
    st.booleans(),
)
def test_cycle_periods_never_overlap_and_leave_no_gap(gaps: list[int], current: bool) -> None:
    starts: list[date] = []
    day = date(2025, 9, 1)
    for gap in gaps:
        day += timedelta(days=gap)
        starts.append(day)
    reviews: list[date | None] = [*starts[1:], None if current else day]
    periods = cycle_periods(list(zip(starts, reviews, strict=True)), day + timedelta(days=30))
    assert [period.first for period in periods] == starts
    for before, after in pairwise(periods):
        assert before.last + timedelta(days=1) == after.first
    assert periods[-1].last == day + timedelta(days=30 if current else 0)


def test_dates_are_written_out() -> None:
    assert long_date(date(2026, 12, 1)) == "1 December 2026"
    assert long_date(None) == "not set"


def test_the_pdf_draws_every_cycle_and_text_the_core_fonts_lack() -> None:
    summary = GraduatedSummary(
        pupil="Zoë Łukasz",
        date_of_birth=date(2017, 5, 2),
        school="Riverside Primary School",
        prepared_on=date(2026, 12, 1),
        cycles=(
            CycleSummary(
                number=1,
                started_on=date(2025, 9, 8),
                review_due=date(2025, 12, 1),
                reviewed_on=date(2025, 12, 1),
                needs="Decoding → blending ✓",
                targets=(
                    TargetSummary("Read 30 words", "Word list", date(2025, 11, 28), "Met", "32"),
                ),
                parent_views=("Happier at school",),
                next_steps="CCVC words",
                deliveries=(READING,),
                period=Period(date(2025, 9, 8), date(2025, 11, 30)),
            ),
            CycleSummary(number=2, started_on=date(2025, 12, 1), review_due=date(2026, 3, 1)),
        ),
    )
    content = to_pdf(summary)
    assert content.startswith(b"%PDF") and b"Cycle 2" in content
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Provision delivered from 8 September 2025 to 30 November 2025" in text
    assert "minutes in this cycle" in text and "Cost of the provision in this cycle" in text


def test_the_pdf_says_a_reviewed_cycles_figures_are_as_recorded_at_its_review() -> None:
    measured = replace(READING, entry_score=85, exit_score=92, gain=7)
    reviewed = CycleSummary(
        number=1,
        started_on=date(2025, 9, 8),
        review_due=date(2025, 12, 1),
        reviewed_on=date(2025, 12, 1),
        next_steps="CCVC words",
        deliveries=(measured,),
        period=Period(date(2025, 9, 8), date(2025, 11, 30)),
        recorded_at_review=True,
    )
    current = CycleSummary(
        number=2,
        started_on=date(2025, 12, 1),
        review_due=date(2026, 3, 1),
        deliveries=(TALK,),
        period=Period(date(2025, 12, 1), date(2026, 1, 5)),
    )

    def pdf_text(*cycles: CycleSummary) -> str:
        summary = GraduatedSummary(
            pupil="Frederick Morgan",
            date_of_birth=date(2017, 5, 2),
            school="Riverside Primary School",
            prepared_on=date(2026, 1, 5),
            cycles=cycles,
        )
        content = to_pdf(summary)
        pages = pypdf.PdfReader(io.BytesIO(content)).pages
        return " ".join("".join(page.extract_text() for page in pages).split())

    text = pdf_text(reviewed, current)
    assert RECORDED_AT_REVIEW in text
    assert (
        "Provision delivered from 8 September 2025 to 30 November 2025 (as recorded at the "
        "review on 1 December 2025)" in text
    )
    assert "entry score 85, exit score 92, gain +7" in text
    assert "to 5 January 2026 (as recorded" not in text  # the current cycle is live
    assert RECORDED_AT_REVIEW not in pdf_text(current)
