"""State for the provision map's tests, made through the services as a SENCO would make it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from caseledger.accounts.models import User
from caseledger.people.models import Child
from caseledger.provision import services
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    MeasureScale,
    Place,
)


def scale(actor: User, name: str = "Test score") -> MeasureScale:
    return services.add_scale(
        actor=actor, name=name, kind="standardised_score", minimum=40, maximum=160
    )


def details(
    scale: MeasureScale, name: str = "Reading recovery", **overrides: Any
) -> services.InterventionDetails:
    whole = services.InterventionDetails(
        name=name,
        area="cognition_and_learning",
        description="Daily one-to-one reading",
        intended_outcome="Reading age up by six months",
        wave=2,
        group_size=4,
        staff_role="Teaching assistant",
        session_minutes=30,
        sessions_per_week=3,
        staff_cost_per_hour=Decimal("20.00"),
        other_costs_per_year=Decimal("90.00"),
        scale=scale,
        is_active=True,
    )
    return replace(whole, **overrides)


def intervention(
    actor: User,
    measure: MeasureScale | None = None,
    name: str = "Reading recovery",
    **overrides: object,
) -> Intervention:
    return services.add_intervention(
        actor=actor,
        details=details(measure or scale(actor, f"Scale for {name}"), name, **overrides),
    )


def group(actor: User, of: Intervention, name: str, started_on: date) -> InterventionGroup:
    return services.start_group(
        actor=actor, intervention=of, name=name, led_by="Ms Tapper", started_on=started_on
    )


def place(
    actor: User,
    in_group: InterventionGroup,
    child: Child,
    started_on: date,
    entry_score: int | None = None,
    target_gain: int | None = None,
) -> Place:
    return services.place_pupil(
        actor=actor,
        group=in_group,
        child=child,
        entry=services.Entry(
            started_on=started_on,
            entry_score=entry_score,
            entry_measured_on=started_on if entry_score is not None else None,
            target_gain=target_gain,
        ),
    )


def session(
    actor: User,
    of: InterventionGroup,
    on: date,
    *,
    held: bool = True,
    reason: str = "",
    absent: tuple[Place, ...] = (),
) -> DeliverySession:
    return services.log_session(
        actor=actor,
        group=of,
        held_on=on,
        held=held,
        reason=reason,
        absent=[p.pk for p in absent],
    )
