"""Statutory clocks on a case: timeline events start them, corrections and new holidays
recalculate them, lawful exceptions are the only other way a date moves.

The arithmetic is the pure rules engine in domain/statutory_clock.py; this module turns its
deadlines into next actions that carry their rule, their citation and the date the law sets
(`statutory_due_on`), and keeps them true as the facts change. Every recalculation writes its
reason on the action and an audit event with the old and new dates, in the caller's
transaction: "a due date is never moved silently" (issue 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import Organisation, User
from caseledger.actions.models import ActionStatus, LawfulException, NextAction, Party, Priority
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.access import can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.statutory_clock import (
    CONDITIONAL_RULES,
    EXCEPTION_LIMIT_RULE,
    EXCEPTIONS,
    LATER_GOVERNS,
    RULES,
    RULES_BY_ID,
    DayKind,
    Rollover,
    Rule,
    due_date,
)
from caseledger.domain.working_days import WorkingDays
from caseledger.ledger.models import CLOCK_EVENTS, Entry, EntryKind, EntryStatus, EventType
from caseledger.workdays.calendar import working_days

# Who must act by each milestone. The family's own deadlines (comments on a draft, an
# appeal) are theirs; advice and mediation certificates come from professionals.
RESPONSIBLE_PARTY: dict[str, str] = {
    "advice_due": Party.PROFESSIONAL,
    "mediation_certificate_due": Party.PROFESSIONAL,
    "draft_comments_end": Party.FAMILY,
    "appeal_deadline": Party.FAMILY,
}
URGENT_MILESTONES = frozenset({"referral_decision", "initial_cp_conference"})


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def event_date(entry: Entry) -> date:
    """When a timeline event happened, as last corrected (rule 4: the correction, not an edit
    of the original, says so)."""
    corrected = (
        Entry.objects.filter(
            corrects=entry, status=EntryStatus.FINAL, corrected_occurred_at__isnull=False
        )
        .order_by("-sequence")
        .values_list("corrected_occurred_at", flat=True)
        .first()
    )
    moment = corrected or entry.occurred_at
    assert moment is not None
    return timezone.localdate(moment)


def _rules_started_by(entry: Entry) -> list[Rule]:
    clock_event = CLOCK_EVENTS.get(entry.event_type)
    return [
        rule for rule in RULES if rule.event == clock_event and rule.id not in CONDITIONAL_RULES
    ]


def _latest_events(case: Case, event_types: set[str]) -> list[Entry]:
    """The latest final event of each of these types on the case (a later one supersedes)."""
    latest: dict[str, Entry] = {}
    for entry in Entry.objects.filter(
        case=case, kind=EntryKind.EVENT, status=EntryStatus.FINAL, event_type__in=event_types
    ).order_by("occurred_at", "sequence"):
        latest[entry.event_type] = entry
    return list(latest.values())


def _governing(case: Case, milestone: str, days: WorkingDays) -> tuple[Rule, Entry, date] | None:
    """For a milestone two events can set ("whichever is later"), the rule, event and date
    that govern now."""
    rules = [rule for rule in RULES if rule.milestone == milestone]
    types = {
        kind
        for kind, clock_event in CLOCK_EVENTS.items()
        if clock_event in {r.event for r in rules}
    }
    best: tuple[Rule, Entry, date] | None = None
    for entry in _latest_events(case, types):
        for rule in rules:
            if CLOCK_EVENTS[entry.event_type] == rule.event:
                due = due_date(rule, event_date(entry), days)
                if best is None or due > best[2]:
                    best = (rule, entry, due)
    return best


def _responsible(case: Case, milestone: str) -> tuple[User | None, str]:
    party = RESPONSIBLE_PARTY.get(milestone, Party.LOCAL_AUTHORITY)
    # In the council's own workspace its duties fall to the allocated worker.
    if (
        party == Party.LOCAL_AUTHORITY
        and case.organisation.kind == Organisation.Kind.LOCAL_AUTHORITY
        and case.allocated_worker is not None
        and case.allocated_worker.is_active
    ):
        return case.allocated_worker, ""
    return None, party


def _create(actor: User, case: Case, rule: Rule, entry: Entry, due: date) -> NextAction:
    user, party = _responsible(case, rule.milestone)
    action = NextAction(
        case=case,
        description=rule.description,
        responsible_user=user,
        responsible_party=party,
        due_on=due,
        statutory_due_on=due,
        priority=Priority.URGENT if rule.milestone in URGENT_MILESTONES else Priority.IMPORTANT,
        statutory_rule=rule.id,
        milestone=rule.milestone,
        source_entry=entry,
        created_by=actor,
    )
    action.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.CLOCK_STARTED,
        obj=action,
        organisation=case.organisation,
        case_id=case.id,
        detail={"rule": rule.id, "due_on": due.isoformat(), "event": str(entry.id)},
    )
    return action


def _move(
    actor: User | None, action: NextAction, *, rule: Rule, entry: Entry, due: date, note: str
) -> bool:
    """Point an open clock action at a newly worked-out statutory date, saying why."""
    if action.statutory_due_on == due and action.statutory_rule == rule.id:
        return False
    old_statutory, old_due = action.statutory_due_on, action.due_on
    latest_exception = action.exceptions.order_by("-recorded_at").first()
    action.statutory_due_on = due
    action.statutory_rule = rule.id
    action.description = rule.description
    action.source_entry = entry
    # A lawful exception's later date still stands unless the law's own date is now later.
    if latest_exception is not None and latest_exception.revised_due_on > due:
        action.due_on = latest_exception.revised_due_on
    else:
        action.due_on = due
    action.recalculated_note = note
    action.recalculated_at = timezone.now()
    action.save()
    record_event(
        actor=actor,
        action=Action.ACTION_RECALCULATED,
        obj=action,
        organisation=action.case.organisation,
        case_id=action.case_id,
        changes={
            "statutory_due_on": {
                "old": old_statutory.isoformat() if old_statutory else None,
                "new": due.isoformat(),
            },
            "due_on": {"old": old_due.isoformat(), "new": action.due_on.isoformat()},
        },
        detail={"reason": note, "rule": rule.id},
    )
    return True


def _open_clock_actions(case: Case) -> QuerySet[NextAction]:
    return NextAction.objects.filter(
        case=case, status=ActionStatus.OPEN, statutory_due_on__isnull=False
    ).select_related("case", "case__organisation")


def start_clocks(*, actor: User, event: Entry) -> list[NextAction]:
    """A final timeline event starts the deadlines its rules set, as next actions.

    Where the law says the later of two dates governs (an appeal: 2 months from the decision
    letter or 1 month from the mediation certificate), an open deadline for the same milestone
    is recalculated instead of a second one being added.
    """
    if not event.starts_clock or not event.is_final:
        return []
    case = event.case
    days = working_days()
    started: list[NextAction] = []
    for rule in _rules_started_by(event):
        if rule.milestone in LATER_GOVERNS:
            current = _open_clock_actions(case).filter(milestone=rule.milestone).first()
            governing = _governing(case, rule.milestone, days)
            assert governing is not None
            governing_rule, governing_entry, due = governing
            if current is None:
                started.append(_create(actor, case, governing_rule, governing_entry, due))
            elif _move(
                actor,
                current,
                rule=governing_rule,
                entry=governing_entry,
                due=due,
                note=(
                    f"{event.heading} on {_day(event_date(event))}: the later date governs "
                    f"({governing_rule.citation})."
                ),
            ):
                started.append(current)
            continue
        started.append(_create(actor, case, rule, event, due_date(rule, event_date(event), days)))
    return started


def recalculate_after_correction(*, actor: User, original: Entry, correction: Entry) -> int:
    """The event's date was corrected: every open deadline it set is worked out again from
    the corrected date, and each moved date says so. A duplicate's deadlines are cancelled."""
    if not original.starts_clock:
        return 0
    actions = list(
        NextAction.objects.filter(source_entry=original, status=ActionStatus.OPEN)
        .exclude(statutory_due_on__isnull=True)
        .select_related("case", "case__organisation")
    )
    if correction.correction_reason == "duplicate":
        for action in actions:
            action.status = ActionStatus.CANCELLED
            action.cancelled_reason = (
                f"{original.heading} was recorded twice; the correction of "
                f"{_day(timezone.localdate(correction.occurred_at))} says so."
            )
            action.save()
            record_event(
                actor=actor,
                action=Action.ACTION_CANCELLED,
                obj=action,
                organisation=action.case.organisation,
                case_id=action.case_id,
                detail={"reason": action.cancelled_reason},
            )
        return len(actions)
    if correction.corrected_occurred_at is None:
        return 0
    old_day = timezone.localdate(original.occurred_at) if original.occurred_at else None
    new_day = timezone.localdate(correction.corrected_occurred_at)
    note = (
        f"The date of “{original.heading}” was corrected from "
        f"{_day(old_day) if old_day else 'no date'} to {_day(new_day)}."
    )
    return _recalculate(actor, original.case, actions, working_days(), note)


