"""A pupil's year group from their date of birth, as schools in England count it.

A child starts Reception in the September after their fourth birthday and moves up a year
each 1 September, so everyone born from 1 September to 31 August is in the same year group:
Reception is the academic year that starts in the year of the fifth birthday of its oldest
pupils. Year groups are numbers as the census has them (Reception 0, Year 1 is 1, Nursery
below 0). Pure Python, no Django.
"""

from __future__ import annotations

from datetime import date

from caseledger.domain.sen.impact import academic_year

# Age on 31 August before the academic year starts, of a pupil in Reception.
RECEPTION_AGE = 4


def year_group(date_of_birth: date, on: date) -> int:
    """The year group, on a day, of a pupil born on `date_of_birth`."""
    return academic_year(on) - academic_year(date_of_birth) - RECEPTION_AGE - 1


def birth_dates(year_group_number: int, on: date) -> tuple[date, date]:
    """The first and last dates of birth of the pupils in a year group, on a day."""
    cohort = academic_year(on) - year_group_number - RECEPTION_AGE - 1
    return date(cohort, 9, 1), date(cohort + 1, 8, 31)
