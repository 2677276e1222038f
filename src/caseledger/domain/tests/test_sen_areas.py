"""Types of need as the census codes them, the broad area each falls in (SEND Code of Practice
6.28–6.35), the census's SEN provision codes and the rules for recording needs together."""

from __future__ import annotations

import pytest

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.areas import (
    AREA_COLUMNS,
    BroadArea,
    NeedCode,
    RegisterEntry,
    SenProvision,
    Wave,
    area_label,
    check_needs,
    parse_need_code,
    year_group_label,
)

C_AND_I = BroadArea.COMMUNICATION_AND_INTERACTION
C_AND_L = BroadArea.COGNITION_AND_LEARNING
SEMH = BroadArea.SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH
S_AND_P = BroadArea.SENSORY_AND_PHYSICAL

# The table as the DfE and the Code of Practice give it, written out once more by hand.
EXPECTED = {
    "SPLD": ("Specific learning difficulty", C_AND_L),
    "MLD": ("Moderate learning difficulty", C_AND_L),
    "SLD": ("Severe learning difficulty", C_AND_L),
    "PMLD": ("Profound and multiple learning difficulty", C_AND_L),
    "SEMH": ("Social, emotional and mental health", SEMH),
    "SLCN": ("Speech, language and communication needs", C_AND_I),
    "HI": ("Hearing impairment", S_AND_P),
    "VI": ("Visual impairment", S_AND_P),
    "MSI": ("Multi-sensory impairment", S_AND_P),
    "PD": ("Physical disability", S_AND_P),
    "ASD": ("Autistic spectrum disorder", C_AND_I),
    "OTH": ("Other difficulty/disability", None),
    "NSA": ("SEN support but no specialist assessment of type of need", None),
}


def test_the_thirteen_census_codes_with_their_names_and_areas():
    assert [need.value for need in NeedCode] == list(EXPECTED)
    for code, (name, area) in EXPECTED.items():
        need = NeedCode(code)
        assert need.name_in_full == name
        assert need.area is area


def test_every_broad_area_has_a_type_of_need_and_a_paragraph_of_the_code():
    areas = {need.area for need in NeedCode}
    assert areas == {*BroadArea, None}
    assert [area.paragraphs for area in BroadArea] == [
        "SEND Code of Practice 6.28–6.29",
        "SEND Code of Practice 6.30–6.31",
        "SEND Code of Practice 6.32–6.33",
        "SEND Code of Practice 6.34–6.35",
    ]
    assert [area_label(area) for area in AREA_COLUMNS] == [
        "Communication and interaction",
        "Cognition and learning",
        "Social, emotional and mental health difficulties",
        "Sensory and/or physical needs",
        "Not in a broad area",
    ]


def test_specific_learning_difficulty_is_written_as_people_write_it():
    assert NeedCode.SPLD.abbreviation == "SpLD"
    assert NeedCode.ASD.abbreviation == "ASD"


@pytest.mark.parametrize("text", ["SpLD", "spld", " SPLD ", "SPLD"])
def test_a_code_is_read_however_it_is_cased(text):
    assert parse_need_code(text) is NeedCode.SPLD


@pytest.mark.parametrize("text", ["", "ADHD", "BESD", "SP LD"])
def test_a_code_the_census_does_not_have_is_refused(text):
    with pytest.raises(DomainError, match="Select a type of need from the list"):
        parse_need_code(text)


def test_sen_provision_uses_the_census_letters():
    assert SenProvision.SEN_SUPPORT.value == "K"
    assert SenProvision.EHC_PLAN.value == "E"
    assert SenProvision("K").label == "SEN support"
    assert SenProvision("E").label == "Education, health and care plan"


def test_waves_are_one_to_three():
    assert [int(wave) for wave in Wave] == [1, 2, 3]
    assert Wave(2).label.startswith("Wave 2")


@pytest.mark.parametrize(
    ("provision", "primary", "secondary"),
    [
        (SenProvision.SEN_SUPPORT, NeedCode.SPLD, None),
        (SenProvision.SEN_SUPPORT, NeedCode.SLCN, NeedCode.SEMH),
        (SenProvision.EHC_PLAN, NeedCode.ASD, NeedCode.SLCN),
        (SenProvision.SEN_SUPPORT, NeedCode.NSA, None),
        (SenProvision.EHC_PLAN, NeedCode.OTH, None),
    ],
)
def test_needs_that_can_be_recorded_together(provision, primary, secondary):
    check_needs(provision, primary, secondary)


@pytest.mark.parametrize(
    ("provision", "primary", "secondary", "message"),
    [
        (SenProvision.EHC_PLAN, NeedCode.NSA, None, "A pupil with an EHC plan"),
        (SenProvision.SEN_SUPPORT, NeedCode.SPLD, NeedCode.NSA, "has not been assessed"),
        (SenProvision.SEN_SUPPORT, NeedCode.NSA, NeedCode.SPLD, "has not been assessed"),
        (SenProvision.SEN_SUPPORT, NeedCode.MLD, NeedCode.MLD, "must be different"),
    ],
)
def test_needs_that_cannot_be_recorded_together(provision, primary, secondary, message):
    with pytest.raises(DomainError, match=message):
        check_needs(provision, primary, secondary)


def test_a_register_entry_checks_its_needs():
    with pytest.raises(DomainError, match="must be different"):
        RegisterEntry("p1", 4, SenProvision.SEN_SUPPORT, NeedCode.HI, NeedCode.HI)


def test_a_register_entry_lists_each_area_of_its_needs_once_primary_first():
    def areas(primary: NeedCode, secondary: NeedCode | None) -> tuple[BroadArea | None, ...]:
        return RegisterEntry("p1", 4, SenProvision.SEN_SUPPORT, primary, secondary).areas

    assert areas(NeedCode.SEMH, NeedCode.SLCN) == (SEMH, C_AND_I)
    assert areas(NeedCode.ASD, NeedCode.SLCN) == (C_AND_I,)  # both communication
    assert areas(NeedCode.MLD, None) == (C_AND_L,)
    assert areas(NeedCode.OTH, NeedCode.PD) == (None, S_AND_P)


@pytest.mark.parametrize(
    ("year_group", "label"), [(-1, "Nursery"), (0, "Reception"), (1, "Year 1"), (13, "Year 13")]
)
def test_year_group_labels(year_group, label):
    assert year_group_label(year_group) == label
