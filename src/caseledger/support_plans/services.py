"""Keeping a pupil's SEN support plan (issue 8). Every write goes through here: each checks
who is acting, runs in one transaction and writes its audit event in it.

The rules are the SEND Code of Practice's graduated approach (6.44–6.56): assess the pupil's
needs with the evidence, plan the provision and the outcomes sought (SMART targets), do it,
review its effect on the agreed date with the pupil and the parents, and let the review's next
steps open the next cycle. The cycle arithmetic is `caseledger.domain.sen.reviews`'s. Parents
are involved throughout (6.64–6.71): a parent the school shares the records with adds their
views to a review.

The audit trail is append-only, hash-chained and read by people the confidential-plan rule
does not cover, so the plan's words (needs, evidence, strategies, targets, views, next steps,
what a meeting was for) are never logged: an event says which fields changed, with dates,
ratings, counts and ids only, as the passports do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen import graduated_approach, reviews
from caseledger.people.models import Child
from caseledger.provision.models import Place
from caseledger.provision.queries import pupil_provision
from caseledger.sen.access import (
    keeps_sen_register,
    live_parent_accesses,
    reads_sen_register,
)
from caseledger.support_plans.access import plans_visible_to
from caseledger.support_plans.models import (
    CycleDelivery,
    Meeting,
    ParentView,
    PlanCycle,
    Rating,
    SupportPlan,
    Target,
)
from caseledger.support_plans.queries import live_deliveries

TEXT_LENGTH = 5000
# The fields whose words are never logged: only that they changed.
WORDS = frozenset({"needs", "evidence", "strategies", "target", "success_criteria"})


def _check_may_keep(actor: User, plan_or_child: SupportPlan | Child) -> None:
    if not keeps_sen_register(actor) or actor.organisation_id != plan_or_child.organisation_id:
        raise NotPermittedError
    if isinstance(plan_or_child, SupportPlan) and not (
        plans_visible_to(actor).filter(pk=plan_or_child.pk).exists()
    ):
        raise NotPermittedError


def _text(value: str, *, field: str, required_message: str = "") -> str:
    value = value.strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > TEXT_LENGTH:
        raise DomainError(f"Enter {TEXT_LENGTH} characters or fewer", field=field)
    return value


def _not_future(day: date | None, *, field: str, noun: str) -> date:
    if day is None:
        raise DomainError(f"Enter {noun}", field=field)
    if day > timezone.localdate():
        raise DomainError(f"{noun[:1].upper()}{noun[1:]} must be today or in the past", field=field)
    return day


def _audit(
    actor: User,
    action: Action,
    plan: SupportPlan,
    obj: Any = None,
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    **detail: Any,
) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=obj if obj is not None else plan,
        organisation=plan.organisation,
        changes=changes,
        detail={"child": str(plan.child_id), "plan": str(plan.pk), **detail},
    )


def _locked_cycle(cycle: PlanCycle) -> PlanCycle:
    return (
        PlanCycle.objects.select_for_update()
        .select_related("plan", "plan__organisation", "plan__child")
        .get(pk=cycle.pk)
    )


def _check_open(cycle: PlanCycle) -> None:
    if cycle.is_reviewed:
        raise DomainError("This cycle has been reviewed: it can no longer be changed")


def current_cycle(plan: SupportPlan) -> PlanCycle | None:
    """The cycle under way: the last, unless reviewed (`reviews.current_cycle`)."""
    last = plan.cycles.order_by("-number").first()
    return last if last is not None and not last.is_reviewed else None


def pupil_places(child: Child) -> list[Place]:
    """The pupil's places in intervention groups, which a cycle's plan may link to."""
    return list(
        Place.objects.filter(child=child)
        .select_related("group", "group__intervention")
        .order_by("-started_on", "id")
    )


@dataclass(frozen=True)
class Assessment:
    """A cycle's assess and plan parts, as the form sends them."""

    needs: str
    evidence: str
    strategies: str = ""


