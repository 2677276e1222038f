"""Types of special educational need as the school census and the SEN2 return record them,
the four broad areas of need of the SEND Code of Practice they fall in, and a pupil's place
on a school's SEN register.

Codes and names: the DfE's "type of SEN" codes, recorded in the school census as the
pupil's need ranked 1 (primary) and, optionally, ranked 2 (secondary), and used in the SEN2
return. The names are the DfE's, in sentence case; where the census and SEN2 guides word a
name differently (VI "visual" or "vision" impairment; OTH "other difficulty/disability" or
"other difficulty") the census's, because a school's register is what its census return is
made from. `NSA` is census only: "SEN support but no specialist assessment of type of need",
which by its meaning applies to SEN support, never to a pupil with an EHC plan, and leaves
nothing to rank second.

Broad areas: SEND Code of Practice 0 to 25 (2015), 6.28–6.35 — communication and
interaction (6.28–6.29: SLCN, autism), cognition and learning (6.30–6.31: MLD, SLD, PMLD,
SpLD), social, emotional and mental health difficulties (6.32–6.33), sensory and/or physical
needs (6.34–6.35: VI, HI, MSI, PD). "Other difficulty" and "no specialist assessment" belong
to no broad area; their `area` is None and reports show them in a column of their own.

Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from caseledger.domain.errors import DomainError


class BroadArea(StrEnum):
    """The four broad areas of need (Code of Practice 6.28–6.35), in the Code's order."""

    COMMUNICATION_AND_INTERACTION = "communication_and_interaction"
    COGNITION_AND_LEARNING = "cognition_and_learning"
    SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH = "social_emotional_and_mental_health"
    SENSORY_AND_PHYSICAL = "sensory_and_physical"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]

    @property
    def paragraphs(self) -> str:
        """Where the Code of Practice describes the area."""
        return _AREA_PARAGRAPHS[self]


_AREA_LABELS: dict[BroadArea, str] = {
    BroadArea.COMMUNICATION_AND_INTERACTION: "Communication and interaction",
    BroadArea.COGNITION_AND_LEARNING: "Cognition and learning",
    BroadArea.SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH: (
        "Social, emotional and mental health difficulties"
    ),
    BroadArea.SENSORY_AND_PHYSICAL: "Sensory and/or physical needs",
}

_AREA_PARAGRAPHS: dict[BroadArea, str] = {
    BroadArea.COMMUNICATION_AND_INTERACTION: "SEND Code of Practice 6.28–6.29",
    BroadArea.COGNITION_AND_LEARNING: "SEND Code of Practice 6.30–6.31",
    BroadArea.SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH: "SEND Code of Practice 6.32–6.33",
    BroadArea.SENSORY_AND_PHYSICAL: "SEND Code of Practice 6.34–6.35",
}

NO_AREA_LABEL = "Not in a broad area"
"""How reports head the column for needs in no broad area (other difficulty, not assessed)."""

AREA_COLUMNS: tuple[BroadArea | None, ...] = (*BroadArea, None)
"""The columns of a table of needs by area: the four areas in the Code's order, then none."""


def area_label(area: BroadArea | None) -> str:
    return NO_AREA_LABEL if area is None else area.label


class NeedCode(StrEnum):
    """A type of special educational need; the value is the census code (upper case)."""

    SPLD = "SPLD"
    MLD = "MLD"
    SLD = "SLD"
    PMLD = "PMLD"
    SEMH = "SEMH"
    SLCN = "SLCN"
    HI = "HI"
    VI = "VI"
    MSI = "MSI"
    PD = "PD"
    ASD = "ASD"
    OTH = "OTH"
    NSA = "NSA"

    @property
    def name_in_full(self) -> str:
        """The DfE's name for the type of need."""
        return _NEED_NAMES[self]

    @property
    def abbreviation(self) -> str:
        """As people write it: "SpLD"; every other code as the census writes it."""
        return "SpLD" if self is NeedCode.SPLD else self.value

    @property
    def area(self) -> BroadArea | None:
        """The broad area of need the type falls in; None for OTH and NSA."""
        return _NEED_AREAS[self]


_NEED_NAMES: dict[NeedCode, str] = {
    NeedCode.SPLD: "Specific learning difficulty",
    NeedCode.MLD: "Moderate learning difficulty",
    NeedCode.SLD: "Severe learning difficulty",
    NeedCode.PMLD: "Profound and multiple learning difficulty",
    NeedCode.SEMH: "Social, emotional and mental health",
    NeedCode.SLCN: "Speech, language and communication needs",
    NeedCode.HI: "Hearing impairment",
    NeedCode.VI: "Visual impairment",
    NeedCode.MSI: "Multi-sensory impairment",
    NeedCode.PD: "Physical disability",
    NeedCode.ASD: "Autistic spectrum disorder",
    NeedCode.OTH: "Other difficulty/disability",
    NeedCode.NSA: "SEN support but no specialist assessment of type of need",
}

