"""Changing an EHCP tracking case's status, and what the case page shows of it.

`change_status` records the change, a timeline event for it and its audit event in one
transaction. The timeline event is of the ledger's type for the status where there is one
(an assessment requested is an EHC needs assessment request, a draft plan received a draft
plan served …), so the ledger's statutory clocks start from the date of the change, as next
actions with their legal basis: SEND Regulations 2014 regs 5(1), 10(1) and 13(2) from a
request, 13(1) from a draft, Children and Families Act 2014 s.44(1) from a final plan, reg 20
from a review meeting, reg 22(3) from proposed amendments, regs 33-34 from mediation.

The date of a change is the date it happened, never in the future (recording rule 2), never
before the case opened, and never before the last change: the history reads in order.

Plan versions (issue 7): `add_plan_version` keeps the council's file in the evidence vault on
the case and reads its sections A to K (SEND Regulations 2014 reg 12; Code of Practice 9.62)
for the family to check; `confirm_plan_sections` stores what they confirmed, after which the
database refuses any change (migration 0004). Versions are then compared section by section.

Flags (issue 7): `plan_flags` works out the analyser's flags on a confirmed version (vague or
unquantified provision, Code of Practice 9.69; needs without provision, ex parte E; missing
content, SEND Regulations 2014 reg 12 …) with the family's latest decision on each;
`decide_flag` records a decision, which supersedes any earlier one on the same flag.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.ehcp import (
    SECTIONS,
    PlanFlag,
    analyse_plan,
    compare_sections,
    split_sections,
)
from caseledger.domain.ehcp.plan import PlanUnreadableError, read_plan_text
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.filetypes import sanitise_file_name
from caseledger.ehcp.access import can_add_plan_versions, can_change_status, has_ehcp_status
from caseledger.ehcp.annotations import item_needs_for_analysis, plan_provision, report_texts
from caseledger.ehcp.models import (
    STATUS_EVENTS,
    EhcpStatus,
    FlagDecision,
    PlanFlagDecision,
    PlanKind,
    PlanSection,
    PlanVersion,
    StatusChange,
)
from caseledger.ledger.interactions import EventContent, record_timeline_event
from caseledger.ledger.models import EventType
from caseledger.ledger.services import record_read
from caseledger.vault import services as vault_services
from caseledger.vault.models import Document

NOTE_LENGTH = 2000
# The case page shows this many of the soonest open deadlines; the rest are a click away.
DEADLINES_SHOWN = 3


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def current_status(case: Case) -> StatusChange | None:
    """The latest change, which says where the case stands; None before the first."""
    return (
        StatusChange.objects.filter(case=case)
        .order_by("-effective_on", "-changed_at", "-id")
        .first()
    )


def _event_content(status: str, effective_on: date, note: str) -> EventContent:
    event_type = STATUS_EVENTS.get(status, EventType.OTHER)
    details = note
    title = ""
    if event_type == EventType.OTHER:
        # "Something else" needs words; these say which status it was, in the timeline's
        # heading as well as its details.
        label = EhcpStatus(status).label
        title = f"EHCP status: {label}"
        details = f"EHCP status changed to {label}." + (f"\n\n{note}" if note else "")
    return EventContent(
        title=title,
        # The start of the day in London: the date is what was recorded, not a time.
        occurred_at=timezone.make_aware(datetime.combine(effective_on, time.min)),
        event_type=event_type,
        details=details,
    )


@transaction.atomic
def change_status(
    *, actor: User, case: Case, status: str, effective_on: date | None, note: str
) -> StatusChange:
    """Record that the case's EHCP status changed on a date, on its timeline, starting the
    statutory clocks the change sets (see the module docstring)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not has_ehcp_status(case) or not can_change_status(actor, case):
        raise NotPermittedError
    if status not in EhcpStatus.values:
        raise DomainError("Select the new status", field="status")
    if effective_on is None:
        raise DomainError("Enter the date of the change", field="effective_on")
    if effective_on > timezone.localdate():
        raise DomainError(
            "The date of the change must be today or in the past", field="effective_on"
        )
    if effective_on < case.opened_on:
        raise DomainError(
            f"The date of the change must be on or after {_day(case.opened_on)}, when the "
            "case was opened",
            field="effective_on",
        )
    previous = current_status(case)
    if previous is not None and effective_on < previous.effective_on:
        raise DomainError(
            f"The date of the change must be on or after {_day(previous.effective_on)}, the "
            "date of the last change",
            field="effective_on",
        )
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise DomainError(f"The note must be {NOTE_LENGTH} characters or fewer", field="note")

    entry, started = record_timeline_event(
        actor=actor, case=case, content=_event_content(status, effective_on, note)
    )
    change = StatusChange(
        case=case,
        status=status,
        effective_on=effective_on,
        note=note,
        changed_by=actor,
        timeline_entry=entry,
    )
    change.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.EHCP_STATUS_CHANGED,
        obj=change,
        organisation=case.organisation,
        case_id=case.id,
        changes={
            "status": {
                "old": previous.get_status_display() if previous else None,
                "new": change.get_status_display(),
            }
        },
        detail={
            "status": status,
            "previous_status": previous.status if previous else None,
            "effective_on": effective_on.isoformat(),
            "event": str(entry.id),
            "deadlines": [str(action.id) for action in started],
        },
    )
    return change


