"""Assess, plan, do, review: when a review is overdue, how a review is recorded and how the next
cycle opens from its next steps (SEND Code of Practice 6.44–6.56)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.reviews import (
    Cycle,
    check_cycles,
    current_cycle,
    open_next_cycle,
    overdue_reviews,
    record_review,
)

D = date
START, DUE = D(2025, 9, 8), D(2025, 12, 12)
REVIEWED_ON = D(2025, 12, 10)
STEPS = "Continue precision teaching; add a reading buddy at lunchtime."


def cycle(**overrides: object) -> Cycle:
    fields: dict[str, object] = {
        "pupil": "Amy",
        "number": 1,
        "started_on": START,
        "review_due": DUE,
    }
    fields.update(overrides)
    return Cycle(**fields)  # type: ignore[arg-type]


def reviewed(on: date = REVIEWED_ON, steps: str = STEPS) -> Cycle:
    return record_review(cycle(), reviewed_on=on, next_steps=steps, today=on)


def test_the_review_date_must_be_after_the_start():
    with pytest.raises(DomainError, match="review date must be after the start date") as error:
        cycle(review_due=START)
    assert error.value.field == "review_due"
    with pytest.raises(DomainError):
        cycle(review_due=START - timedelta(days=1))
    cycle(review_due=START + timedelta(days=1))


def test_a_review_is_overdue_from_the_day_after_its_date():
    open_cycle = cycle()
    assert not open_cycle.is_overdue(DUE - timedelta(days=1))
    assert not open_cycle.is_overdue(DUE)  # due today, not overdue
    assert open_cycle.is_overdue(DUE + timedelta(days=1))
    assert open_cycle.days_overdue(DUE + timedelta(days=10)) == 10
    assert open_cycle.days_overdue(DUE) == 0


def test_a_reviewed_cycle_is_never_overdue():
    done = reviewed(on=D(2026, 1, 20))  # late, but reviewed
    assert not done.is_overdue(D(2026, 6, 1))
    assert done.days_overdue(D(2026, 6, 1)) == 0


@given(
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=-500, max_value=500),
)
def test_overdue_exactly_when_today_is_past_the_review_date(length, offset):
    open_cycle = cycle(review_due=START + timedelta(days=length))
    today = open_cycle.review_due + timedelta(days=offset)
    assert open_cycle.is_overdue(today) is (offset > 0)
    assert open_cycle.days_overdue(today) == max(offset, 0)


def test_recording_a_review():
    done = reviewed()
    assert done.reviewed
    assert (done.reviewed_on, done.next_steps) == (D(2025, 12, 10), STEPS)


@pytest.mark.parametrize(
    ("on", "steps", "today", "message"),
    [
        (D(2025, 12, 11), STEPS, D(2025, 12, 10), "today or in the past"),
        (D(2025, 12, 10), "   ", D(2025, 12, 10), "Enter the next steps"),
        (START - timedelta(days=1), STEPS, D(2025, 12, 10), "same as or after the start date"),
    ],
)
def test_a_review_that_cannot_be_recorded(on, steps, today, message):
    with pytest.raises(DomainError, match=message):
        record_review(cycle(), reviewed_on=on, next_steps=steps, today=today)


def test_a_cycle_is_reviewed_once():
    with pytest.raises(DomainError, match="already been reviewed"):
        record_review(reviewed(), reviewed_on=D(2025, 12, 12), next_steps="More", today=DUE)


def test_the_next_cycle_opens_from_the_reviews_next_steps():
    done = reviewed()
    following = open_next_cycle(done, review_due=D(2026, 3, 27))
    assert following.number == 2
    assert following.pupil == "Amy"
    assert following.started_on == done.reviewed_on
    assert following.brought_forward == STEPS
    assert not following.reviewed
    later = open_next_cycle(done, review_due=D(2026, 3, 27), started_on=D(2026, 1, 5))
    assert later.started_on == D(2026, 1, 5)


def test_the_next_cycle_needs_a_review_with_next_steps():
    with pytest.raises(DomainError, match="Review the current cycle"):
        open_next_cycle(cycle(), review_due=D(2026, 3, 27))
    without_steps = cycle(reviewed_on=D(2025, 12, 10))
    with pytest.raises(DomainError, match="Enter the next steps"):
        open_next_cycle(without_steps, review_due=D(2026, 3, 27))


def test_the_next_cycle_cannot_start_before_the_review_or_be_due_before_it_starts():
    done = reviewed()
    with pytest.raises(DomainError, match="on or after the day of the review"):
        open_next_cycle(done, review_due=D(2026, 3, 27), started_on=D(2025, 12, 9))
    with pytest.raises(DomainError, match="review date must be after the start date"):
        open_next_cycle(done, review_due=done.reviewed_on)  # type: ignore[arg-type]


def test_a_plans_history_in_order():
    first = reviewed()
    second = open_next_cycle(first, review_due=D(2026, 3, 27))
    check_cycles([first, second])
    check_cycles([])
    assert current_cycle([first, second]) is second
    assert current_cycle([first]) is None
    assert current_cycle([]) is None


@pytest.mark.parametrize(
    "history",
    [
        "numbered from 2",
        "another pupil",
        "first not reviewed",
        "starts before the review",
        "not from the next steps",
    ],
)
def test_a_history_out_of_order_is_refused(history):
    first = reviewed()
    second = open_next_cycle(first, review_due=D(2026, 3, 27))
    cycles = {
        "numbered from 2": [second],
        "another pupil": [first, Cycle("Ben", 2, D(2025, 12, 10), D(2026, 3, 27))],
        "first not reviewed": [cycle(), Cycle("Amy", 2, D(2025, 12, 10), D(2026, 3, 27))],
        "starts before the review": [
            first,
            Cycle("Amy", 2, D(2025, 12, 1), D(2026, 3, 27), brought_forward=STEPS),
        ],
        "not from the next steps": [first, Cycle("Amy", 2, D(2025, 12, 10), D(2026, 3, 27))],
    }[history]
    with pytest.raises(DomainError):
        check_cycles(cycles)


def test_cycles_are_numbered_from_one():
    with pytest.raises(ValueError, match="numbered from 1"):
        cycle(number=0)


def test_the_sencos_list_of_overdue_reviews():
    today = D(2026, 1, 15)
    amy = cycle(review_due=D(2025, 12, 12))  # 34 days overdue
    ben = cycle(pupil="Ben", review_due=D(2026, 1, 9))  # 6 days overdue
    cal = cycle(pupil="Cal", review_due=D(2025, 12, 12))  # as long as Amy: after her
    dee = cycle(pupil="Dee", review_due=today)  # due today
    eve = reviewed()  # reviewed
    assert overdue_reviews([ben, dee, eve, cal, amy], today) == (amy, cal, ben)