@transaction.atomic
def start_plan(
    *,
    actor: User,
    child: Child,
    started_on: date | None,
    review_due: date | None,
    assessment: Assessment,
) -> SupportPlan:
    """Start a pupil's support plan with its first cycle (Code of Practice 6.45–6.47: the
    assessment of the pupil's needs, with the evidence, starts SEN support)."""
    _check_may_keep(actor, child)
    started_on = _not_future(started_on, field="started_on", noun="the date the plan started")
    if review_due is None:
        raise DomainError("Enter the date of the review", field="review_due")
    needs = _text(assessment.needs, field="needs", required_message="Enter the pupil's needs")
    evidence = _text(
        assessment.evidence, field="evidence", required_message="Enter the evidence of the needs"
    )
    strategies = _text(assessment.strategies, field="strategies")
    rules = reviews.Cycle(
        pupil=str(child.pk), number=1, started_on=started_on, review_due=review_due
    )
    # Lock the pupil so two starts at once cannot both pass the check below.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    if SupportPlan.objects.filter(child=child).exists():
        raise DomainError(f"{child.display_name} already has a support plan")
    plan = SupportPlan(organisation=child.organisation, child=child, started_by=actor)
    try:
        with transaction.atomic():
            plan.save(force_insert=True)
    except IntegrityError:
        raise DomainError(f"{child.display_name} already has a support plan") from None
    cycle = PlanCycle(
        plan=plan,
        number=rules.number,
        started_on=rules.started_on,
        review_due=rules.review_due,
        needs=needs,
        evidence=evidence,
        strategies=strategies,
    )
    cycle.save(force_insert=True)
    _audit(
        actor,
        Action.SUPPORT_PLAN_STARTED,
        plan,
        changes={
            "started_on": {"old": None, "new": started_on.isoformat()},
            "review_due": {"old": None, "new": review_due.isoformat()},
        },
    )
    return plan


@transaction.atomic
def change_cycle(
    *,
    actor: User,
    cycle: PlanCycle,
    assessment: Assessment,
    review_due: date | None,
    places: Sequence[Place],
) -> PlanCycle:
    """Change the current cycle's assessment and plan — needs, evidence, strategies, the
    provision assigned and the review date — until it is reviewed."""
    cycle = _locked_cycle(cycle)
    plan = cycle.plan
    _check_may_keep(actor, plan)
    _check_open(cycle)
    if review_due is None:
        raise DomainError("Enter the date of the review", field="review_due")
    needs = _text(assessment.needs, field="needs", required_message="Enter the pupil's needs")
    evidence = _text(
        assessment.evidence, field="evidence", required_message="Enter the evidence of the needs"
    )
    strategies = _text(assessment.strategies, field="strategies")
    reviews.Cycle(
        pupil=str(plan.child_id),
        number=cycle.number,
        started_on=cycle.started_on,
        review_due=review_due,
    )
    if any(place.child_id != plan.child_id for place in places):
        raise DomainError("Choose the pupil's provision from the list", field="places")
    old_places = sorted(str(pk) for pk in cycle.places.values_list("pk", flat=True))
    new_places = sorted(str(place.pk) for place in places)
    values = {
        "needs": (cycle.needs, needs),
        "evidence": (cycle.evidence, evidence),
        "strategies": (cycle.strategies, strategies),
        "review_due": (cycle.review_due.isoformat(), review_due.isoformat()),
        "places": (old_places, new_places),
    }
    changed = {name: pair for name, pair in values.items() if pair[0] != pair[1]}
    if not changed:
        raise DomainError("Change at least one of the details, or cancel")
    cycle.needs, cycle.evidence, cycle.strategies = needs, evidence, strategies
    cycle.review_due = review_due
    cycle.save()
    cycle.places.set(places)
    _audit(
        actor,
        Action.SUPPORT_PLAN_CHANGED,
        plan,
        obj=cycle,
        changes={
            name: {"old": old, "new": new}
            for name, (old, new) in changed.items()
            if name not in WORDS
        },
        cycle=cycle.number,
        fields=sorted(changed),
    )
    return cycle


@dataclass(frozen=True)
class TargetDetails:
    """A SMART target: what, how success is measured, by when."""

    description: str
    success_criteria: str
    due_on: date | None


def _checked_target(cycle: PlanCycle, details: TargetDetails) -> tuple[str, str, date]:
    description = _text(
        details.description, field="description", required_message="Enter the target"
    )
    criteria = _text(
        details.success_criteria,
        field="success_criteria",
        required_message="Enter how you will know the target has been met",
    )
    if details.due_on is None:
        raise DomainError("Enter the date the target should be met by", field="due_on")
    if details.due_on <= cycle.started_on:
        raise DomainError(
            "The date the target should be met by must be after the cycle started",
            field="due_on",
        )
    return description, criteria, details.due_on


