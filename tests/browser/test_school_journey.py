"""Issue 8's journey through real pages: a school's SEN support for one pupil, from the SEN
register to the impact of her reading intervention, shared with her father.

Helen Price, the SENCO of Riverside Primary, puts Amara Nwosu back on the SEN register, gives
her father access, writes her passport with her, starts her support plan (assess, plan) with
two targets and a place in the demo's reading group, logs the group's sessions and Amara's
exit score (do), reviews the plan (review) and sees the impact. Her father reads the passport
and the plan and adds his views; a teacher who does not teach Amara, and the parent of another
child, get "Page not found". Every page state is checked with axe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from .test_journeys import (
    JO,
    LONDON,
    assert_accessible,
    choose,
    error_summary,
    fill_date,
    sign_in,
    success_banner,
)

pytestmark = pytest.mark.browser

HELEN = "helen.price@riverside.example"
TOM = "tom.barnes@riverside.example"
CHIDI = "chidi.nwosu@family.example"
AMARA = "Amara Nwosu"
INTERVENTION = "Inference reading group"
GROUP = "Reading group, Willow class"
# The demo logs the reading group's sessions on Tuesdays and Thursdays (weekday 1 and 3) up
# to yesterday; a group has one session a day, so this journey's sessions fall on the other
# weekdays.
DEMO_SESSION_DAYS = (1, 3)
OUR_SESSION_DAYS = (0, 2, 4)

KEY_SUMMARY = (
    "Amara is a kind, hard-working girl who loves animals. She reads words well but finds it "
    "hard to say what a story means, so check she has understood before she starts work."
)
WRITTEN_WITH = "Amara with Mrs Price"
PARTS = {
    "I would like you to know that…": "I love animals, especially horses, and I like drawing.",
    "This means that…": "I can read the words but sometimes I do not know what they mean.",
    "I find it difficult to…": "Answer questions about a story when I have to guess why.",
    "It would help me if you could…": "Ask me to tell you the story in my own words first.",
    "I will help myself by…": "Putting my hand up when I do not understand a question.",
}
NEEDS = (
    "Amara decodes fluently but her reading comprehension, inference in particular, is well "
    "below what is expected for her age."
)
EVIDENCE = (
    "Reading age of 96 months on the school's reading test; the class teacher's guided reading "
    "notes over six weeks."
)
STRATEGIES = (
    "Pre-teach the vocabulary of class texts; ask her to retell before answering questions."
)
TARGETS = (
    (
        "Answer two inference questions about a short text correctly",
        "Does it in three of four reading group sessions",
    ),
    (
        "Retell a chapter in her own words in the right order",
        "Class teacher's guided reading notes, twice in a fortnight",
    ),
)
NEXT_STEPS = "Keep the reading group for another term, and add a weekly reading buddy."
PUPIL_VIEWS = "I like the reading group. Guessing why people do things is getting easier."
PARENT_VIEWS_AT_REVIEW = "Her father says she now talks about the books she reads at home."
CHIDI_VIEWS = "Amara is reading to her little brother at bedtime now. Thank you for the group."
MISSED_REASON = "Teaching assistant on a training course"
ENTRY_SCORE, TARGET_GAIN, EXIT_SCORE = 96, 6, 104


def _today() -> date:
    return datetime.now(LONDON).date()


def _session_days(place_started: date, today: date) -> list[date]:
    """The three latest weekdays before today, after the place started, on which the demo
    logged no session for the group."""
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < 3:
        if day.weekday() in OUR_SESSION_DAYS:
            days.append(day)
        day -= timedelta(days=1)
    assert min(days) > place_started
    return sorted(days)


def _demo_sessions_since(start: date, today: date) -> int:
    """How many sessions the demo logged for the group from `start` to yesterday."""
    return sum(
        1
        for offset in range((today - start).days)
        if (start + timedelta(days=offset)).weekday() in DEMO_SESSION_DAYS
    )


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _select_option_containing(select: Locator, text: str) -> None:
    """Choose the option of a <select> whose text contains `text` ("Amara Nwosu (born …)")."""
    value = select.locator("option", has_text=text).get_attribute("value")
    assert value, f"no option containing {text!r}"
    select.select_option(value)


def _row(table: Locator, text: str) -> Locator:
    row = table.get_by_role("row").filter(has_text=text)
    expect(row).to_have_count(1)
    return row


def _pounds(text: str) -> Decimal:
    match = re.fullmatch(r"£([\d,]+\.\d\d)", text.strip())
    assert match, f"not an amount in pounds: {text!r}"
    return Decimal(match.group(1).replace(",", ""))


# --- The SENCO's part -------------------------------------------------------------------------


def add_amara_to_the_register(page: Page, today: date) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="SEN register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SEN register")
    # Amara was taken off the register in the demo: the register lists only pupils on it.
    expect(page.get_by_role("table")).not_to_contain_text(AMARA)
    page.get_by_role("link", name="Add a pupil to the register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a pupil to the SEN register")
    assert_accessible(page)
    _select_option_containing(page.get_by_label("Pupil", exact=True), AMARA)
    choose(page, "What SEN provision does the pupil have?", "SEN support")
    page.get_by_label("Primary need").select_option(label="MLD: Moderate learning difficulty")
    page.get_by_label("Secondary need (optional)").select_option(
        label="SLCN: Speech, language and communication needs"
    )
    fill_date(page, "When did the SEN provision start?", today - timedelta(days=22))
    page.get_by_label("Note (optional)").fill(
        "Back on SEN support: her reading comprehension has fallen behind this term"
    )
    page.get_by_role("button", name="Add to the register").click()
    expect(success_banner(page)).to_contain_text(f"{AMARA} has been added to the SEN register")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Moderate learning difficulty (MLD)")
    expect(main).to_contain_text("Speech, language and communication needs (SLCN)")
    expect(main).to_contain_text("On the register")
    assert_accessible(page)


def give_chidi_access(page: Page) -> str:
    """From Amara's pupil page; returns its address."""
    page.get_by_role("link", name=f"{AMARA}'s page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AMARA)
    pupil_url = page.url
    parents_row = page.locator(".govuk-summary-list__row").filter(
        has_text="Parents who can see these records"
    )
    expect(parents_row).to_contain_text("None")
    assert_accessible(page)
    parents_row.get_by_role("link", name=re.compile("^Change")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Parents who can see these SEN records"
    )
    expect(page.get_by_role("main")).to_contain_text("No parent or carer can see these records")
    assert_accessible(page)
    email = page.get_by_label("Parent or carer's email address")
    email.fill(CHIDI)
    page.get_by_role("button", name="Continue").click()
    # Nothing is given until Helen has checked whose account the address belongs to; the
    # address travels in the form, never in the address bar.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you give access")
    assert "chidi" not in page.url
    main = page.get_by_role("main")
    holder = main.locator(".govuk-summary-list__row").filter(has_text="Account holder")
    expect(holder).to_contain_text("Chidi Nwosu")
    expect(main.locator(".govuk-summary-list")).to_contain_text(CHIDI)
    expect(main).to_contain_text(f"read {AMARA}'s pupil passport")
    # The school has recorded no adults for Amara, so there is no one to check Chidi against.
    expect(main).to_contain_text(f"No adults are recorded for {AMARA}")
    expect(main.locator(".govuk-warning-text")).to_contain_text(
        "There are no adults recorded to check Chidi Nwosu against"
    )
    assert_accessible(page)
    # Going back to change the address keeps it.
    page.get_by_role("button", name="Change the email address").click()
    expect(email).to_have_value(CHIDI)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you give access")
    page.get_by_role("button", name="Give access").click()
    expect(success_banner(page)).to_contain_text(f"Chidi Nwosu can now see {AMARA}'s SEN records")
    expect(page.get_by_role("table", name="Can see the records now")).to_contain_text(CHIDI)
    assert_accessible(page)
    page.goto(pupil_url)
    expect(parents_row).to_contain_text("Chidi Nwosu")
    return pupil_url


def write_the_passport(page: Page, pupil_url: str, today: date) -> str:
    """Write Amara's passport, first leaving out the key summary; returns its address."""
    page.goto(pupil_url)
    page.get_by_role("link", name="Pupil passport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pupil passport")
    expect(page.get_by_role("main")).to_contain_text(f"No passport has been written for {AMARA}")
    passport_url = page.url
    assert_accessible(page)
    page.get_by_role("link", name="Write the passport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the passport")
    assert_accessible(page)

    # Everything but the key summary, which the passport must have.
    page.get_by_label("Who wrote the key summary with Amara?").fill(WRITTEN_WITH)
    for heading, text in PARTS.items():
        page.get_by_label(f"{heading} (optional)", exact=True).fill(text)
        page.get_by_label(f"Who wrote ‘{heading}’ with Amara?").fill(WRITTEN_WITH)
    page.get_by_label("Additional support I receive (optional)", exact=True).fill(
        "The inference reading group twice a week."
    )
    page.get_by_label("Who wrote ‘Additional support I receive’ with Amara?").fill("Mrs Price")
    arrangements = page.get_by_role("group", name="Access arrangements (optional)", exact=True)
    arrangements.get_by_label("Extra time").check()
    arrangements.get_by_label("A reader").check()
    page.get_by_label("Other access arrangements (optional)").fill("Questions read aloud twice")
    page.get_by_label("Who agreed the access arrangements with Amara?").fill(WRITTEN_WITH)
    agreed_on = today - timedelta(days=1)
    fill_date(page, "When was this version agreed with Amara?", agreed_on)
    page.get_by_role("button", name="Save this version").click()

    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the key summary")
    expect(summary.get_by_role("link")).to_have_count(1)
    # What was typed is kept.
    for heading, text in PARTS.items():
        expect(page.get_by_label(f"{heading} (optional)", exact=True)).to_have_value(text)
    expect(page.get_by_label("Who wrote ‘This means that…’ with Amara?")).to_have_value(
        WRITTEN_WITH
    )
    expect(arrangements.get_by_label("Extra time")).to_be_checked()
    expect(arrangements.get_by_label("A reader")).to_be_checked()
    expect(arrangements.get_by_label("A scribe")).not_to_be_checked()
    expect(page.get_by_label("Other access arrangements (optional)")).to_have_value(
        "Questions read aloud twice"
    )
    agreed = page.get_by_role("group", name="When was this version agreed with Amara?")
    expect(agreed.get_by_label("Day")).to_have_value(str(agreed_on.day))
    expect(agreed.get_by_label("Year")).to_have_value(str(agreed_on.year))
    assert_accessible(page)

    summary.get_by_role("link", name="Enter the key summary").click()
    expect(page.get_by_label("Key summary", exact=True)).to_be_focused()
    page.get_by_label("Key summary", exact=True).fill(KEY_SUMMARY)
    page.get_by_role("button", name="Save this version").click()

    expect(success_banner(page)).to_contain_text(f"Version 1 of {AMARA}'s passport saved")
    expect(page).to_have_url(passport_url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(KEY_SUMMARY)
    expect(main).to_contain_text(f"Written by {WRITTEN_WITH}")
    expect(main).to_contain_text(f"Agreed by {WRITTEN_WITH}")
    expect(main).to_contain_text(PARTS["I find it difficult to…"])
    expect(main.get_by_role("listitem").filter(has_text="Extra time")).to_have_count(1)
    expect(main.get_by_role("listitem").filter(has_text="A reader")).to_have_count(1)
    expect(main).to_contain_text("Other: Questions read aloud twice")
    expect(main).to_contain_text(_long_date(agreed_on))
    # Every version, the first too, is linked to its own page.
    expect(main.get_by_role("link", name="Version 1 (current)")).to_have_attribute(
        "href", re.compile(r"/passport/versions/1/$")
    )
    assert_accessible(page)
    return passport_url


def start_the_plan(page: Page, pupil_url: str, today: date, started: date) -> str:
    """Start Amara's plan and add two targets; returns the plan's address."""
    page.goto(pupil_url)
    page.get_by_role("link", name="SEN support plan (assess, plan, do, review)").click()
    expect(page.get_by_role("main")).to_contain_text(f"{AMARA} does not have a support plan")
    plan_url = page.url
    assert_accessible(page)
    page.get_by_role("link", name="Start a support plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a support plan")
    assert_accessible(page)
    fill_date(page, "When did the plan start?", started)
    page.get_by_label("Assess: what are the pupil's needs?").fill(NEEDS)
    page.get_by_label("What is the evidence for them?").fill(EVIDENCE)
    page.get_by_label("Plan: what strategies will staff use? (optional)").fill(STRATEGIES)
    fill_date(page, "When will the plan be reviewed?", today + timedelta(days=14))
    page.get_by_role("button", name="Start the plan").click()
    expect(success_banner(page)).to_contain_text(f"{AMARA}'s support plan has been started")
    expect(
        page.get_by_role("heading", level=2, name=f"Cycle 1, from {_long_date(started)}")
    ).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(NEEDS)
    assert_accessible(page)

    for number, (description, criteria) in enumerate(TARGETS, start=1):
        page.get_by_role("link", name="Add a target").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a target")
        if number == 1:
            assert_accessible(page)
        page.get_by_label("What is the target?").fill(description)
        page.get_by_label("How will you know it has been met?").fill(criteria)
        fill_date(page, "When should it be met by?", today + timedelta(days=7))
        page.get_by_role("button", name="Add the target").click()
        expect(success_banner(page)).to_contain_text(f"Target {number} has been added")
    targets = page.get_by_role("table", name="Targets")
    for number, (description, _) in enumerate(TARGETS, start=1):
        expect(targets).to_contain_text(f"{number}. {description}")
    assert_accessible(page)
    return plan_url


def place_amara_in_the_reading_group(page: Page, started: date) -> str:
    """Through the provision map, give Amara a place in the demo's reading group; returns
    the group's address."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Provision map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provision map")
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name=INTERVENTION, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INTERVENTION)
    assert_accessible(page)
    # The group is linked from the list of groups and again from its pupils' rows.
    page.get_by_role("link", name=GROUP, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    group_url = page.url
    assert_accessible(page)
    page.get_by_role("link", name="Give a pupil a place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Give a pupil a place")
    assert_accessible(page)
    page.get_by_label("Pupil", exact=True).select_option(label=AMARA)
    fill_date(page, "When did the place start?", started)
    page.get_by_label("Entry score (optional)").fill(str(ENTRY_SCORE))
    fill_date(page, "Date of the entry measure (optional)", started - timedelta(days=1))
    page.get_by_label("Target gain (optional)").fill(str(TARGET_GAIN))
    page.get_by_role("button", name="Give the place").click()
    expect(success_banner(page)).to_contain_text(f"{AMARA} has a place in ‘{GROUP}’")
    row = _row(page.get_by_role("table", name="Pupils"), AMARA)
    expect(row).to_contain_text(f"{_long_date(started)}, open")
    expect(row).to_contain_text(f"Gain of {TARGET_GAIN}")
    assert_accessible(page)
    return group_url


def link_the_place_to_the_plan(page: Page, plan_url: str, started: date) -> None:
    page.goto(plan_url)
    page.get_by_role("link", name="Change the assessment and plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Change the assessment and plan of cycle 1"
    )
    assert_accessible(page)
    provision = page.get_by_role("group", name="What provision is assigned? (optional)")
    provision.get_by_label(f"{INTERVENTION} ({GROUP}), from {_long_date(started)}").check()
    page.get_by_role("button", name="Save changes").click()
    expect(success_banner(page)).to_contain_text("Cycle 1 has been changed")
    assigned = page.locator(".govuk-summary-list__row").filter(has_text="Provision assigned")
    expect(assigned).to_contain_text(f"{INTERVENTION} ({GROUP})")
    delivered = page.get_by_role("table", name=re.compile(r"^Delivery from the provision map"))
    expect(delivered).to_contain_text(f"{INTERVENTION} ({GROUP})")
    assert_accessible(page)


def log_sessions_and_exit_score(
    page: Page, group_url: str, sessions: list[date], today: date
) -> None:
    """Two sessions held and one missed, then Amara's exit measure."""
    missed = sessions[-1]
    for day in sessions:
        page.goto(group_url)
        page.get_by_role("link", name="Record a session").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a session")
        if day == sessions[0]:
            assert_accessible(page)
        fill_date(page, "Date of the session", day)
        if day == missed:
            choose(page, "Was the session held?", "No")
            page.get_by_label("If it was missed, why?").fill(MISSED_REASON)
        else:
            choose(page, "Was the session held?", "Yes")
        page.get_by_role("button", name="Record the session").click()
        expect(success_banner(page)).to_contain_text(
            f"The session on {_long_date(day)} has been recorded"
        )
    recorded = page.get_by_role("table", name=re.compile(r"^Sessions \(\d+\)$"))
    expect(_row(recorded, _long_date(missed))).to_contain_text(f"Missed: {MISSED_REASON}")
    for day in sessions[:-1]:
        expect(_row(recorded, _long_date(day))).to_contain_text("Held")
    assert_accessible(page)

    pupils = page.get_by_role("table", name="Pupils")
    _row(pupils, AMARA).get_by_role("link", name=f"Exit measure for {AMARA}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Exit measure for {AMARA}")
    expect(page.get_by_role("main")).to_contain_text(f"Entry score: {ENTRY_SCORE}")
    assert_accessible(page)
    page.get_by_label("Exit score").fill(str(EXIT_SCORE))
    fill_date(page, "Date of the exit measure", today)
    page.get_by_role("button", name="Save the exit measure").click()
    expect(success_banner(page)).to_contain_text(f"{AMARA}'s exit measure has been recorded")
    row = _row(page.get_by_role("table", name="Pupils"), AMARA)
    expect(row.get_by_role("cell").nth(3)).to_have_text(str(EXIT_SCORE))
    assert_accessible(page)


def review_the_plan(page: Page, plan_url: str, today: date) -> None:
    page.goto(plan_url)
    page.get_by_role("link", name="Record the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review of cycle 1")
    assert_accessible(page)
    fill_date(page, "When was the review?", today)
    first, second = (f"Target {n}: {description}" for n, (description, _) in enumerate(TARGETS, 1))
    choose(page, first, "Met")
    page.get_by_label("Progress towards target 1 (optional)").fill("Three of four sessions")
    choose(page, second, "Partly met")
    page.get_by_label("What are the pupil's views? (optional)").fill(PUPIL_VIEWS)
    page.get_by_label("What are the parents' views, as given at the meeting? (optional)").fill(
        PARENT_VIEWS_AT_REVIEW
    )
    page.get_by_label("What are the next steps?").fill(NEXT_STEPS)
    next_review = today + timedelta(days=70)
    fill_date(page, "When will the next cycle be reviewed?", next_review)
    page.get_by_role("button", name="Record the review").click()
    expect(success_banner(page)).to_contain_text(
        "The review has been recorded and cycle 2 has started"
    )

    # The next cycle is open, from the review's next steps, with the reading group carried on.
    expect(
        page.get_by_role("heading", level=2, name=f"Cycle 2, from {_long_date(today)}")
    ).to_be_visible()
    main = page.get_by_role("main")
    expect(main.locator(".govuk-inset-text").first).to_contain_text(NEXT_STEPS)
    expect(
        main.locator(".govuk-summary-list__row").filter(has_text="Provision assigned").first
    ).to_contain_text(f"{INTERVENTION} ({GROUP})")
    expect(
        main.locator(".govuk-summary-list__row").filter(has_text="Review date").first
    ).to_contain_text(_long_date(next_review))
    earlier = main.locator("details").filter(has_text="Cycle 1:")
    expect(earlier).to_contain_text(f"review on {_long_date(today)}")
    earlier.locator("summary").click()
    earlier_targets = earlier.get_by_role("table", name="Targets")
    expect(_row(earlier_targets, TARGETS[0][0])).to_contain_text("Met")
    expect(_row(earlier_targets, TARGETS[1][0])).to_contain_text("Partly met")
    expect(earlier).to_contain_text(PUPIL_VIEWS)
    expect(earlier).to_contain_text(PARENT_VIEWS_AT_REVIEW)
    assert_accessible(page)


def check_the_summary_and_impact(page: Page, plan_url: str, held: int) -> None:
    """The graduated approach summary lists the sessions delivered and their cost; Amara's
    provision page and the intervention's page show her gain and that she met her target."""
    page.goto(plan_url)
    page.get_by_role("link", name="Graduated approach summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "SEN support: graduated approach summary"
    )
    first = page.get_by_role("table", name=re.compile(r"^Do: provision in cycle 1"))
    delivery = _row(first, f"{INTERVENTION} ({GROUP})")
    cells = delivery.get_by_role("cell")
    # Amara attended every session held since her place started: the demo's, and ours.
    expect(cells.nth(1)).to_have_text(str(held))
    expect(cells.nth(2)).to_have_text(str(held))
    expect(cells.nth(3)).to_have_text(str(held * 30))
    cost = _pounds(cells.nth(4).inner_text())
    # Each held session costs 30 minutes of £14.50 an hour (£7.25), shared by the two pupils
    # with a place (Isla and Amara); the shares are apportioned to the penny.
    assert abs(cost - Decimal("3.625") * held) <= Decimal("0.01"), cost
    # The place runs on into cycle 2, which began today: no session has been held in it yet,
    # so the plan's cost is cycle 1's.
    second = page.get_by_role("table", name=re.compile(r"^Do: provision in cycle 2"))
    _row(second, f"{INTERVENTION} ({GROUP})")
    expect(page.locator("#total-cost")).to_have_text(f"£{cost}")
    main = page.get_by_role("main")
    expect(main).to_contain_text(NEXT_STEPS)
    expect(main).to_contain_text(PUPIL_VIEWS)
    assert_accessible(page)

    page.goto(plan_url)
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AMARA)
    page.get_by_role("link", name="Provision and its impact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Provision")
    row = _row(page.get_by_role("table"), INTERVENTION)
    cells = row.get_by_role("cell")
    expect(cells.nth(2)).to_contain_text(f"{held} of {held} held")
    expect(cells.nth(3)).to_have_text(f"£{cost}")
    expect(cells.nth(4)).to_contain_text(f"{ENTRY_SCORE} to {EXIT_SCORE}")
    expect(cells.nth(5)).to_have_text(str(EXIT_SCORE - ENTRY_SCORE))
    expect(cells.nth(6)).to_have_text("Met")
    assert_accessible(page)

    row.get_by_role("link", name=INTERVENTION).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INTERVENTION)
    impact = page.locator(".govuk-summary-list").nth(1)

    def value(key: str) -> Locator:
        return impact.locator(".govuk-summary-list__row").filter(
            has=page.locator("dt", has_text=key)
        )

    # Isla, the group's other pupil, has no exit measure yet: Amara is the one measured.
    expect(value("Average gain")).to_contain_text(
        f"{EXIT_SCORE - ENTRY_SCORE} over 1 pupil measured"
    )
    expect(value("Meeting their target")).to_contain_text("1 of 1")
    expect(value("Sessions missed")).to_contain_text(f"{MISSED_REASON}: 1")
    expect(value("Places")).to_contain_text("2 pupils")
    assert_accessible(page)


