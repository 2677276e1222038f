"""Assess, plan, do, review: the cycles of a pupil's SEN support plan.

The Code of Practice (6.44–6.56) asks that SEN support take the form of a four-part cycle,
revisited "in increasing detail" as the school learns what works: each review records the
progress made and the next steps, and those next steps are where the next cycle's assessment
starts. The rules here:

- a cycle's review date is after the day it starts;
- a review is overdue once its date has passed (the day after the review date) and the
  cycle has not been reviewed; on the review date itself it is due, not overdue;
- a review is recorded on or after the cycle's start and not in the future, with the next
  steps;
- the next cycle opens only from a reviewed cycle with next steps, on or after the day of
  that review, carrying the next steps forward.

`today` is the school's date (Europe/London), passed in so the rules stay pure. Pure Python,
no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from caseledger.domain.errors import DomainError


@dataclass(frozen=True)
class Cycle:
    """One assess-plan-do-review cycle of a pupil's plan. `brought_forward` is the previous
    review's next steps, which this cycle opened from (empty for the first)."""

    pupil: str
    number: int
    started_on: date
    review_due: date
    reviewed_on: date | None = None
    next_steps: str = ""
    brought_forward: str = ""

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError("cycles are numbered from 1")
        if self.review_due <= self.started_on:
            raise DomainError("The review date must be after the start date", field="review_due")
        if self.reviewed_on is not None and self.reviewed_on < self.started_on:
            raise DomainError(
                "The date of the review must be the same as or after the start date",
                field="reviewed_on",
            )

    @property
    def reviewed(self) -> bool:
        return self.reviewed_on is not None

    def is_overdue(self, today: date) -> bool:
        return self.reviewed_on is None and self.review_due < today

    def days_overdue(self, today: date) -> int:
        """Days since the review date; 0 unless overdue."""
        return (today - self.review_due).days if self.is_overdue(today) else 0


def record_review(cycle: Cycle, *, reviewed_on: date, next_steps: str, today: date) -> Cycle:
    """The cycle as reviewed on `reviewed_on`, with the next steps agreed."""
    if cycle.reviewed:
        raise DomainError("This cycle has already been reviewed")
    if reviewed_on > today:
        raise DomainError(
            "The date of the review must be today or in the past", field="reviewed_on"
        )
    if not next_steps.strip():
        raise DomainError("Enter the next steps agreed at the review", field="next_steps")
    return replace(cycle, reviewed_on=reviewed_on, next_steps=next_steps.strip())


def open_next_cycle(previous: Cycle, *, review_due: date, started_on: date | None = None) -> Cycle:
    """The cycle after `previous`, opening from its review's next steps; it starts on the
    day of that review unless `started_on` says later."""
    if previous.reviewed_on is None:
        raise DomainError("Review the current cycle before starting the next one")
    if not previous.next_steps.strip():
        raise DomainError("Enter the next steps agreed at the review", field="next_steps")
    start = previous.reviewed_on if started_on is None else started_on
    if start < previous.reviewed_on:
        raise DomainError(
            "The next cycle must start on or after the day of the review", field="started_on"
        )
    return Cycle(
        pupil=previous.pupil,
        number=previous.number + 1,
        started_on=start,
        review_due=review_due,
        brought_forward=previous.next_steps,
    )


def check_cycles(cycles: Sequence[Cycle]) -> None:
    """Raise a `DomainError` unless `cycles` are one pupil's plan in order: numbered 1, 2, …,
    each opened from the one before (on or after its review, with its next steps), and
    every cycle but the last reviewed."""
    for index, cycle in enumerate(cycles):
        if cycle.number != index + 1 or cycle.pupil != cycles[0].pupil:
            raise DomainError("The cycles of a plan must be one pupil's, numbered in order")
        if index == 0:
            continue
        previous = cycles[index - 1]
        if previous.reviewed_on is None:
            raise DomainError("Review the current cycle before starting the next one")
        if cycle.started_on < previous.reviewed_on:
            raise DomainError(
                "The next cycle must start on or after the day of the review", field="started_on"
            )
        if cycle.brought_forward != previous.next_steps:
            raise DomainError("The next cycle must start from the next steps of the review")


def current_cycle(cycles: Sequence[Cycle]) -> Cycle | None:
    """The cycle under way: the last, unless it has been reviewed."""
    if cycles and not cycles[-1].reviewed:
        return cycles[-1]
    return None


def overdue_reviews(cycles: Iterable[Cycle], today: date) -> tuple[Cycle, ...]:
    """The SENCO's list: cycles overdue for review, longest overdue first, then by pupil."""
    return tuple(
        sorted(
            (cycle for cycle in cycles if cycle.is_overdue(today)),
            key=lambda cycle: (cycle.review_due, cycle.pupil, cycle.number),
        )
    )