@transaction.atomic
def add_target(*, actor: User, cycle: PlanCycle, details: TargetDetails) -> Target:
    """Add a SMART target to the current cycle (Code of Practice 6.48: the outcomes sought)."""
    cycle = _locked_cycle(cycle)
    _check_may_keep(actor, cycle.plan)
    _check_open(cycle)
    description, criteria, due_on = _checked_target(cycle, details)
    position = (
        cycle.targets.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    target = Target(
        cycle=cycle,
        position=position,
        description=description,
        success_criteria=criteria,
        due_on=due_on,
    )
    target.save(force_insert=True)
    _audit(
        actor,
        Action.SUPPORT_PLAN_CHANGED,
        cycle.plan,
        obj=target,
        changes={"due_on": {"old": None, "new": due_on.isoformat()}},
        cycle=cycle.number,
        target=target.position,
        fields=["due_on", "success_criteria", "target"],
    )
    return target


@transaction.atomic
def change_target(*, actor: User, target: Target, details: TargetDetails) -> Target:
    """Change a target of the current cycle, until the cycle is reviewed."""
    cycle = _locked_cycle(target.cycle)
    _check_may_keep(actor, cycle.plan)
    _check_open(cycle)
    target = Target.objects.get(pk=target.pk)
    description, criteria, due_on = _checked_target(cycle, details)
    values = {
        "target": (target.description, description),
        "success_criteria": (target.success_criteria, criteria),
        "due_on": (target.due_on.isoformat(), due_on.isoformat()),
    }
    changed = {name: pair for name, pair in values.items() if pair[0] != pair[1]}
    if not changed:
        raise DomainError("Change at least one of the details, or cancel")
    target.description, target.success_criteria, target.due_on = description, criteria, due_on
    target.save()
    _audit(
        actor,
        Action.SUPPORT_PLAN_CHANGED,
        cycle.plan,
        obj=target,
        changes={
            name: {"old": old, "new": new}
            for name, (old, new) in changed.items()
            if name not in WORDS
        },
        cycle=cycle.number,
        target=target.position,
        fields=sorted(changed),
    )
    return target


@dataclass(frozen=True)
class TargetRating:
    rating: str
    comment: str = ""


@dataclass(frozen=True)
class Review:
    """What was agreed at the review meeting."""

    reviewed_on: date | None
    ratings: Mapping[UUID, TargetRating]
    pupil_views: str
    parent_views: str
    next_steps: str
    next_review_due: date | None


@transaction.atomic
def record_review(*, actor: User, cycle: PlanCycle, review: Review) -> PlanCycle:
    """Record the cycle's review — progress against each target, the pupil's and the
    parents' views, the next steps (Code of Practice 6.54–6.56) — which closes the cycle and
    opens the next, from those next steps, with the provision still running carried on.
    Returns the new cycle."""
    cycle = _locked_cycle(cycle)
    plan = cycle.plan
    _check_may_keep(actor, plan)
    _check_open(cycle)
    prefetch_related_objects(
        [cycle],
        Prefetch("places", queryset=Place.objects.select_related("group", "group__intervention")),
    )
    targets = list(cycle.targets.order_by("position"))
    if not targets:
        raise DomainError("Add at least one target before recording the review")
    today = timezone.localdate()
    if review.reviewed_on is None:
        raise DomainError("Enter the date of the review", field="reviewed_on")
    for target in targets:
        rating = review.ratings.get(target.pk)
        if rating is None or rating.rating not in Rating.values:
            raise DomainError(
                f"Select how far target {target.position} was met",
                field=f"rating_{target.pk}",
            )
        _text(rating.comment, field=f"comment_{target.pk}")
    pupil_views = _text(review.pupil_views, field="pupil_views")
    parent_views = _text(review.parent_views, field="parent_views")
    next_steps = _text(review.next_steps, field="next_steps")
    reviewed = reviews.record_review(
        cycle.as_rules(), reviewed_on=review.reviewed_on, next_steps=next_steps, today=today
    )
    if review.next_review_due is None:
        raise DomainError("Enter the date of the next review", field="next_review_due")
    reviewed_on = reviewed.reviewed_on
    assert reviewed_on is not None  # record_review sets it
    if review.next_review_due <= reviewed_on:
        raise DomainError(
            "The date of the next review must be after the date of this review",
            field="next_review_due",
        )
    following = reviews.open_next_cycle(reviewed, review_due=review.next_review_due)
    # The targets' ratings are written before the cycle is marked reviewed: from then on the
    # database refuses any change to them (migration 0002).
    for target in targets:
        rating = review.ratings[target.pk]
        target.rating = rating.rating
        target.rating_comment = rating.comment.strip()
        target.save(update_fields=["rating", "rating_comment"])
    running = [
        place
        for place in cycle.places.all()
        if place.ended_on is None or place.ended_on >= following.started_on
    ]
    cycle.reviewed_on = reviewed_on
    cycle.reviewed_by = actor
    cycle.pupil_views = pupil_views
    cycle.parent_views = parent_views
    cycle.next_steps = reviewed.next_steps
    cycle.save()
    # In the same transaction, now that the cycle is reviewed (the database refuses rows for
    # a cycle that is not, migration 0004): its delivery as the review saw it.
    recorded = _record_delivery(cycle, following.started_on, today)
    _audit(
        actor,
        Action.SUPPORT_PLAN_REVIEWED,
        plan,
        obj=cycle,
        changes={
            "reviewed_on": {"old": None, "new": reviewed_on.isoformat()},
            "ratings": {
                "old": None,
                "new": {str(target.pk): target.rating for target in targets},
            },
        },
        cycle=cycle.number,
        fields=sorted(
            ["reviewed_on", "ratings"]
            + [
                name
                for name, value in (
                    ("pupil_views", pupil_views),
                    ("parent_views", parent_views),
                    ("next_steps", cycle.next_steps),
                )
                if value
            ]
            + [f"comment_{target.position}" for target in targets if target.rating_comment]
        ),
        deliveries_recorded=len(recorded),
    )
    next_cycle = PlanCycle(
        plan=plan,
        number=following.number,
        started_on=following.started_on,
        review_due=following.review_due,
        brought_forward=following.brought_forward,
        strategies=cycle.strategies,
    )
    next_cycle.save(force_insert=True)
    next_cycle.places.set(running)
    _audit(
        actor,
        Action.SUPPORT_PLAN_CYCLE_OPENED,
        plan,
        obj=next_cycle,
        changes={
            "started_on": {"old": None, "new": following.started_on.isoformat()},
            "review_due": {"old": None, "new": following.review_due.isoformat()},
        },
        cycle=next_cycle.number,
    )
    return next_cycle


def _record_delivery(cycle: PlanCycle, next_started_on: date, today: date) -> list[CycleDelivery]:
    """Store what each place linked to the just-reviewed cycle delivered in its period, as
    the provision map shows it now, so that the reviewed cycle's "Do" — and the summary
    attached to a request for an EHC needs assessment (Code of Practice 6.63) — stays what
    the review looked at when the provision map changes later."""
    period = graduated_approach.cycle_periods(
        [(cycle.started_on, cycle.reviewed_on), (next_started_on, None)], today
    )[0]
    if not cycle.places.all():
        return []
    provisions = pupil_provision(cycle.plan.child, since=period.first, until=period.last)
    rows = [
        CycleDelivery(
            cycle=cycle,
            place_id=UUID(delivery.place),
            position=position,
            intervention=delivery.intervention,
            group=delivery.group,
            counted_from=period.first,
            counted_to=period.last,
            sessions_planned=delivery.sessions_planned,
            sessions_held=delivery.sessions_held,
            sessions_attended=delivery.sessions_attended,
            minutes_attended=delivery.minutes_attended,
            staff_cost=delivery.staff_cost,
            other_cost=delivery.other_cost,
            entry_score=delivery.entry_score,
            exit_score=delivery.exit_score,
            gain=delivery.gain,
        )
        for position, delivery in enumerate(live_deliveries(cycle, provisions), start=1)
    ]
    return CycleDelivery.objects.bulk_create(rows)


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    plan: SupportPlan,
    held_on: date | None,
    purpose: str,
    attendees: str,
    notes: str,
) -> Meeting:
    """Record a meeting about the plan with its date and who came (Code of Practice 6.65:
    schools meet parents at least three times a year)."""
    _check_may_keep(actor, plan)
    held_on = _not_future(held_on, field="held_on", noun="the date of the meeting")
    purpose = _text(purpose, field="purpose", required_message="Enter what the meeting was for")
    if len(purpose) > 200:
        raise DomainError("Enter 200 characters or fewer", field="purpose")
    attendees = _text(
        attendees, field="attendees", required_message="Enter who came to the meeting"
    )
    notes = _text(notes, field="notes")
    meeting = Meeting(
        plan=plan,
        held_on=held_on,
        purpose=purpose,
        attendees=attendees,
        notes=notes,
        recorded_by=actor,
    )
    meeting.save(force_insert=True)
    _audit(
        actor,
        Action.SUPPORT_PLAN_MEETING,
        plan,
        obj=meeting,
        changes={
            "held_on": {"old": None, "new": held_on.isoformat()},
        },
        fields=sorted(["attendees", "held_on", "purpose", *(["notes"] if notes else [])]),
    )
    return meeting


