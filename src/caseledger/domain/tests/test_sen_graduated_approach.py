"""The graduated-approach summary: each place counted once, totals by hand, and the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.sen.graduated_approach import (
    CycleSummary,
    Delivery,
    GraduatedSummary,
    TargetSummary,
    long_date,
    mark_carried_over,
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
            for number, deliveries in enumerate(mark_carried_over(per_cycle), start=1)
        ),
    )


def test_a_place_running_across_cycles_is_counted_once_in_the_first() -> None:
    summary = _summary([[READING, TALK], [READING, READING_AGAIN]])
    first, second = summary.cycles
    assert [d.carried_over for d in first.deliveries] == [False, False]
    assert [d.carried_over for d in second.deliveries] == [True, False]
    # £10.00 + £45.00 + £36.00; then only the new place: £15.01 + £0.99.
    assert first.cost == Decimal("91.00") and second.cost == Decimal("16.00")
    assert summary.cost == Decimal("107.00")
    assert (summary.sessions_held, summary.sessions_attended) == (8, 6)
    reading, talk = summary.by_intervention()
    assert (reading.intervention, reading.cost, reading.sessions_attended) == (
        "Reading recovery",
        Decimal("71.00"),
        4,
    )
    assert (talk.cost, talk.minutes_attended) == (Decimal("36.00"), 90)


@given(
    st.lists(
        st.lists(st.sampled_from([READING, TALK, READING_AGAIN]), max_size=3, unique=True),
        max_size=4,
    )
)
def test_the_total_is_each_distinct_places_cost_once(per_cycle: list[list[Delivery]]) -> None:
    summary = _summary(per_cycle)
    distinct = {delivery.place: delivery for cycle in per_cycle for delivery in cycle}
    expected = sum((delivery.cost for delivery in distinct.values()), Decimal("0.00"))
    assert summary.cost == expected
    assert sum((total.cost for total in summary.by_intervention()), Decimal("0.00")) == expected


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
            ),
            CycleSummary(number=2, started_on=date(2025, 12, 1), review_due=date(2026, 3, 1)),
        ),
    )
    content = to_pdf(summary)
    assert content.startswith(b"%PDF") and b"Cycle 2" in content