def _recalculate(
    actor: User | None, case: Case, actions: list[NextAction], days: WorkingDays, note: str
) -> int:
    moved = 0
    for action in actions:
        if action.milestone in LATER_GOVERNS:
            governing = _governing(case, action.milestone, days)
            if governing is None:
                continue
            rule, entry, due = governing
        else:
            rule = RULES_BY_ID[action.statutory_rule]
            source = action.source_entry
            assert source is not None
            entry, due = source, due_date(rule, event_date(source), days)
        if _move(actor, action, rule=rule, entry=entry, due=due, note=note):
            moved += 1
    return moved


def _counts_holidays(rule: Rule) -> bool:
    return rule.day_kind is DayKind.WORKING_DAYS or rule.rollover is not Rollover.NONE


def recalculate_for_holidays(*, actor: User | None, note: str) -> int:
    """A one-off holiday was added or removed: open deadlines counted in working days (or
    rolled past holidays) are worked out again. Returns how many moved."""
    days = working_days()
    rule_ids = [rule.id for rule in RULES if _counts_holidays(rule)]
    actions = list(
        NextAction.objects.filter(
            status=ActionStatus.OPEN,
            statutory_due_on__isnull=False,
            statutory_rule__in=rule_ids,
        )
        .select_related("case", "case__organisation", "source_entry")
        .order_by("case_id")
    )
    moved = 0
    by_case: dict[object, list[NextAction]] = {}
    for action in actions:
        by_case.setdefault(action.case_id, []).append(action)
    for group in by_case.values():
        moved += _recalculate(actor, group[0].case, group, days, note)
    return moved


