"""The graduated-approach summary: every assess-plan-do-review cycle of a pupil's support
plan, the provision delivered in each and what it cost, with totals.

It is the evidence a school attaches to a request for an EHC needs assessment: the local
authority asks what the school has done to identify, assess and meet the child's needs and
with what effect (SEND Code of Practice 9.14 and 6.63, "the action taken by the school as part
of SEN support"). The figures come from the provision map's arithmetic
(`caseledger.domain.sen.impact`), per place in an intervention group. A place often runs
across several cycles, so each cycle shows what was delivered *in that cycle*
(`caseledger.domain.sen.delivery_window`): the sessions dated in its period (`cycle_periods`:
from its start to the day before the next cycle starts, or to today for the current one) and
their cost, each academic year's other costs falling in the cycle in which they arose. The
periods never overlap, so the plan's totals are the sum of its cycles and nothing is paid
for twice. A reviewed cycle's figures are as recorded at its review (`recorded_at_review`):
the provision map can change afterwards (a cost changed, a session back-dated), and the
summary must keep showing what the review looked at. The current cycle's are live.

`to_pdf` draws the summary as an A4 PDF with fpdf2's core fonts, as the EHC plan working
document does (docs/adr/0006). Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from caseledger.domain.ehcp.working_document import normalise_for_pdf

if TYPE_CHECKING:
    from fpdf import FPDF

ZERO = Decimal("0.00")
TITLE = "SEN support: graduated approach summary"
RECORDED_AT_REVIEW = (
    "The provision figures of each reviewed cycle are as recorded at its review; those of "
    "the current cycle are from the provision map today."
)


def long_date(day: date | None) -> str:
    """ "1 December 2026", as GOV.UK writes dates; "not set" for none."""
    return f"{day.day} {day:%B %Y}" if day is not None else "not set"


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


@dataclass(frozen=True)
class Period:
    """The days a cycle's provision is counted over, `first` to `last` inclusive; empty
    when `last` is before `first`."""

    first: date
    last: date

    @property
    def description(self) -> str:
        if self.last < self.first:
            return "No days: the next cycle started on the day this one did"
        return f"Provision delivered from {long_date(self.first)} to {long_date(self.last)}"


def cycle_periods(cycles: Sequence[tuple[date, date | None]], today: date) -> list[Period]:
    """Each cycle's period, given each cycle's start and review dates (None if not yet
    reviewed), oldest first. A cycle runs to the day before the next cycle starts: the next
    cycle starts on the day of the review or later (the review "should feed back into the
    analysis of the pupil's needs", Code of Practice 6.54), so a session on the review day is
    the next cycle's provision and no day falls in two cycles. The latest cycle runs to
    today, or to its review if it was reviewed and no cycle followed."""
    periods: list[Period] = []
    for index, (started_on, reviewed_on) in enumerate(cycles):
        if index + 1 < len(cycles):
            last = cycles[index + 1][0] - timedelta(days=1)
        elif reviewed_on is not None:
            last = reviewed_on
        else:
            last = today
        periods.append(Period(started_on, last))
    return periods


@dataclass(frozen=True)
class Delivery:
    """What one place in an intervention group delivered in a cycle: sessions planned
    (logged), held and attended, the minutes attended and the cost, in pounds, with the
    place's entry and exit scores and gain (None when not measured). `place` identifies the
    place."""

    place: str
    intervention: str
    group: str
    sessions_planned: int = 0
    sessions_held: int = 0
    sessions_attended: int = 0
    minutes_attended: int = 0
    staff_cost: Decimal = ZERO
    other_cost: Decimal = ZERO
    entry_score: int | None = None
    exit_score: int | None = None
    gain: int | None = None

    @property
    def cost(self) -> Decimal:
        return self.staff_cost + self.other_cost


@dataclass(frozen=True)
class TargetSummary:
    description: str
    success_criteria: str
    due_on: date
    rating: str = ""
    comment: str = ""


@dataclass(frozen=True)
class CycleSummary:
    number: int
    started_on: date
    review_due: date
    reviewed_on: date | None = None
    brought_forward: str = ""
    needs: str = ""
    evidence: str = ""
    strategies: str = ""
    targets: Sequence[TargetSummary] = ()
    pupil_views: str = ""
    parent_views: Sequence[str] = ()
    next_steps: str = ""
    deliveries: Sequence[Delivery] = ()
    period: Period | None = None  # the days its deliveries were counted over
    # The deliveries are as recorded when the review was, not worked out today.
    recorded_at_review: bool = False

    @property
    def cost(self) -> Decimal:
        """The cost of the provision delivered in this cycle."""
        return sum((delivery.cost for delivery in self.deliveries), ZERO)

    @property
    def sessions_held(self) -> int:
        return sum(delivery.sessions_held for delivery in self.deliveries)

    @property
    def sessions_attended(self) -> int:
        return sum(delivery.sessions_attended for delivery in self.deliveries)


@dataclass(frozen=True)
class InterventionTotal:
    """One intervention's delivery over the whole plan."""

    intervention: str
    sessions_planned: int
    sessions_held: int
    sessions_attended: int
    minutes_attended: int
    staff_cost: Decimal
    other_cost: Decimal

    @property
    def cost(self) -> Decimal:
        return self.staff_cost + self.other_cost


@dataclass(frozen=True)
class GraduatedSummary:
    pupil: str
    date_of_birth: date
    school: str
    prepared_on: date
    cycles: Sequence[CycleSummary] = field(default_factory=tuple)

    def by_intervention(self) -> list[InterventionTotal]:
        """Each intervention's totals over every cycle (the sum of the cycles), in the order
        first delivered."""
        totals: dict[str, list[Delivery]] = {}
        for cycle in self.cycles:
            for delivery in cycle.deliveries:
                totals.setdefault(delivery.intervention, []).append(delivery)
        return [
            InterventionTotal(
                intervention=name,
                sessions_planned=sum(item.sessions_planned for item in items),
                sessions_held=sum(item.sessions_held for item in items),
                sessions_attended=sum(item.sessions_attended for item in items),
                minutes_attended=sum(item.minutes_attended for item in items),
                staff_cost=sum((item.staff_cost for item in items), ZERO),
                other_cost=sum((item.other_cost for item in items), ZERO),
            )
            for name, items in totals.items()
        ]

    @property
    def any_recorded_at_review(self) -> bool:
        return any(cycle.recorded_at_review for cycle in self.cycles)

    @property
    def cost(self) -> Decimal:
        return sum((cycle.cost for cycle in self.cycles), ZERO)

    @property
    def sessions_held(self) -> int:
        return sum(cycle.sessions_held for cycle in self.cycles)

    @property
    def sessions_attended(self) -> int:
        return sum(cycle.sessions_attended for cycle in self.cycles)


# PDF

_FONT = "Helvetica"
_MARGIN_MM = 20
_TEXT_PT = 10
_LINE_MM = 5.0
_TOTAL_PAGES = "\x00\x01\x02"  # control characters, which normalise_for_pdf removes from text


def to_pdf(summary: GraduatedSummary) -> bytes:
    """The summary as an A4 PDF, each cycle a bookmarked section."""
    pdf = _new_pdf()
    pdf.set_title(TITLE)
    pdf.set_lang("en-GB")
    pdf.set_creator("Caseledger")
    pdf.add_page()
    _block(pdf, TITLE, style="B", size=18, height=8)
    pdf.ln(2)
    for line in (
        f"Pupil: {summary.pupil}, born {long_date(summary.date_of_birth)}",
        f"School: {summary.school}",
        f"Prepared on {long_date(summary.prepared_on)}",
    ):
        _block(pdf, line, size=11)
    if summary.any_recorded_at_review:
        pdf.ln(2)
        _block(pdf, RECORDED_AT_REVIEW)
    for cycle in summary.cycles:
        _cycle(pdf, cycle)
    _heading(pdf, "Provision over the whole plan")
    for total in summary.by_intervention():
        _block(
            pdf,
            f"{total.intervention}: attended {total.sessions_attended} of "
            f"{total.sessions_held} sessions held ({total.sessions_planned} planned), "
            f"{total.minutes_attended} minutes; cost {money(total.cost)} "
            f"(staff {money(total.staff_cost)}, other {money(total.other_cost)})",
        )
    _block(
        pdf,
        f"Total: attended {summary.sessions_attended} of {summary.sessions_held} sessions "
        f"held; cost {money(summary.cost)}",
        style="B",
    )
    return bytes(pdf.output())


def _cycle(pdf: FPDF, cycle: CycleSummary) -> None:
    reviewed = (
        f"reviewed {long_date(cycle.reviewed_on)}"
        if cycle.reviewed_on
        else f"review due {long_date(cycle.review_due)}, not yet reviewed"
    )
    _heading(pdf, f"Cycle {cycle.number}: from {long_date(cycle.started_on)}, {reviewed}")
    if cycle.brought_forward:
        _field(pdf, "Next steps brought forward", cycle.brought_forward)
    _field(pdf, "Assess: needs", cycle.needs)
    _field(pdf, "Assess: evidence", cycle.evidence)
    _field(pdf, "Plan: strategies", cycle.strategies)
    for number, target in enumerate(cycle.targets, start=1):
        rating = f" Rated: {target.rating}." if target.rating else ""
        comment = f" {target.comment}" if target.comment else ""
        _field(
            pdf,
            f"Target {number} (by {long_date(target.due_on)})",
            f"{target.description} Measured by: {target.success_criteria}.{rating}{comment}",
        )
    if cycle.deliveries:
        if cycle.period is not None:
            as_recorded = (
                f" (as recorded at the review on {long_date(cycle.reviewed_on)})"
                if cycle.recorded_at_review
                else ""
            )
            _block(pdf, f"{cycle.period.description}{as_recorded}")
        for delivery in cycle.deliveries:
            _field(
                pdf,
                f"Do: {delivery.intervention} ({delivery.group})",
                f"attended {delivery.sessions_attended} of {delivery.sessions_held} sessions "
                f"held ({delivery.sessions_planned} planned), {delivery.minutes_attended} "
                f"minutes in this cycle; cost {money(delivery.cost)} "
                f"(staff {money(delivery.staff_cost)}, other {money(delivery.other_cost)})"
                f"{_scores(delivery)}",
            )
        _field(pdf, "Cost of the provision in this cycle", money(cycle.cost))
    else:
        _field(pdf, "Do", "No provision from the provision map was linked to this cycle.")
    if cycle.reviewed_on:
        _field(pdf, "Review: the pupil's views", cycle.pupil_views)
    for views in cycle.parent_views:
        _field(pdf, "Review: the parents' views", views)
    if cycle.reviewed_on:
        _field(pdf, "Review: next steps", cycle.next_steps)


def _scores(delivery: Delivery) -> str:
    if delivery.entry_score is None and delivery.exit_score is None:
        return ""
    entry = "not measured" if delivery.entry_score is None else str(delivery.entry_score)
    exit_ = "not measured" if delivery.exit_score is None else str(delivery.exit_score)
    gain = "" if delivery.gain is None else f", gain {delivery.gain:+d}"
    return f"; entry score {entry}, exit score {exit_}{gain}"


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    if pdf.will_page_break(7 + 3 * _LINE_MM):  # keep a heading with its first lines
        pdf.add_page()
    heading = normalise_for_pdf(text)
    pdf.start_section(heading)
    _block(pdf, heading, style="B", size=13, height=7)
    pdf.ln(1)


def _field(pdf: FPDF, label: str, text: str) -> None:
    _block(pdf, label, style="B")
    _block(pdf, text.strip() or "Not recorded")
    pdf.ln(1)


def _block(
    pdf: FPDF, text: str, *, style: str = "", size: float = _TEXT_PT, height: float = _LINE_MM
) -> None:
    pdf.set_font(_FONT, style, size)
    pdf.multi_cell(0, height, normalise_for_pdf(text), new_x="LMARGIN", new_y="NEXT", align="L")


def _new_pdf() -> FPDF:
    # Imported here: fpdf2 is slow to import, and only a download should pay for it.
    from fpdf import FPDF

    class SummaryPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(_FONT, "", 8)
            self.cell(0, 5, f"Page {self.page_no()} of {_TOTAL_PAGES}", align="C")

    pdf = SummaryPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.alias_nb_pages(_TOTAL_PAGES, align="L")
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN_MM)
    return pdf