# --- The parent's part ------------------------------------------------------------------------


def chidi_reads_the_passport_and_adds_his_views(page: Page) -> None:
    sign_in(page, CHIDI)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="School support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School support")
    assert_accessible(page)
    page.get_by_role("link", name=AMARA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AMARA)
    main = page.get_by_role("main")
    expect(main).to_contain_text("extra help called SEN support")
    expect(main).to_contain_text("Moderate learning difficulty")
    # Parents see the passport and the plan, never the provision map.
    expect(page.get_by_role("link", name="Provision and its impact")).to_have_count(0)
    pupil_url = page.url
    assert_accessible(page)

    page.get_by_role("link", name="Amara's pupil passport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{AMARA}'s passport")
    main = page.get_by_role("main")
    expect(main.locator(".govuk-inset-text")).to_contain_text(KEY_SUMMARY)
    expect(main).to_contain_text(PARTS["It would help me if you could…"])
    expect(page.get_by_role("link", name="Write a new version")).to_have_count(0)
    assert_accessible(page)

    page.goto(pupil_url)
    page.get_by_role("link", name="Support plan and reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{AMARA}'s support plan")
    main = page.get_by_role("main")
    expect(main).to_contain_text("This is the plan the school is following now")
    expect(main).to_contain_text(f"What happens next: {NEXT_STEPS}")
    expect(main.get_by_role("listitem").filter(has_text=TARGETS[0][0])).to_contain_text("Met")
    expect(main).to_contain_text(f"What {AMARA} said: {PUPIL_VIEWS}")
    # Staff-only parts are not on the parent's page.
    expect(page.get_by_role("link", name="Graduated approach summary")).to_have_count(0)
    expect(page.get_by_role("link", name="Record the review")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Send your views").click()
    expect(error_summary(page)).to_contain_text("Enter your views")
    assert_accessible(page)
    page.get_by_label("Your views").fill(CHIDI_VIEWS)
    page.get_by_role("button", name="Send your views").click()
    expect(success_banner(page)).to_contain_text("Thank you: your views have been added")
    expect(page.get_by_role("main").locator(".govuk-inset-text")).to_contain_text(CHIDI_VIEWS)
    assert_accessible(page)


def assert_not_found(page: Page, url: str, who: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 404, f"{url} answered {response.status} for {who}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert "Amara" not in page.locator("body").inner_text()
    assert "Nwosu" not in page.title()
    assert_accessible(page)


# --- The journey ------------------------------------------------------------------------------


def test_senco_supports_a_pupil_through_a_plan_cycle_and_her_father_adds_his_views(
    new_page: Callable[[], Page],
) -> None:
    today = _today()
    started = today - timedelta(days=21)
    sessions = _session_days(started, today)
    # Every session held while Amara had her place: the demo's and the two held here.
    held = _demo_sessions_since(started, today) + len(sessions) - 1

    helen = new_page()
    sign_in(helen, HELEN)
    add_amara_to_the_register(helen, today)
    pupil_url = give_chidi_access(helen)
    passport_url = write_the_passport(helen, pupil_url, today)
    plan_url = start_the_plan(helen, pupil_url, today, started)
    group_url = place_amara_in_the_reading_group(helen, started)
    link_the_place_to_the_plan(helen, plan_url, started)
    log_sessions_and_exit_score(helen, group_url, sessions, today)
    review_the_plan(helen, plan_url, today)
    check_the_summary_and_impact(helen, plan_url, held)

    chidi_reads_the_passport_and_adds_his_views(new_page())

    # The SENCO sees Chidi's views on the current cycle of the plan.
    helen.goto(plan_url)
    views = helen.locator(".govuk-summary-list__row").filter(
        has_text=f"Views added by Chidi Nwosu, {_long_date(today)}"
    )
    expect(views).to_have_count(1)
    expect(views).to_contain_text(CHIDI_VIEWS)
    assert_accessible(helen)

    # Tom teaches Oak class, not Amara's Willow class; Jo is the parent of another child.
    tom = new_page()
    sign_in(tom, TOM)
    assert_not_found(tom, passport_url, "Tom Barnes")
    jo = new_page()
    sign_in(jo, JO)
    assert_not_found(jo, passport_url, "Jo Morgan")


def test_pressing_enter_in_a_new_class_name_adds_the_class(page: Page) -> None:
    """The class form has a "Show pupils" button above the main one: pressing Enter in the
    name box must still add the class (the form's hidden first button), not show pupils."""
    sign_in(page, HELEN)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Classes").click()
    page.get_by_role("link", name="Add a class").click()
    name = page.get_by_label("Name of the class")
    name.fill("Rowan class")
    name.press("Enter")
    expect(success_banner(page)).to_contain_text("Class Rowan class has been added")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rowan class")
    assert_accessible(page)