def deadlines_started_by(change: StatusChange) -> list[NextAction]:
    """The statutory deadlines the change's timeline event started, soonest first."""
    return list(
        NextAction.objects.filter(source_entry_id=change.timeline_entry_id).order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Deadline:
    """An open next action, with how long is left in words."""

    action: NextAction
    days: int  # days left; negative when overdue

    @property
    def days_left(self) -> str:
        return days_left(self.days)


def days_left(days: int) -> str:
    """How long is left, in words: "12 days left", "due today", "3 days overdue"."""
    if days == 0:
        return "due today"
    count = abs(days)
    plural = "day" if count == 1 else "days"
    return f"{count} {plural} left" if days > 0 else f"{count} {plural} overdue"


def next_deadlines(case: Case, *, limit: int = DEADLINES_SHOWN) -> list[Deadline]:
    """The case's soonest open next actions (each has a due date), overdue ones first."""
    today = timezone.localdate()
    actions = NextAction.objects.filter(case=case, status=ActionStatus.OPEN).order_by(
        "due_on", "id"
    )[:limit]
    return [Deadline(action=action, days=(action.due_on - today).days) for action in actions]


def status_history(case: Case) -> list[StatusChange]:
    """Every change, newest first, with who made it (one query)."""
    return list(
        StatusChange.objects.filter(case=case)
        .select_related("changed_by")
        .order_by("-effective_on", "-changed_at", "-id")
    )


# --- Plan versions (issue 7) -----------------------------------------------------------------

# A section longer than this is not a plan's section but a file read wrongly.
SECTION_LENGTH = 50_000
# The vault category a family files its plans under, where it has one.
PLAN_CATEGORY = "EHCP"


@dataclass(frozen=True)
class PlanFile:
    """The file a plan came in, as uploaded."""

    source: BinaryIO
    name: str
    size: int


def _plan_text(upload: PlanFile) -> str:
    """The words of the file; a file that cannot be read as a plan is refused with why."""
    if upload.size > vault_services.upload_limit():
        raise DomainError(
            "The selected file must be smaller than "
            f"{vault_services.megabytes(vault_services.upload_limit())}",
            field="file",
        )
    # read_plan_text decides the kind by the bytes, checked against the name's extension.
    suffix = Path(sanitise_file_name(upload.name)).suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{suffix}"
        upload.source.seek(0)
        path.write_bytes(upload.source.read())
        try:
            return read_plan_text(path)
        except PlanUnreadableError as error:
            raise DomainError(str(error), field="file") from error
        finally:
            upload.source.seek(0)


def _store_plan_file(
    actor: User, case: Case, upload: PlanFile, kind: str, issued_on: date
) -> Document:
    categories = vault_services.categories_of(case.organisation)
    if not categories:
        raise DomainError("Your organisation has no document categories to file the plan under")
    category = next((item for item in categories if item.name == PLAN_CATEGORY), categories[0])
    return vault_services.store_document(
        actor=actor,
        source=upload.source,
        file_name=upload.name,
        size=upload.size,
        details=vault_services.DocumentDetails(
            title=f"{PlanKind(kind).label}, issued {_day(issued_on)}",
            category=category,
            cases=[case],
            document_date=issued_on,
        ),
    )


def add_plan_version(
    *, actor: User, case: Case, kind: str, issued_on: date | None, upload: PlanFile | None
) -> PlanVersion:
    """Add a version of the case's EHC plan, with sections A to K for the family to check.

    With a file, the file is kept in the vault on the case and its text is split into the
    lettered sections the SEND Regulations 2014 reg 12 require; without one, the sections
    start empty, to be typed in. Either way they are provisional until confirmed."""
    if not can_add_plan_versions(actor, case):
        raise NotPermittedError
    if kind not in PlanKind.values:
        raise DomainError("Select what kind of plan it is", field="kind")
    if issued_on is None:
        raise DomainError("Enter the date the plan was issued", field="issued_on")
    if issued_on > timezone.localdate():
        raise DomainError(
            "The date the plan was issued must be today or in the past", field="issued_on"
        )
    # The file is read before any row is written: an unreadable file stores nothing.
    sections = split_sections(_plan_text(upload)) if upload is not None else {}
    with transaction.atomic():
        # The vault copies the file before it writes a row, so nothing is locked meanwhile.
        document = (
            _store_plan_file(actor, case, upload, kind, issued_on) if upload is not None else None
        )
        version = PlanVersion(
            case=case, kind=kind, issued_on=issued_on, document=document, created_by=actor
        )
        version.save(force_insert=True)
        PlanSection.objects.bulk_create(
            PlanSection(version=version, key=key, text=sections.get(key, "")[:SECTION_LENGTH])
            for key in SECTIONS
        )
        record_event(
            actor=actor,
            action=Action.PLAN_VERSION_ADDED,
            obj=version,
            organisation=case.organisation,
            case_id=case.id,
            detail={
                "kind": kind,
                "issued_on": issued_on.isoformat(),
                "document": str(document.id) if document is not None else None,
                "sections_found": [key for key in SECTIONS if sections.get(key)],
            },
        )
    return version


def sections_of(version: PlanVersion) -> dict[str, str]:
    """The version's text of each section A..K, in order."""
    return version.section_texts()


@transaction.atomic
def confirm_plan_sections(
    *, actor: User, version: PlanVersion, sections: Mapping[str, str]
) -> PlanVersion:
    """Store the sections as the family checked and corrected them, and fix them: a confirmed
    version's sections are the record of what the plan said (the database refuses any change
    after this)."""
    version = PlanVersion.objects.select_for_update().select_related("case").get(pk=version.pk)
    if not can_add_plan_versions(actor, version.case):
        raise NotPermittedError
    if version.is_confirmed:
        raise DomainError("These sections have already been confirmed, so they cannot be changed")
    # Browsers send a text box's line breaks as CRLF: kept as "\n", as split_sections gives.
    texts = {
        key: sections.get(key, "").replace("\r\n", "\n").replace("\r", "\n").strip()
        for key in SECTIONS
    }
    for key, text in texts.items():
        if len(text) > SECTION_LENGTH:
            raise DomainError(
                f"Section {key} must be {SECTION_LENGTH:,} characters or fewer",
                field=f"section_{key}",
            )
    if not any(texts.values()):
        raise DomainError("Enter the text of at least one section", field="section_A")
    before = sections_of(version)
    corrected = [key for key in SECTIONS if texts[key] != before[key]]
    for section in version.sections.filter(key__in=corrected):
        section.text = texts[section.key]
        section.save(update_fields=["text"])
    version.confirmed_at = timezone.now()
    version.save(update_fields=["confirmed_at"])
    record_event(
        actor=actor,
        action=Action.PLAN_SECTIONS_CONFIRMED,
        obj=version,
        organisation=version.case.organisation,
        case_id=version.case_id,
        detail={
            "corrected": corrected,
            "empty": [key for key in SECTIONS if not texts[key]],
        },
    )
    return version


def plan_versions(case: Case) -> list[PlanVersion]:
    """The case's plan versions, latest issued first, with who added them (one query)."""
    return list(
        PlanVersion.objects.filter(case=case)
        .select_related("created_by", "document")
        .order_by("-issued_on", "-created_at", "-id")
    )


@dataclass(frozen=True)
class SectionChanges:
    """One section of two versions compared: its runs of unchanged, added and removed words."""

    key: str
    title: str
    runs: list[tuple[str, str]]

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.runs)


