"""Validation of the identifiers a child carries: NHS number and Unique Pupil Number.

No Django import: the checks are plain arithmetic and are tested directly.
"""

from __future__ import annotations

import re

_NHS_DIGITS = re.compile(r"^[0-9]{10}$")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces and hyphens people type ("943 476 5919" → "9434765919")."""
    return re.sub(r"[\s-]", "", value)


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The NHS number modulus 11 check digit for the first nine digits.

    NHS Data Dictionary, "NHS Number": weight the digits 10 down to 2, sum, take the
    remainder on division by 11 and subtract it from 11; 11 becomes 0 and 10 means no valid
    NHS number can start with these digits (returns None).
    """
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    number = normalise_nhs_number(value)
    if not _NHS_DIGITS.match(number):
        return False
    return nhs_number_check_digit(number[:9]) == int(number[9])


def format_nhs_number(value: str) -> str:
    """Show an NHS number in the 3-3-4 grouping people read aloud."""
    number = normalise_nhs_number(value)
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else value


# DfE "Unique Pupil Numbers (UPN): guidance for schools and local authorities", annex:
# the check letter is chosen from these 23 letters (no I, O or S), indexed by the weighted sum
# of characters 2 to 13 modulo 23. A temporary UPN ends in a letter, valued by the same table.
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")


def upn_check_letter(characters_two_to_thirteen: str) -> str:
    total = 0
    for weight, character in enumerate(characters_two_to_thirteen, start=2):
        value = int(character) if character in "0123456789" else _UPN_LETTERS.index(character)
        total += value * weight
    return _UPN_LETTERS[total % 23]


def is_valid_upn(value: str) -> bool:
    upn = value.strip().upper()
    if not _UPN_SHAPE.match(upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def is_temporary_upn(value: str) -> bool:
    return is_valid_upn(value) and value.strip().upper()[-1].isalpha()
