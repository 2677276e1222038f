from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.dates import age_on, describe_age
from caseledger.domain.identifiers import (
    format_nhs_number,
    is_temporary_upn,
    is_valid_nhs_number,
    is_valid_upn,
    nhs_number_check_digit,
    upn_check_letter,
)

DOMAIN = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919", "4857773457"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize(
    "number",
    ["9434765918", "943476591", "94347659190", "abcdefghij", "", "4857773456"],
)
def test_nhs_numbers_with_a_wrong_check_digit_or_shape_fail(number):
    assert not is_valid_nhs_number(number)


def test_nhs_number_whose_check_would_be_ten_is_never_valid():
    # 1000000010: weights give a remainder of 1, so the check digit would be 10.
    assert nhs_number_check_digit("100000001") is None
    assert not any(is_valid_nhs_number(f"100000001{digit}") for digit in range(10))


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=0, max_value=9)
)
def test_exactly_one_final_digit_makes_a_valid_nhs_number_unless_none_can(first_nine, wrong):
    check = nhs_number_check_digit(first_nine)
    valid = [digit for digit in range(10) if is_valid_nhs_number(f"{first_nine}{digit}")]
    assert valid == ([] if check is None else [check])


def test_nhs_number_is_shown_in_three_three_four_groups():
    assert format_nhs_number("9434765919") == "943 476 5919"


def test_upn_check_letter_matches_the_dfe_weighting():
    # Characters 2–13 weighted 2..13: 1*2+2*3+...; worked by hand for this body.
    body = "000000000001"
    assert upn_check_letter(body) == "P"  # 1 × 13 = 13 → index 13 of A–Z without I, O, S
    assert is_valid_upn("P" + body)
    assert not is_valid_upn("A" + body)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_permanent_upn_body_has_one_check_letter(body):
    letter = upn_check_letter(body)
    assert is_valid_upn(letter + body)
    assert not is_temporary_upn(letter + body)


def test_temporary_upn_ends_in_a_letter():
    body = "99912345678A"
    upn = upn_check_letter(body) + body
    assert is_valid_upn(upn)
    assert is_temporary_upn(upn)


@pytest.mark.parametrize(
    "upn", ["", "A12345678901", "I000000000001", "1000000000001", "N00000000000O"]
)
def test_malformed_upns_fail(upn):
    assert not is_valid_upn(upn)


def test_age_turns_over_on_the_birthday():
    from datetime import date

    assert age_on(date(2015, 6, 10), date(2026, 6, 9)) == 10
    assert age_on(date(2015, 6, 10), date(2026, 6, 10)) == 11
    assert age_on(date(2016, 2, 29), date(2027, 2, 28)) == 10
    assert age_on(date(2016, 2, 29), date(2027, 3, 1)) == 11


def test_babies_ages_are_given_in_months():
    from datetime import date

    assert describe_age(date(2026, 4, 20), date(2026, 11, 23)) == "7 months"
    assert describe_age(date(2026, 10, 24), date(2026, 11, 23)) == "0 months"
    assert describe_age(date(2025, 11, 23), date(2026, 11, 23)) == "1 year"
    assert describe_age(date(2019, 1, 1), date(2026, 11, 23)) == "7 years"


def test_domain_package_never_imports_django():
    for module in DOMAIN.rglob("*.py"):
        if "tests" in module.parts:
            continue
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), module


def test_only_ascii_digits_count():
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in "9434765919")
    assert not is_valid_nhs_number(arabic_indic)
    assert not is_valid_upn("P" + "".join(chr(0x0660 + int(d)) for d in "000000000001"))