def compare_plan_versions(old: PlanVersion, new: PlanVersion) -> list[SectionChanges]:
    """Every section A..K of two versions of the same plan, word by word."""
    if old.case_id != new.case_id:
        raise DomainError("Plan versions can only be compared with others of the same case")
    comparison = compare_sections(sections_of(old), sections_of(new))
    return [
        SectionChanges(key=key, title=SECTIONS.get(key, ""), runs=runs)
        for key, runs in comparison.items()
    ]


def record_plan_read(
    *, actor: User, action: Action, case: Case, versions: list[PlanVersion]
) -> None:
    """Log that someone read a plan version (or compared two): who and which, never what."""
    record_read(
        actor=actor,
        action=action,
        case=case,
        obj=versions[0],
        detail={"versions": [str(version.id) for version in versions]},
    )


# --- Flags (issue 7) -------------------------------------------------------------------------

FLAG_REASON_LENGTH = 2000
# Where the reason in an analyser's message ends and the standard it applies begins: the
# Code of Practice, the Regulations, the Act or the case law it cites.
_STANDARD_STARTS = re.compile(r"(?<=\.) (?=Code of Practice|SEND |Children and Families Act|R v )")

# What each kind of flag is, in words: the analyser's codes (caseledger.domain.ehcp.CODES).
FLAG_TITLES: dict[str, str] = {
    "vague_language": "Vague wording",
    "unquantified": "Provision not specified or quantified",
    "need_without_provision": "Need with no provision",
    "recommendation_missing": "Recommendation left out or watered down",
    "missing_content": "Missing or misplaced content",
}