def staff_to_name(plan: SupportPlan) -> list[User]:
    """The school's staff who may be named on its plans."""
    return list(
        User.objects.filter(organisation_id=plan.organisation_id, is_active=True)
        .exclude(role=User.Role.PARENT)
        .order_by("full_name", "id")
    )


@transaction.atomic
def change_access(
    *, actor: User, plan: SupportPlan, confidential: bool, named_staff: Sequence[User]
) -> SupportPlan:
    """Make the plan confidential (seen by the SENCO and the staff named only) or not, and
    name the staff who see it."""
    plan = SupportPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    _check_may_keep(actor, plan)
    allowed = {user.pk for user in staff_to_name(plan)}
    if any(user.pk not in allowed for user in named_staff):
        raise DomainError("Choose the staff from the list", field="named_staff")
    old_named = sorted(str(pk) for pk in plan.named_staff.values_list("pk", flat=True))
    new_named = sorted(str(user.pk) for user in named_staff)
    if old_named == new_named and plan.confidential == confidential:
        raise DomainError("Change at least one of the details, or cancel")
    changes: dict[str, dict[str, Any]] = {}
    if plan.confidential != confidential:
        changes["confidential"] = {"old": plan.confidential, "new": confidential}
    if old_named != new_named:
        changes["named_staff"] = {"old": old_named, "new": new_named}
    plan.confidential = confidential
    plan.save(update_fields=["confidential"])
    plan.named_staff.set(named_staff)
    _audit(actor, Action.SUPPORT_PLAN_ACCESS_CHANGED, plan, changes=changes)
    return plan