_NEED_AREAS: dict[NeedCode, BroadArea | None] = {
    NeedCode.SLCN: BroadArea.COMMUNICATION_AND_INTERACTION,
    NeedCode.ASD: BroadArea.COMMUNICATION_AND_INTERACTION,
    NeedCode.SPLD: BroadArea.COGNITION_AND_LEARNING,
    NeedCode.MLD: BroadArea.COGNITION_AND_LEARNING,
    NeedCode.SLD: BroadArea.COGNITION_AND_LEARNING,
    NeedCode.PMLD: BroadArea.COGNITION_AND_LEARNING,
    NeedCode.SEMH: BroadArea.SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH,
    NeedCode.HI: BroadArea.SENSORY_AND_PHYSICAL,
    NeedCode.VI: BroadArea.SENSORY_AND_PHYSICAL,
    NeedCode.MSI: BroadArea.SENSORY_AND_PHYSICAL,
    NeedCode.PD: BroadArea.SENSORY_AND_PHYSICAL,
    NeedCode.OTH: None,
    NeedCode.NSA: None,
}


def parse_need_code(text: str) -> NeedCode:
    """A code as a school's MIS or a CSV writes it ("SpLD", "spld", " ASD ")."""
    try:
        return NeedCode(text.strip().upper())
    except ValueError:
        raise DomainError("Select a type of need from the list", field="need") from None


class SenProvision(StrEnum):
    """The census's SEN provision codes for a pupil on the register.

    The census also has N (no special educational need) for every other pupil; a pupil
    recorded N is not on the register, so it has no member here.
    """

    SEN_SUPPORT = "K"
    EHC_PLAN = "E"

    @property
    def label(self) -> str:
        return (
            "SEN support" if self is SenProvision.SEN_SUPPORT else "Education, health and care plan"
        )


class Wave(IntEnum):
    """The three waves of provision a provision map sorts interventions into."""

    QUALITY_FIRST_TEACHING = 1
    TARGETED = 2
    PERSONALISED = 3

    @property
    def label(self) -> str:
        return _WAVE_LABELS[self]


_WAVE_LABELS: dict[Wave, str] = {
    Wave.QUALITY_FIRST_TEACHING: "Wave 1: quality-first teaching",
    Wave.TARGETED: "Wave 2: targeted small-group intervention",
    Wave.PERSONALISED: "Wave 3: personalised, specialist provision",
}


def check_needs(
    provision: SenProvision, primary: NeedCode, secondary: NeedCode | None = None
) -> None:
    """Raise a `DomainError` unless the needs can be recorded together in the census.

    A secondary need differs from the primary one; NSA means the type of need has not been
    assessed, so it is for SEN support only, and ranks first with nothing second.
    """
    if primary is NeedCode.NSA and provision is SenProvision.EHC_PLAN:
        raise DomainError(
            "A pupil with an EHC plan has an assessed type of need: select it",
            field="primary_need",
        )
    if secondary is None:
        return
    if secondary is NeedCode.NSA or primary is NeedCode.NSA:
        raise DomainError(
            "A pupil whose need has not been assessed has no secondary need",
            field="secondary_need",
        )
    if secondary is primary:
        raise DomainError(
            "The secondary need must be different from the primary need",
            field="secondary_need",
        )


def year_group_label(year_group: int) -> str:
    """Year groups are numbers as the census has them: Reception 0, Nursery below it."""
    if year_group == 0:
        return "Reception"
    if year_group < 0:
        return "Nursery"
    return f"Year {year_group}"


@dataclass(frozen=True)
class RegisterEntry:
    """A pupil on the SEN register as reports count them: who, which year group, which
    provision and which needs. `pupil` is the app's identifier, as text."""

    pupil: str
    year_group: int
    provision: SenProvision
    primary_need: NeedCode
    secondary_need: NeedCode | None = None

    def __post_init__(self) -> None:
        check_needs(self.provision, self.primary_need, self.secondary_need)

    @property
    def areas(self) -> tuple[BroadArea | None, ...]:
        """The broad areas of the pupil's needs, primary first, each once."""
        primary = self.primary_need.area
        if self.secondary_need is None or self.secondary_need.area == primary:
            return (primary,)
        return (primary, self.secondary_need.area)