def flag_key(flag: PlanFlag) -> str:
    """A stable name for a flag: the same code, section and passage always give the same key,
    so a decision stays with its flag whenever the flags are worked out again."""
    return hashlib.sha256(f"{flag.code}\n{flag.section}\n{flag.text}".encode()).hexdigest()


def reason_and_standard(message: str) -> tuple[str, str]:
    """The analyser's message split into why the passage is flagged and the standard it
    applies; all of it is the reason where no standard is cited."""
    match = _STANDARD_STARTS.search(message)
    if match is None:
        return message, ""
    return message[: match.start()], message[match.end() :]


@dataclass(frozen=True)
class FlagState:
    """One flag on a confirmed version, with the decision that stands on it (if any)."""

    flag: PlanFlag
    key: str
    why: str  # why the passage is flagged
    standard: str  # the standard the flag applies
    decision: PlanFlagDecision | None

    @property
    def title(self) -> str:
        return FLAG_TITLES.get(self.flag.code, self.flag.code.replace("_", " ").capitalize())

    @property
    def section_title(self) -> str:
        return SECTIONS.get(self.flag.section, "")


def plan_flags(version: PlanVersion) -> list[FlagState]:
    """The analyser's flags on a confirmed version's sections, in section order, each with the
    family's latest decision; none before the sections are confirmed (they may still change).
    A draft is read as a draft (Section I left blank), a final or amended plan as final."""
    if not version.is_confirmed:
        return []
    status: Literal["draft", "final"] = "draft" if version.kind == PlanKind.DRAFT else "final"
    latest: dict[str, PlanFlagDecision] = {}
    # Ordered by number, so the highest (the latest) is the one left standing.
    for decision in (
        PlanFlagDecision.objects.filter(version=version)
        .select_related("decided_by")
        .order_by("flag_key", "number")
    ):
        latest[decision.flag_key] = decision
    states: dict[str, FlagState] = {}
    sections = sections_of(version)
    # The family's links of Section F items to Section B needs decide which needs are met.
    item_needs = item_needs_for_analysis(plan_provision(version, sections))
    reports = report_texts(version)
    for flag in analyse_plan(sections, status=status, reports=reports, item_needs=item_needs):
        key = flag_key(flag)
        if key in states:
            continue  # the same passage flagged twice for the same reason is one flag
        why, standard = reason_and_standard(flag.message)
        states[key] = FlagState(flag, key, why, standard, latest.get(key))
    return list(states.values())