def cycle_for_views(plan: SupportPlan) -> PlanCycle | None:
    """The cycle a parent's views go to: the current one, for its coming review. Recording
    a review always opens the next cycle, so views sent after a review meeting go to the
    next one, where the school reads them as it plans and reviews it (Code of Practice
    6.64–6.71)."""
    return current_cycle(plan)


def parent_may_add_views(user: User, plan: SupportPlan) -> bool:
    return live_parent_accesses(user).filter(child_id=plan.child_id).exists()


@transaction.atomic
def add_parent_views(*, actor: User, cycle: PlanCycle, views: str) -> ParentView:
    """A parent adds their views to the current cycle, for its coming review (Code of
    Practice 6.64–6.71). Kept as written: append-only. Each parent sees only their own
    views (separated parents), the school's staff all of them."""
    cycle = PlanCycle.objects.select_related("plan", "plan__organisation").get(pk=cycle.pk)
    plan = cycle.plan
    if not parent_may_add_views(actor, plan):
        raise NotPermittedError
    current = cycle_for_views(plan)
    if current is None or current.pk != cycle.pk:
        raise DomainError("You can only add your views to the coming review")
    views = _text(views, field="views", required_message="Enter your views")
    view = ParentView(cycle=cycle, author=actor, views=views)
    view.save(force_insert=True)
    _audit(actor, Action.SUPPORT_PLAN_VIEW_ADDED, plan, obj=view, cycle=cycle.number)
    return view


@transaction.atomic
def record_plan_read(*, actor: User, plan: SupportPlan, action: Action) -> None:
    """ASVS 16.3.2: a read of a pupil's plan, or its summary, is logged."""
    if action not in (Action.SUPPORT_PLAN_VIEWED, Action.SUPPORT_PLAN_SUMMARY):
        raise ValueError("not a read of a support plan")
    if not (reads_sen_register(actor) or parent_may_add_views(actor, plan)):
        raise NotPermittedError
    _audit(actor, action, plan)