# --- Lawful exceptions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExceptionDetails:
    kind: str
    starts_on: date | None
    ends_on: date | None
    evidence: str
    revised_due_on: date | None
    approved_by: User | None = None
    approved_by_name: str = ""


def approvers_for(case: Case) -> QuerySet[User]:
    """Who can approve an exception in the case's organisation: its managers, SENCOs and
    admins. A family has none: they name the council officer who told them."""
    return User.objects.filter(
        organisation=case.organisation,
        is_active=True,
        role__in=[User.Role.TEAM_MANAGER, User.Role.ORGANISATION_ADMIN, User.Role.SENCO],
    ).order_by("full_name")


@transaction.atomic
def record_exception(*, actor: User, action: NextAction, details: ExceptionDetails) -> NextAction:
    """Record a lawful reason a statutory time limit need not be met, with its evidence and
    approver, and the date now worked to. The date the law set stays on the action."""
    action = (
        NextAction.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation")
        .get(pk=action.pk)
    )
    if not can_work_on_case(actor, action.case):
        raise NotPermittedError
    if not action.is_open:
        raise DomainError("This action has already been closed")
    allowed, _citation = EXCEPTIONS.get(action.statutory_rule, ((), ""))
    if not action.is_statutory_clock or not allowed:
        raise DomainError("The law allows no exceptions to this time limit")
    if details.kind not in allowed:
        raise DomainError("Select the reason the time limit cannot be met", field="kind")
    if details.starts_on is None:
        raise DomainError("Enter the date the circumstances began", field="starts_on")
    if details.ends_on is not None and details.ends_on < details.starts_on:
        raise DomainError(
            "The date the circumstances ended must be the same as or after the date they began",
            field="ends_on",
        )
    if not details.evidence.strip():
        raise DomainError("Describe the evidence for the exception", field="evidence")
    if details.approved_by is not None:
        if not approvers_for(action.case).filter(pk=details.approved_by.pk).exists():
            raise DomainError("Select who approved the exception", field="approved_by")
    elif not details.approved_by_name.strip():
        raise DomainError(
            "Enter the name and role of who approved the exception", field="approved_by"
        )
    if details.revised_due_on is None:
        raise DomainError("Enter the new date it must be done by", field="revised_due_on")
    if details.revised_due_on <= action.due_on:
        raise DomainError(
            f"The new date must be after the current due date, {_day(action.due_on)}",
            field="revised_due_on",
        )
    limit_rule = EXCEPTION_LIMIT_RULE.get(action.statutory_rule)
    if limit_rule is not None and action.source_entry is not None:
        limit = due_date(RULES_BY_ID[limit_rule], event_date(action.source_entry), working_days())
        if details.revised_due_on > limit:
            raise DomainError(
                f"The law allows an extension to {_day(limit)} at most",
                field="revised_due_on",
            )
    exception = LawfulException.objects.create(
        action=action,
        kind=details.kind,
        starts_on=details.starts_on,
        ends_on=details.ends_on,
        evidence=details.evidence.strip(),
        approved_by=details.approved_by,
        approved_by_name="" if details.approved_by else details.approved_by_name.strip(),
        previous_due_on=action.due_on,
        revised_due_on=details.revised_due_on,
        recorded_by=actor,
    )
    old_due = action.due_on
    action.due_on = details.revised_due_on
    action.save()
    record_event(
        actor=actor,
        action=Action.EXCEPTION_RECORDED,
        obj=action,
        organisation=action.case.organisation,
        case_id=action.case_id,
        changes={"due_on": {"old": old_due.isoformat(), "new": action.due_on.isoformat()}},
        detail={"exception": str(exception.id), "kind": details.kind},
    )
    return action


def deadline_met_wording(action: NextAction) -> tuple[str, str]:
    """The title and body with which the timeline records a statutory deadline met (or met
    late), from the action marked done."""
    assert action.done_on is not None
    late = (action.done_on - action.due_on).days
    timing = (
        f"Done {late} day{'s' if late != 1 else ''} after the due date."
        if late > 0
        else "Done on time."
    )
    title = f"{EventType.DEADLINE_MET.label}: {action.description}"
    if len(title) > 200:
        title = title[:199] + "…"
    body = (
        f"{action.description}. Due {_day(action.due_on)}; done {_day(action.done_on)}. "
        f"{timing} ({action.statutory_citation})"
    )
    return title, body
