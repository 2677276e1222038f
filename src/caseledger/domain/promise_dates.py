"""Working out the date in a promise from its own words. No Django import.

People record what was promised as it was said: "a decision by the end of next week", "will
ring back tomorrow", "within 10 working days". The interaction keeps the words; this module
suggests the date they mean, counted from the day the promise was made, for the person to
check before it is saved (it never decides silently). Returns None when the words give no
date it can be sure of.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from caseledger.domain.working_days import WorkingDays

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fourteen": 14,
    "twenty": 20,
    "twenty-one": 21,
    "twenty-eight": 28,
}
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text]


def _last_working_day_of_week(day: date, days: WorkingDays) -> date:
    """The Friday of `day`'s week, or the working day before it if that is a holiday."""
    friday = day + timedelta(days=4 - day.weekday())
    candidate = friday
    while not days.is_working_day(candidate) and candidate > friday - timedelta(days=4):
        candidate -= timedelta(days=1)
    return candidate


def _explicit_date(text: str, spoken_on: date) -> date | None:
    numeric = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            return None
    months = "|".join(sorted(MONTHS, key=len, reverse=True))
    named = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})\.?(?:\s+(\d{{4}}))?\b", text
    ) or re.search(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", text)
    if not named:
        return None
    first, second, year_text = named.groups()
    day_text, month_text = (first, second) if first.isdigit() else (second, first)
    month = MONTHS[month_text]
    if year_text:
        try:
            return date(int(year_text), month, int(day_text))
        except ValueError:
            return None
    # "by 3 March", said in November, means next March; "by 29 February", said in a year
    # without one, the next year that has it (a year on, if even that has none: no date).
    for year in (spoken_on.year, spoken_on.year + 1):
        try:
            found = date(year, month, int(day_text))
        except ValueError:
            continue
        if found >= spoken_on:
            return found
    return None


def date_from_words(words: str, spoken_on: date, days: WorkingDays) -> date | None:
    """The date a promise's words name, counted from the day it was made, or None."""
    text = " ".join(words.lower().replace("’", "'").split())
    if not text:
        return None
    explicit = _explicit_date(text, spoken_on)
    if explicit is not None:
        return explicit
    # "By end of day tomorrow" is tomorrow: a named day comes before "end of (the) day".
    if re.search(r"\btomorrow\b", text):
        return spoken_on + timedelta(days=1)
    if re.search(r"\b(today|this afternoon|this evening)\b", text):
        return spoken_on
    if re.search(r"\bend of next week\b|\bnext week\b", text):
        return _last_working_day_of_week(spoken_on + timedelta(days=7), days)
    if re.search(r"\bend of (the |this )?week\b|\bthis week\b", text):
        week = spoken_on if spoken_on.weekday() < 5 else spoken_on + timedelta(days=7)
        found = _last_working_day_of_week(week, days)
        # Said after the week's last working day (on Good Friday, say): its end has passed,
        # so the words mean next week's, as they do when said at the weekend.
        if found < spoken_on:
            found = _last_working_day_of_week(spoken_on + timedelta(days=7), days)
        return found
    if re.search(r"\bend of next month\b", text):
        year, month = (spoken_on.year + (spoken_on.month == 12), spoken_on.month % 12 + 1)
        return date(year, month, calendar.monthrange(year, month)[1])
    if re.search(r"\bend of (the |this )?month\b", text):
        return spoken_on.replace(day=calendar.monthrange(spoken_on.year, spoken_on.month)[1])
    working = re.search(rf"\b{_NUMBER} (working|business) days?\b", text)
    if working:
        return days.add(spoken_on, _number(working.group(1)))
    counted = re.search(rf"\b(?:within|in|next) {_NUMBER} (days?|weeks?)\b", text)
    if counted:
        amount = _number(counted.group(1))
        unit = 7 if counted.group(2).startswith("week") else 1
        return spoken_on + timedelta(days=amount * unit)
    weekday = re.search(r"\b(?:by|on|next|this)? ?(" + "|".join(WEEKDAYS) + r")\b", text)
    if weekday:
        target = WEEKDAYS[weekday.group(1)]
        ahead = (target - spoken_on.weekday()) % 7 or 7
        return spoken_on + timedelta(days=ahead)
    if re.search(r"\bend of (the )?day\b", text):
        return spoken_on
    return None