def plan_flag(version: PlanVersion, key: str) -> FlagState | None:
    """The version's current flag with this key, or None."""
    return next((state for state in plan_flags(version) if state.key == key), None)


@transaction.atomic
def decide_flag(
    *, actor: User, version: PlanVersion, flag_key: str, decision: str, reason: str
) -> PlanFlagDecision:
    """Record the family's decision on a flag: confirmed (the plan should change) or dismissed
    (it need not), with why; a dismissal must say why. The decision supersedes any earlier one
    on the flag; the earlier stays on record (the database refuses to change either)."""
    # Locked so that two decisions on the same flag are numbered one after the other.
    version = PlanVersion.objects.select_for_update().select_related("case").get(pk=version.pk)
    if not can_add_plan_versions(actor, version.case):
        raise NotPermittedError
    state = plan_flag(version, flag_key)
    if state is None:
        raise DomainError("This flag is not one of the plan version's current flags")
    if decision not in FlagDecision.values:
        raise DomainError("Select whether you confirm or dismiss the flag", field="decision")
    reason = reason.replace("\r\n", "\n").replace("\r", "\n").strip()
    if decision == FlagDecision.DISMISS and not reason:
        raise DomainError("Enter why you are dismissing the flag", field="reason")
    if len(reason) > FLAG_REASON_LENGTH:
        raise DomainError(
            f"The reason must be {FLAG_REASON_LENGTH} characters or fewer", field="reason"
        )
    previous = state.decision
    made = PlanFlagDecision(
        version=version,
        flag_key=state.key,
        number=(previous.number if previous is not None else 0) + 1,
        code=state.flag.code,
        section=state.flag.section,
        decision=decision,
        reason=reason,
        decided_by=actor,
    )
    made.save(force_insert=True)
    record_event(
        actor=actor,
        action=(
            Action.PLAN_FLAG_CONFIRMED
            if decision == FlagDecision.CONFIRM
            else Action.PLAN_FLAG_DISMISSED
        ),
        obj=made,
        organisation=version.case.organisation,
        case_id=version.case_id,
        changes={
            "decision": {
                "old": previous.get_decision_display() if previous is not None else None,
                "new": made.get_decision_display(),
            }
        },
        detail={
            "version": str(version.id),
            "flag_key": state.key,
            "code": state.flag.code,
            "section": state.flag.section,
            "supersedes": str(previous.id) if previous is not None else None,
        },
    )
    return made
