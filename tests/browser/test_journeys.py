"""Journeys through real pages in Chromium, against a real server with the demo data.

Each journey signs in through the sign-in form, moves by links and buttons as a person would,
and checks every page it visits with axe (serious and critical violations fail the test).
"""

from __future__ import annotations

import functools
import re
import uuid
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from caseledger.demo.data import DEMO_DRAFT_PLAN, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from caseledger.domain.promise_dates import date_from_words
from caseledger.domain.working_days import WorkingDays
from caseledger.vault.tests import samples

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}

SIGN_IN_PATH = "/accounts/sign-in/"
CHILD_URL = re.compile(r"/children/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")
CASE_URL = re.compile(r"/cases/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")

AMIRA = "amira.khan@northmoor.example"
DAN = "dan.okafor@northmoor.example"
ANIL = "anil.patel@family.example"
JO = "jo.morgan@family.example"
PRIYA = "priya.shah@northmoor.example"
RUTH = "ruth.ellis@sendvoices.example"

NOTE_URL = re.compile(r"/notes/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$")
# The server's clock is Europe/London (settings.TIME_ZONE): "yesterday" is London's yesterday.
LONDON = ZoneInfo("Europe/London")


# --- Helpers ---------------------------------------------------------------------------------


@functools.cache
def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Not `page.add_script_tag`: the app's Content-Security-Policy (rightly) blocks inline
        # scripts, and turning it off with `bypass_csp` would hide CSP breakage from these
        # tests. Code evaluated through the DevTools protocol is not subject to the page's CSP.
        page.evaluate(f"() => {{\n{_axe_source()}\n}}")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if failing:
        lines = [f"axe found {len(failing)} serious or critical violation(s) on {page.url}:"]
        for violation in failing:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"  {violation['helpUrl']}\n  targets: {targets}"
            )
        pytest.fail("\n".join(lines), pytrace=False)


def name_of(email: str) -> str:
    """Demo accounts are named after their email address: amira.khan@… is Amira Khan."""
    return " ".join(part.capitalize() for part in email.split("@")[0].split("."))


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form and check the person lands on their caseload."""
    page.goto(SIGN_IN_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Caseledger")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Caseload", exact=True, level=1)).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN_PATH)))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def caseload_tabs(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Caseloads").get_by_role("link")


def open_tab(page: Page, label: str) -> None:
    caseload_tabs(page).filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s+\d+\s*$")).click()
    expect(page.get_by_role("heading", name=label, exact=True, level=2)).to_be_visible()


def find_case_row(page: Page, child_name: str) -> Locator:
    """The caseload table row for a child, following "Next page" links until it appears."""
    while True:
        row = page.get_by_role("row").filter(
            has=page.get_by_role("link", name=child_name, exact=True)
        )
        if row.count():
            return row.first
        next_page = page.get_by_role("link", name="Next page")
        if not next_page.count():
            pytest.fail(f"{child_name} is not in the {page.url} caseload", pytrace=False)
        next_page.click()
        page.wait_for_load_state()


def error_summary(page: Page) -> Locator:
    return page.locator(".govuk-error-summary")


def success_banner(page: Page) -> Locator:
    return page.get_by_role("alert").filter(has_text="Success")


def unique(text: str) -> str:
    """A title no other test (nor a rerun against the same server) writes: the server's
    database is shared by every test in the session."""
    return f"{text} {uuid.uuid4().hex[:8]}"


def yesterday() -> date:
    return datetime.now(LONDON).date() - timedelta(days=1)


def fill_date(page: Page, legend: str, day: date, *, exact: bool = False) -> None:
    group = page.get_by_role("group", name=legend, exact=exact)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def choose(page: Page, question: str, answer: str) -> None:
    """Tick an answer to a radio question, found by its legend."""
    page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()


def open_case(page: Page, tab: str | None, child_name: str) -> None:
    """From the caseload, open a child's case by its reference link (the row's first link)."""
    page.goto("/")
    if tab:
        open_tab(page, tab)
    find_case_row(page, child_name).get_by_role("link").first.click()
    expect(page).to_have_url(CASE_URL)
    expect(page.get_by_role("main")).to_contain_text(child_name)


def csrf_token(page: Page) -> str:
    """The CSRF token from a form on the page (every page has the header's Sign out form)."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert token
    return token


def timeline_entry(page: Page, title: str) -> Locator:
    """A chronology entry, found by its heading (other entries may link to it by name)."""
    entry = page.locator(".moj-timeline__item").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    expect(entry).to_have_count(1)
    return entry


# --- Journeys --------------------------------------------------------------------------------


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[login.email for login in DEMO_LOGINS])
def test_each_persona_signs_in_and_lands_on_their_caseload(page: Page, login: DemoLogin) -> None:
    sign_in(page, login.email)

    expect(page).to_have_title(re.compile(r"^Caseload – "))
    expect(page.get_by_role("main")).to_contain_text(name_of(login.email))
    tabs = caseload_tabs(page)
    expect(tabs.first).to_be_visible()
    # Every tab shows how many cases it holds: "Allocated to me 5".
    for text in tabs.all_inner_texts():
        assert re.fullmatch(r"\S.*\s\d+", text.strip()), f"tab without a count: {text!r}"
    assert_accessible(page)


def test_wrong_password_shows_the_error_summary_and_keeps_the_email(page: Page) -> None:
    page.goto(SIGN_IN_PATH)
    page.get_by_label("Email address").fill(AMIRA)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = error_summary(page)
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Enter a correct email address and password")
    ).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_label("Email address")).to_have_value(AMIRA)
    expect(page.get_by_role("heading", name="Caseload", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_failed_sign_in_does_not_send_the_password_back(page: Page) -> None:
    page.goto(SIGN_IN_PATH)
    page.get_by_label("Email address").fill(AMIRA)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(error_summary(page)).to_be_visible()
    assert "not-the-password" not in page.content()
    expect(page.get_by_label("Password")).to_have_value("")


def test_manager_allocates_a_waiting_case_and_the_worker_sees_it(page: Page) -> None:
    sign_in(page, DAN)
    assert_accessible(page)
    open_tab(page, "Waiting for a worker")
    assert_accessible(page)
    find_case_row(page, "Ethan Brooks").get_by_role("link").first.click()

    expect(page).to_have_url(CASE_URL)
    expect(page.get_by_role("main")).to_contain_text("Ethan Brooks")
    assert_accessible(page)
    page.get_by_role("link", name="Allocate", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Allocate case")
    assert_accessible(page)
    page.get_by_label("Team").select_option(label="Children in Need Team North")
    page.get_by_label("Worker").select_option(label="Amira Khan (Children in Need Team North)")
    expect(page.get_by_label("Manager")).to_be_visible()
    page.get_by_role("button", name="Allocate").click()

    expect(page).to_have_url(CASE_URL)
    banner = page.get_by_role("alert").filter(has_text="Success")
    expect(banner).to_contain_text(re.compile(r"Case \S+ has been allocated"))
    expect(page.get_by_role("main")).to_contain_text("Amira Khan")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, AMIRA)
    expect(caseload_tabs(page).first).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Allocated to me", level=2)).to_be_visible()
    row = find_case_row(page, "Ethan Brooks")
    expect(row).to_contain_text("Amira Khan")
    assert_accessible(page)


def test_parent_cannot_open_another_familys_child_by_editing_the_url(
    new_page: Callable[[], Page],
) -> None:
    anil = new_page()
    sign_in(anil, ANIL)
    row = find_case_row(anil, "Aarav Patel")
    case_href = row.get_by_role("link").first.get_attribute("href")
    row.get_by_role("link", name="Aarav Patel", exact=True).click()
    expect(anil).to_have_url(CHILD_URL)
    expect(anil.get_by_role("heading", level=1)).to_contain_text("Aarav Patel")
    child_url = anil.url
    anil.goto(case_href or "")
    expect(anil).to_have_url(CASE_URL)
    case_url = anil.url
    expect(anil.get_by_role("main")).to_contain_text("Aarav Patel")

    jo = new_page()
    sign_in(jo, JO)
    for url in (child_url, case_url):
        response = jo.goto(url)
        assert response is not None
        assert response.status == 404, f"{url} answered {response.status} for Jo Morgan"
        expect(jo.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(jo).to_have_title(re.compile(r"^Page not found"))
        text = jo.locator("body").inner_text()
        assert "Aarav" not in text
        assert "Patel" not in text
        assert "Aarav" not in jo.title()
        assert_accessible(jo)


def test_add_a_child_errors_link_to_fields_and_keep_what_was_typed(page: Page) -> None:
    sign_in(page, AMIRA)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a child").click()
    expect(page.get_by_role("heading", name="Add a child", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Add a child"))
    assert_accessible(page)

    submit = page.get_by_role("button", name="Add child and open case")
    submit.click()

    summary = error_summary(page)
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Add a child"))
    first_names = page.get_by_label("Legal first and middle names")
    first_link = summary.get_by_role("link").first
    expect(first_link).to_have_text("Enter the child's legal first name")
    expect(first_link).to_have_attribute("href", f"#{first_names.get_attribute('id')}")
    assert_accessible(page)

    # Keyboard: GOV.UK Frontend focuses the summary on load; Tab reaches its first link and
    # Enter moves focus to the field it names.
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(first_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(first_names).to_be_focused()

    # Fill everything required except the last name: what was typed must come back.
    first_names.fill("Robin")
    page.get_by_label("Preferred first name (optional)").fill("Rob")
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("4")
    birth.get_by_label("Month").fill("7")
    birth.get_by_label("Year").fill("2017")
    page.get_by_role("group", name="Gender").get_by_label("Female", exact=True).check()
    page.get_by_role("group", name="Type of case").get_by_label("Child in need").check()
    opened = page.get_by_role("group", name="Date the case opened")
    opened.get_by_label("Day").fill("1")
    opened.get_by_label("Month").fill("2")
    opened.get_by_label("Year").fill("2025")
    page.get_by_label("Postcode (optional)").fill("NM1 1AA")
    submit.click()

    expect(page).to_have_title(re.compile(r"^Error: Add a child"))
    links = error_summary(page).get_by_role("link")
    expect(links).to_have_count(1)
    expect(links.first).to_have_text("Enter the child's legal last name")
    expect(links.first).to_have_attribute(
        "href", f"#{page.get_by_label('Legal last name').get_attribute('id')}"
    )
    expect(page.get_by_label("Legal first and middle names")).to_have_value("Robin")
    expect(page.get_by_label("Preferred first name (optional)")).to_have_value("Rob")
    birth = page.get_by_role("group", name="Date of birth")
    expect(birth.get_by_label("Day")).to_have_value("4")
    expect(birth.get_by_label("Month")).to_have_value("7")
    expect(birth.get_by_label("Year")).to_have_value("2017")
    expect(
        page.get_by_role("group", name="Gender").get_by_label("Female", exact=True)
    ).to_be_checked()
    expect(
        page.get_by_role("group", name="Type of case").get_by_label("Child in need")
    ).to_be_checked()
    opened = page.get_by_role("group", name="Date the case opened")
    expect(opened.get_by_label("Year")).to_have_value("2025")
    expect(page.get_by_label("Postcode (optional)")).to_have_value("NM1 1AA")
    expect(page.get_by_label("Legal last name")).to_have_value("")
    assert_accessible(page)


# --- The case record ledger ------------------------------------------------------------------


def test_worker_records_a_sibling_visit_that_cannot_be_edited_then_corrects_it(
    new_page: Callable[[], Page],
) -> None:
    """The ledger's acceptance journey: a visit to two siblings is written once, finalised,
    refused any edit (by link, by URL and by a forged POST), put right with a correction, and
    then read by the manager, who sees the correction and who has viewed the record."""
    title = unique("Home visit to Kayden and Lily-Mae")
    body = "Visited the family at home. Kayden showed me his school reading book."
    reason = "Lily-Mae was at her grandmother's for the afternoon"
    visit_day = yesterday()

    amira = new_page()
    sign_in(amira, AMIRA)
    open_case(amira, "Allocated to me", "Kayden James Walker")
    case_url = amira.url
    assert_accessible(amira)

    # Write the note. The visit questions appear once a visit type is chosen; both brothers
    # and sisters with open cases Amira works on are ticked already (recording rule 9).
    amira.get_by_role("link", name="Add a case note").click()
    expect(amira.get_by_role("heading", name="Add a case note", level=1)).to_be_visible()
    expect(amira).to_have_title(re.compile(r"^Add a case note"))
    visit_questions = amira.get_by_role("heading", name="If this was a visit to a child")
    expect(visit_questions).to_be_hidden()
    assert_accessible(amira)
    fill_date(amira, "Date of the contact", visit_day)
    amira.get_by_label("Time of the contact").fill("16:15")
    amira.get_by_label("Type of contact").select_option(label="Home visit")
    expect(visit_questions).to_be_visible()
    children = amira.get_by_role("group", name="Which children was this visit about?")
    expect(children.get_by_label("Kayden James Walker")).to_be_checked()
    expect(children.get_by_label("Lily-Mae Walker")).to_be_checked()
    choose(amira, "Was this a statutory visit?", "No")
    choose(amira, "Was the visit announced?", "Announced")
    choose(amira, "Was Kayden seen?", "Yes")
    choose(amira, "Was Kayden seen alone?", "Yes")
    choose(amira, "Was Lily-Mae seen?", "No")
    amira.get_by_label("If Lily-Mae was not seen, why not?").fill(reason)
    amira.get_by_label("Title").fill(title)
    amira.get_by_label("What happened").fill(body)
    assert_accessible(amira)
    amira.get_by_role("button", name="Continue to finalise").click()

    # Check your answers, then finalise.
    expect(
        amira.get_by_role("heading", name="Check your case note before finalising", level=1)
    ).to_be_visible()
    answers = amira.locator(".govuk-summary-list")
    expect(answers).to_contain_text(title)
    expect(answers).to_contain_text("Home visit")
    expect(answers).to_contain_text("Not statutory, announced")
    expect(
        answers.locator(".govuk-summary-list__row", has_text="Kayden James Walker")
    ).to_contain_text("Seen, alone")
    expect(answers.locator(".govuk-summary-list__row", has_text="Lily-Mae Walker")).to_contain_text(
        f"Not seen: {reason}"
    )
    expect(amira.get_by_text("Once you finalise this note you cannot change it")).to_be_visible()
    assert_accessible(amira)
    amira.get_by_role("button", name="Finalise note").click()

    expect(amira).to_have_url(NOTE_URL)
    expect(success_banner(amira)).to_contain_text(
        "Your note has been finalised on the records of Kayden James Walker, Lily-Mae Walker"
    )
    expect(amira.get_by_role("heading", name=title, level=1)).to_be_visible()
    main = amira.get_by_role("main")
    expect(main).to_contain_text(body)
    expect(main).to_contain_text("Yes, alone")
    also = amira.locator(".govuk-summary-list__row", has_text="Also recorded for")
    expect(also.get_by_role("link", name="Lily-Mae Walker")).to_be_visible()
    assert_accessible(amira)
    note_url = amira.url
    edit_url = f"{note_url}edit/"

    # A final note has no way to be edited: no link, a 404 for its edit address...
    expect(amira.get_by_role("link", name=re.compile(r"\bedit\b", re.IGNORECASE))).to_have_count(0)
    expect(amira.locator("a[href$='/edit/']")).to_have_count(0)
    token = csrf_token(amira)
    response = amira.goto(edit_url)
    assert response is not None
    assert response.status == 404, f"GET {edit_url} answered {response.status}"
    expect(amira.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(amira)

    # ...and a forged POST to it, with a valid CSRF token (a CSRF failure would be a 403), is
    # refused the same way; so are the draft's other actions, finalising again and deleting.
    for action_url in (edit_url, f"{note_url}finalise/", f"{note_url}delete/"):
        forged = amira.request.post(
            action_url,
            form={
                "csrfmiddlewaretoken": token,
                "action": "save",
                "title": "Forged title",
                "body": "Forged text",
            },
            headers={"Referer": note_url},
            max_redirects=0,
        )
        assert forged.status == 404, f"POST {action_url} answered {forged.status}"
    amira.goto(note_url)
    expect(amira.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(amira.get_by_role("main")).to_contain_text(body)
    expect(amira.get_by_role("main")).not_to_contain_text("Forged")

    # A mistake is put right by a correction, added from the note's page.
    amira.get_by_role("link", name="Add a correction").click()
    expect(amira.get_by_role("heading", name="Add a correction", level=1)).to_be_visible()
    expect(amira.get_by_role("main")).to_contain_text(title)
    assert_accessible(amira)
    choose(amira, "Why is a correction needed?", "Factual error")
    amira.get_by_label("What was wrong, or why was it missing?").fill(
        "It was Kayden's library book, not his school reading book."
    )
    amira.get_by_label("The correct information").fill(
        "Kayden showed me the library book he chose with his class."
    )
    amira.get_by_role("button", name="Add correction").click()
    expect(amira).to_have_url(NOTE_URL)
    expect(success_banner(amira)).to_contain_text("Your correction has been added to the record")
    expect(amira.get_by_role("heading", name=f"Correction to: {title}", level=1)).to_be_visible()
    corrects = amira.locator(".govuk-summary-list__row", has_text="Corrects")
    expect(corrects.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(corrects).to_contain_text("Factual error")
    assert_accessible(amira)

    # The same visit is on Lily-Mae's record, with her own answers.
    open_case(amira, "Allocated to me", "Lily-Mae Walker")
    amira.get_by_role("link", name="Lily-Mae Walker", exact=True).click()
    expect(amira).to_have_url(CHILD_URL)
    amira.get_by_role("link", name="View Lily-Mae Walker's chronology").click()
    expect(amira.get_by_role("heading", name="Chronology", level=1)).to_be_visible()
    lily_entry = timeline_entry(amira, title)
    expect(lily_entry).to_contain_text(f"Lily-Mae was not seen: {reason}.")
    expect(lily_entry).to_contain_text("Recorded for 2 brothers and sisters in one visit.")
    expect(lily_entry).not_to_contain_text("Corrected")
    assert_accessible(amira)
    lily_entry.get_by_role("link", name=title, exact=True).click()
    expect(amira.get_by_role("main")).to_contain_text(f"No: {reason}")
    assert_accessible(amira)

    # The manager reads Kayden's chronology and sees the correction beside the original.
    dan = new_page()
    sign_in(dan, DAN)
    open_case(dan, "My team's cases", "Kayden James Walker")
    assert dan.url == case_url
    dan.get_by_role("link", name="View the full chronology").click()
    expect(dan.get_by_role("heading", name="Chronology", level=1)).to_be_visible()
    original = timeline_entry(dan, title)
    expect(original.locator(".govuk-tag", has_text="Corrected")).to_be_visible()
    expect(original).to_contain_text("Kayden James was seen, alone.")
    correction = timeline_entry(dan, f"Correction to: {title}")
    expect(correction.locator(".govuk-tag", has_text="Correction")).to_be_visible()
    expect(correction).to_contain_text("library book he chose with his class")
    expect(correction.get_by_role("link", name=title, exact=True)).to_be_visible()
    assert_accessible(dan)

    # Who viewed this record: Amira's reads of the case and of her note are listed.
    dan.get_by_role("link", name="Back").click()
    expect(dan).to_have_url(case_url)
    dan.get_by_role("link", name="Who viewed this record").click()
    expect(dan.get_by_role("heading", name="Who viewed this record", level=1)).to_be_visible()
    views = dan.get_by_role("table", name="Views of this record")
    amira_rows = views.get_by_role("row").filter(has_text="Amira Khan")
    expect(amira_rows.filter(has_text="Viewed the case").first).to_be_visible()
    expect(
        amira_rows.filter(has_text="Viewed a case note")
        .filter(has=dan.get_by_role("link", name=title, exact=True))
        .first
    ).to_be_visible()
    dan_rows = views.get_by_role("row").filter(has_text="Dan Okafor")
    expect(dan_rows.filter(has_text="Viewed the chronology").first).to_be_visible()
    assert_accessible(dan)


def test_organisation_admin_reopens_a_placement_visit_and_both_versions_stay_readable(
    new_page: Callable[[], Page],
) -> None:
    """Recording rule 5: only an organisation admin reopens a reopenable visit note, and the
    amendment is a new version; the earlier one is kept, readable, and says it was amended."""
    note_title = "Placement visit to Maya"
    amended_body = unique("Maya is settled with her foster carers and loves her new school.")
    why = "Chloe asked for the school's name to be left out of the record"

    # The author, a social worker, can add a correction but cannot reopen her note.
    chloe = new_page()
    sign_in(chloe, "chloe.evans@northmoor.example")
    open_case(chloe, None, "Maya Thompson")
    chloe.get_by_role("link", name=note_title, exact=True).click()
    expect(chloe.get_by_role("heading", name=note_title, level=1)).to_be_visible()
    expect(chloe.get_by_role("link", name="Add a correction")).to_be_visible()
    expect(chloe.get_by_role("link", name="Reopen and amend")).to_have_count(0)
    amend_url = f"{chloe.url}amend/"
    response = chloe.goto(amend_url)
    assert response is not None
    assert response.status == 404, f"GET {amend_url} answered {response.status} for Chloe"

    priya = new_page()
    sign_in(priya, PRIYA)
    open_case(priya, "All open cases", "Maya Thompson")
    priya.get_by_role("link", name=note_title, exact=True).click()
    expect(priya.get_by_role("heading", name=note_title, level=1)).to_be_visible()
    assert_accessible(priya)
    before_url = priya.url
    priya.get_by_role("link", name="Reopen and amend").click()

    expect(
        priya.get_by_role("heading", name="Reopen and amend a visit note", level=1)
    ).to_be_visible()
    # The type of contact stays what it was (whether the box is locked: see the next test).
    contact_type = priya.get_by_label("Type of contact")
    expect(contact_type.locator("option:checked")).to_have_text("CLA placement visit")
    expect(priya.get_by_role("group", name="Was Maya seen?").get_by_label("Yes")).to_be_checked()
    expect(priya.get_by_label("Title")).to_have_value(note_title)
    assert_accessible(priya)

    # Without a reason the amendment is refused, and what was typed is kept.
    priya.get_by_label("What happened").fill(amended_body)
    priya.get_by_role("button", name="Save amended version").click()
    expect(
        error_summary(priya).get_by_role("link", name="Enter why the note is being reopened")
    ).to_be_visible()
    expect(priya).to_have_title(re.compile(r"^Error: "))
    expect(priya.get_by_label("What happened")).to_have_value(amended_body)
    assert_accessible(priya)

    priya.get_by_label("Why is this note being reopened?").fill(why)
    priya.get_by_role("button", name="Save amended version").click()
    expect(priya).to_have_url(NOTE_URL)
    expect(success_banner(priya)).to_contain_text(
        re.compile(r"The note has been amended \(version \d+\)")
    )
    main = priya.get_by_role("main")
    expect(main).to_contain_text(amended_body)
    expect(priya.locator(".govuk-summary-list__row", has_text="Amended")).to_contain_text(why)
    versions = priya.get_by_role("heading", name="Versions", level=2)
    expect(versions).to_be_visible()
    assert_accessible(priya)

    # The chronology lists the note once, as its latest version, marked as amended.
    priya.get_by_role("link", name="Back to the chronology").click()
    entry = timeline_entry(priya, note_title)
    expect(entry.locator(".govuk-tag", has_text="Amended")).to_be_visible()
    expect(entry).to_contain_text(amended_body)
    expect(entry).to_contain_text(why)
    assert_accessible(priya)

    # The earlier version is still there as it was, pointing to the latest.
    priya.goto(before_url)
    expect(priya.get_by_role("region", name="Important")).to_contain_text(
        "The note was amended later"
    )
    expect(priya.get_by_role("main")).not_to_contain_text(amended_body)
    expect(priya.get_by_role("link", name="Reopen and amend")).to_have_count(0)
    assert_accessible(priya)
    priya.get_by_role("link", name="read the latest version").click()
    expect(priya.get_by_role("main")).to_contain_text(amended_body)


def test_reopening_a_note_shows_its_type_of_contact_cannot_change(page: Page) -> None:
    sign_in(page, PRIYA)
    open_case(page, "All open cases", "Maya Thompson")
    page.get_by_role("link", name="Placement visit to Maya", exact=True).click()
    page.get_by_role("link", name="Reopen and amend").click()
    expect(
        page.get_by_role("heading", name="Reopen and amend a visit note", level=1)
    ).to_be_visible()
    contact_type = page.get_by_label("Type of contact")
    expect(contact_type.locator("option:checked")).to_have_text("CLA placement visit")
    expect(contact_type).to_be_disabled(timeout=1_000)
    expect(page.get_by_text("The type of contact of a reopened note cannot change")).to_be_visible()


def test_parent_saves_a_draft_then_finalises_a_tagged_note_on_her_familys_case(
    page: Page,
) -> None:
    """A family keeps its own record: Jo drafts a note on Freddie's case, comes back to it,
    tags it, finalises it, and finds it in the chronology by its topic."""
    title = unique("Call about Freddie's annual review")
    body = "- The school moved the annual review to next month\n- I asked for the draft EHCP"
    sign_in(page, JO)
    open_case(page, "Your family's cases", "Freddie Morgan")
    case_url = page.url
    page.get_by_role("link", name="Add a case note").click()
    expect(page.get_by_role("heading", name="Add a case note", level=1)).to_be_visible()
    # A family's types of contact are its own, and none of them is a visit to a child.
    contact_types = page.get_by_label("Type of contact").locator("option").all_inner_texts()
    assert "Note to self" in contact_types
    assert "CP plan visit" not in contact_types
    assert_accessible(page)

    # Half-written, saved as a draft.
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(case_url)
    expect(success_banner(page)).to_contain_text("Your draft has been saved")
    drafts = page.locator(".govuk-inset-text", has_text="Your drafts on this case")
    drafts.get_by_role("link", name=title, exact=True).click()

    # Back to it: continuing with what is missing lists each problem.
    expect(page.get_by_role("heading", name="Edit draft case note", level=1)).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(title)
    page.get_by_role("button", name="Continue to finalise").click()
    summary = error_summary(page)
    expect(summary.get_by_role("link", name="Enter the date of the contact")).to_be_visible()
    expect(summary.get_by_role("link", name="Select the type of contact")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter what happened")).to_be_visible()
    assert_accessible(page)

    fill_date(page, "Date of the contact", yesterday())
    page.get_by_label("Time of the contact").fill("9:30am")
    page.get_by_label("Type of contact").select_option(label="Phone call")
    expect(page.get_by_role("heading", name="If this was a visit")).to_be_hidden()
    page.get_by_label("What happened").fill(body)
    page.get_by_role("group", name="Topics (optional)").get_by_label("Annual Review").check()
    page.get_by_role("button", name="Continue to finalise").click()

    expect(
        page.get_by_role("heading", name="Check your case note before finalising", level=1)
    ).to_be_visible()
    answers = page.locator(".govuk-summary-list")
    expect(answers.locator(".govuk-summary-list__row", has_text="Topics")).to_contain_text(
        "Annual Review"
    )
    expect(answers.locator(".govuk-summary-list__row", has_text="Date and time")).to_contain_text(
        "09:30"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Finalise note").click()

    expect(page).to_have_url(NOTE_URL)
    expect(success_banner(page)).to_contain_text("Your note has been finalised")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    # The bulleted lines are shown as a list.
    expect(
        page.get_by_role("main").get_by_role("listitem").filter(has_text="draft EHCP")
    ).to_be_visible()
    assert_accessible(page)

    # In the chronology, filtered by topic.
    page.get_by_role("link", name="Back to the chronology").click()
    page.get_by_label("Topic").select_option(label="Annual Review")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    entry = timeline_entry(page, title)
    expect(entry.locator(".govuk-tag", has_text="Annual Review")).to_be_visible()
    assert_accessible(page)
    page.goto(case_url)
    expect(page.locator(".govuk-inset-text", has_text="Your drafts on this case")).to_have_count(0)


def test_parent_turns_a_promise_made_on_a_call_into_an_action_on_her_timeline_and_calendar(
    page: Page,
) -> None:
    """Issue 4: Jo logs a call in which the council promised a decision "by the end of next
    week". The date is worked out from the words for her to check; one click makes it a next
    action she follows up; it stands on the case's timeline and in her calendar feed."""
    contact = unique("Sam Okafor")
    promise = "A decision on whether to assess by the end of next week"
    call_day = yesterday()
    # The same rule the server applies, on England's bank holidays (the demo adds no others).
    due = date_from_words(promise, call_day, WorkingDays())
    assert due is not None
    sign_in(page, JO)
    open_case(page, "Your family's cases", "Freddie Morgan")
    case_url = page.url
    page.get_by_role("link", name="Record an interaction").first.click()
    expect(page.get_by_role("heading", name="Record an interaction", level=1)).to_be_visible()

    fill_date(page, "Date", call_day, exact=True)  # not "The date they gave"
    page.get_by_label("Time", exact=True).fill("10:15")
    choose(page, "How were you in contact?", "Phone call")
    page.get_by_label("Who were you in contact with?").fill(contact)
    page.get_by_label("Their role (optional)").fill("SEN caseworker")
    page.get_by_label("Their organisation (optional)").fill("Northmoor Council")
    page.get_by_label("Summary of what was said").fill(
        "Rang to ask where the request had got to. The panel meets on Thursday."
    )
    page.get_by_label("What did they promise? (optional)").fill(promise)
    choose(page, "Who made the promise?", "The local authority")
    page.get_by_role("button", name="Save interaction").click()

    # Nothing saved yet: the date worked out from her words, shown for her to check.
    banner = page.get_by_role("region", name="Check the date")
    expect(banner).to_contain_text(f"We worked out {due:%A} {due.day} {due:%B %Y}")
    given = page.get_by_role("group", name="The date they gave (optional)")
    expect(given.get_by_label("Day")).to_have_value(str(due.day))
    expect(given.get_by_label("Month")).to_have_value(str(due.month))
    expect(given.get_by_label("Year")).to_have_value(str(due.year))
    expect(page.get_by_label("What did they promise? (optional)")).to_have_value(promise)
    assert_accessible(page)
    page.get_by_role("button", name="Save interaction").click()

    expect(page).to_have_url(NOTE_URL)
    expect(success_banner(page)).to_contain_text("The interaction has been recorded")
    expect(page.get_by_role("main")).to_contain_text(f"by {due:%A} {due.day} {due:%B %Y}")
    assert_accessible(page)
    page.get_by_role("button", name="Turn this promise into a next action").click()

    description = f"{promise} (promised by {contact}, Northmoor Council)"
    expect(page.get_by_role("heading", name="Next actions", level=1)).to_be_visible()
    expect(success_banner(page)).to_contain_text("The promise is now a next action")
    row = page.get_by_role("row").filter(has_text=description)
    expect(row).to_contain_text("The local authority")
    expect(row).to_contain_text(f"{due.day} {due:%b %Y}")
    assert_accessible(page)

    # On the timeline: the call with its promise, and the date the case now waits on.
    page.goto(case_url)
    page.get_by_role("link", name="Timeline", exact=True).click()
    call = page.locator(".moj-timeline__item").filter(
        has=page.get_by_role("heading", name=f"Phone call with {contact}, Northmoor Council")
    )
    expect(call).to_contain_text(f"They promised: “{promise}”, by {due.day} {due:%B %Y}")
    waiting = page.locator(".moj-timeline__item").filter(
        has=page.get_by_role("heading", name=f"Promised: {description}")
    )
    expect(waiting).to_have_count(1)
    expect(waiting.locator("time")).to_have_attribute("datetime", due.isoformat())
    assert_accessible(page)

    # In her calendar app, through the secret address: the action on its day, no child's name.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My actions").click()
    expect(page.get_by_role("row").filter(has_text=description)).to_have_count(1)
    page.get_by_role("link", name="See your actions in your calendar app").click()
    page.get_by_role("button", name=re.compile(r"^Make (a new|an) address$")).click()
    address = page.locator(".govuk-panel .app-hash").inner_text().strip()
    assert_accessible(page)
    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    unfolded = feed.text().replace("\r\n ", "")  # RFC 5545 §3.1 line folding
    summary = description.replace(",", "\\,")  # escaped as RFC 5545 §3.3.11 says
    event = next(block for block in unfolded.split("BEGIN:VEVENT") if summary in block)
    assert f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in event
    assert "Freddie" not in unfolded


def test_worker_keeps_an_email_as_evidence_summarises_it_and_finds_the_note_by_its_words(
    page: Page,
) -> None:
    """Issue 5, rules 10 and 11: Amira does not paste an email into her note. From the draft
    she saves the .eml as a document (its sender and subject read from it), the note links to
    it and says what it means, and later she finds the note by a word from the email."""
    marker = f"Kestrel{uuid.uuid4().hex[:8]}"
    title = unique("Email from Sam about the strategy meeting")
    email = (
        "From: Sam Okafor <sam.okafor@northmoor.example>\r\n"
        "To: Amira Khan <amira.khan@northmoor.example>\r\n"
        f"Subject: Strategy meeting for Jayden in room {marker}\r\n"
        "Date: Thu, 26 Nov 2026 09:15:00 +0000\r\n"
        "Message-ID: <journey@northmoor.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello Amira,\r\nThe strategy meeting is booked for Thursday at 10am in room {marker}."
        "\r\nPolice and health will attend.\r\n"
    ).encode()
    sign_in(page, AMIRA)
    open_case(page, "Allocated to me", "Jayden Osei")
    page.get_by_role("link", name="Add a case note").click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Store the email as a document").click()

    expect(page.get_by_role("heading", name="Add the email as a document", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Category").select_option(label="Correspondence")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "strategy meeting.eml", "mimeType": "message/rfc822", "buffer": email}]
    )
    page.get_by_role("button", name="Store document").click()

    # Back in the draft, which now links to the stored email.
    expect(page.get_by_role("heading", name="Edit draft case note", level=1)).to_be_visible()
    expect(success_banner(page)).to_contain_text(
        "The email has been stored and your note links to it"
    )
    cited = page.get_by_role("group", name="Documents this note refers to (optional)")
    expect(cited.get_by_label(re.compile(f"room {marker}"))).to_be_checked()
    assert_accessible(page)
    fill_date(page, "Date of the contact", yesterday())
    page.get_by_label("Time of the contact").fill("09:30")
    page.get_by_label("Type of contact").select_option(label="Email")
    page.get_by_label("What happened").fill(
        "- Sam confirmed the strategy meeting is on Thursday at 10am\n"
        "- Police and health will attend; I will invite the school"
    )
    page.get_by_role("button", name="Continue to finalise").click()
    page.get_by_role("button", name="Finalise note").click()
    expect(page).to_have_url(NOTE_URL)
    note_url = page.url

    # The note links to the email; the email shows what was read from it, and who cites it.
    page.get_by_role("link", name=re.compile(f"room {marker}")).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("sam.okafor@northmoor.example")
    expect(main).to_contain_text(
        f"The strategy meeting is booked for Thursday at 10am in room {marker}"
    )
    expect(main.get_by_role("link", name=title)).to_be_visible()
    assert_accessible(page)

    # Later: she remembers only the room, and finds her note (and the email) by it.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Search").click()
    page.get_by_label("Search", exact=True).fill(marker.lower())
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator(".app-search-result")
    expect(results).to_have_count(2)
    expect(results.filter(has_text="Case note")).to_contain_text(title)
    expect(results.filter(has_text="Document").locator("mark").first).to_be_visible()
    assert_accessible(page)
    results.filter(has_text="Case note").get_by_role("link", name=title).click()
    expect(page).to_have_url(note_url)


def test_worker_pastes_an_email_is_stopped_stores_it_as_a_document_and_finalises_a_summary(
    page: Page,
) -> None:
    """Issue 6, rule 11: Amira pastes the school's email into her note. The recording
    assistant stops her at the check page; one click stores the email as a document and takes
    it out of the note, which links to it; she writes a summary and finalises that."""
    marker = f"Heron{uuid.uuid4().hex[:8]}"
    title = unique("Email from Jayden's school about attendance")
    pasted = (
        "Attendance update from the school.\n\n"
        "From: Rachel Green <rachel.green@school.example>\n"
        "Sent: 30 November 2026 09:14\n"
        "To: Amira Khan <amira.khan@northmoor.example>\n"
        f"Subject: Jayden attendance {marker}\n\n"
        "Hi Amira,\n"
        "Jayden was absent on Monday and Tuesday this week.\n"
        "Kind regards\n"
        "Rachel\n"
        "This email and any attachments are confidential and intended solely for the addressee."
    )
    sign_in(page, AMIRA)
    open_case(page, "Allocated to me", "Jayden Osei")
    page.get_by_role("link", name="Add a case note").click()
    fill_date(page, "Date of the contact", yesterday())
    page.get_by_label("Time of the contact").fill("09:30")
    page.get_by_label("Type of contact").select_option(label="Email")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened").fill(pasted)
    page.get_by_role("button", name="Continue to finalise").click()

    # Stopped: the assistant's summary links to the pasted passage, marked in the note.
    expect(
        page.get_by_role("heading", name="Check your case note before finalising", level=1)
    ).to_be_visible()
    findings = page.locator(".app-findings")
    expect(findings).to_contain_text("Pasted email")
    # The finding itself is marked "Must fix" (the card's introduction shows the tag too).
    pasted_finding = findings.get_by_role("listitem").filter(has_text="Pasted email").first
    expect(pasted_finding.locator(".govuk-tag", has_text="Must fix")).to_be_visible()
    findings.get_by_role("link", name=re.compile("^Pasted email")).first.click()
    expect(page.locator("mark.app-finding:focus, mark.app-finding:target").first).to_contain_text(
        "From: Rachel Green"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Finalise note").click()
    expect(error_summary(page)).to_contain_text(
        "Store the email as a document, or confirm the text is not an email"
    )
    assert_accessible(page)

    # One click: the email is a document on the case, and out of the note.
    page.get_by_role("button", name="Store the email as a document").click()
    expect(page.get_by_role("heading", name="Edit draft case note", level=1)).to_be_visible()
    expect(success_banner(page)).to_contain_text("The email has been stored as a document")
    body = page.get_by_label("What happened")
    expect(body).to_have_value("Attendance update from the school.")
    cited = page.get_by_role("group", name="Documents this note refers to (optional)")
    expect(cited.get_by_label(re.compile(f"attendance {marker}"))).to_be_checked()
    assert_accessible(page)
    body.fill(
        "Attendance update from the school (their email is stored with this note):\n"
        "- Jayden was absent on Monday and Tuesday this week\n"
        "- I will ask Abena about the absences at Thursday's visit"
    )
    page.get_by_role("button", name="Continue to finalise").click()
    expect(
        page.get_by_role("heading", name="Check your case note before finalising", level=1)
    ).to_be_visible()
    expect(page.get_by_text("This note looks like it has an email pasted into it")).to_have_count(0)
    page.get_by_role("button", name="Finalise note").click()
    expect(page).to_have_url(NOTE_URL)
    expect(success_banner(page)).to_contain_text("Your note has been finalised")
    expect(page.get_by_role("link", name=re.compile(f"attendance {marker}"))).to_be_visible()
    assert_accessible(page)


# --- Monitoring: compliance dashboards and case audits (issue 6) -----------------------------


def test_manager_sees_a_late_note_on_the_team_dashboard_and_its_trends_and_export(
    new_page: Callable[[], Page],
) -> None:
    """Rule 13: Amira writes up a phone call from three weeks ago, so it is finalised late.
    Dan, her team manager, finds it on his team's compliance dashboard with its working days,
    opens the note from there, reads the trends (a chart with its data as a table) and
    downloads the late notes as a CSV file."""
    title = unique("Call with Kayden's school nurse")
    call_day = datetime.now(LONDON).date() - timedelta(days=21)
    today = datetime.now(LONDON).date()
    # The same count the server makes, on England's bank holidays (the demo adds no others).
    working_days = WorkingDays().between(call_day, today)

    amira = new_page()
    sign_in(amira, AMIRA)
    open_case(amira, "Allocated to me", "Kayden James Walker")
    amira.get_by_role("link", name="Add a case note").click()
    fill_date(amira, "Date of the contact", call_day)  # a past date: the form takes it
    amira.get_by_label("Time of the contact").fill("14:00")
    amira.get_by_label("Type of contact").select_option(label="Phone call")
    amira.get_by_label("Title").fill(title)
    amira.get_by_label("What happened").fill(
        "The school nurse said Kayden's hearing test is booked for next month."
    )
    amira.get_by_role("button", name="Continue to finalise").click()
    expect(
        amira.get_by_role("heading", name="Check your case note before finalising", level=1)
    ).to_be_visible()
    amira.get_by_role("button", name="Finalise note").click()
    expect(amira).to_have_url(NOTE_URL)
    expect(success_banner(amira)).to_contain_text("Your note has been finalised")
    note_url = amira.url

    # Dan's Compliance is his team's dashboard.
    dan = new_page()
    sign_in(dan, DAN)
    dan.get_by_role("navigation", name="Menu").get_by_role("link", name="Compliance").click()
    expect(dan.get_by_role("heading", name="Compliance", level=1)).to_be_visible()
    expect(dan.get_by_role("main")).to_contain_text("Children in Need Team North")
    expect(dan).to_have_title(re.compile(r"^Compliance of Children in Need Team North"))
    assert_accessible(dan)
    dashboard_url = dan.url
    dan.get_by_role("link", name=re.compile(r"^Notes finalised late \(\d+\)$")).click()
    late_notes = dan.get_by_role("table").filter(
        has=dan.get_by_role("columnheader", name="Working days", exact=True)
    )
    row = late_notes.get_by_role("row").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_contain_text("Kayden James Walker")
    expect(row).to_contain_text("Amira Khan")
    expect(row).to_contain_text(f"{call_day.day} {call_day:%b %Y}")
    expect(row.get_by_role("cell").last).to_have_text(str(working_days))
    # Lewis Grant's note from the demo is there too: the table is the team's, not Amira's.
    expect(late_notes).to_contain_text("Call with Noah's head of year")

    # The CSV has every row, the new note included.
    export = dan.locator("a[href*='/compliance/export/late-notes.csv']")
    expect(export).to_have_text("Download every row as a spreadsheet (CSV)")
    with dan.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename.startswith("late-notes-team-")
    csv_text = Path(download.path()).read_text(encoding="utf-8-sig")
    line = next(line for line in csv_text.splitlines() if title in line)
    assert "Kayden James Walker" in line
    assert f",{working_days}," in line

    # The drill-down: the note itself.
    row.get_by_role("link", name=title, exact=True).click()
    expect(dan).to_have_url(note_url)
    expect(dan.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert_accessible(dan)

    # The trends: a chart, with the same numbers as a table.
    dan.goto(dashboard_url)
    dan.get_by_role("link", name="Trends over the last 12 months").click()
    expect(dan.get_by_role("heading", name="Compliance trends", level=1)).to_be_visible()
    late_chart = re.compile(r"^Percentage of notes finalised late per month, Children in Need")
    chart = dan.get_by_role("img", name=late_chart)
    expect(chart).to_be_visible()
    expect(
        chart.locator("rect").first
    ).to_be_attached()  # a bar, for the month of the call at least
    expect(dan.get_by_role("img", name=re.compile(r"^Notes finalised per month"))).to_be_visible()
    dan.get_by_text("Show the data as a table", exact=True).click()
    months = dan.get_by_role("table", name=re.compile(r", month by month$")).first
    expect(months).to_be_visible()
    month = months.get_by_role("row").filter(
        has=dan.get_by_role("rowheader", name=f"{call_day:%B %Y}", exact=True)
    )
    late_that_month = month.get_by_role("cell").nth(1).inner_text()
    assert int(late_that_month) >= 1, f"{call_day:%B %Y} shows {late_that_month} late notes"
    # Amira's own line, by worker.
    expect(
        dan.get_by_role("table", name="Notes finalised and late, by worker").get_by_role(
            "rowheader", name="Amira Khan", exact=True
        )
    ).to_be_visible()
    assert_accessible(dan)


def test_manager_audits_a_case_and_the_worker_marks_the_action_done(
    new_page: Callable[[], Page],
) -> None:
    """Dan audits Kayden's case, chosen by its reference: he grades every question on the
    checklist (one "Requires improvement", which needs a comment), adds an action for Amira
    and completes the audit; a missing summary is refused and what he chose is kept. Amira
    then finds the action from her actions, reads the audit and marks the action done."""
    action = unique("Record Kayden's wishes and feelings in his own words")
    comment = "Kayden's voice is missing from the last two visit notes."
    summary = "Visits are regular and well recorded; Kayden's own words need to come through."
    due = datetime.now(LONDON).date() + timedelta(days=14)

    dan = new_page()
    sign_in(dan, DAN)
    open_tab(dan, "My team's cases")
    reference = find_case_row(dan, "Kayden James Walker").get_by_role("link").first.inner_text()
    reference = reference.strip()
    assert reference

    # Sample the case by its reference.
    menu = dan.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Case audits").click()
    expect(dan.get_by_role("heading", name="Case audits", level=1)).to_be_visible()
    assert_accessible(dan)
    dan.get_by_role("link", name="Sample cases for audit").click()
    expect(dan.get_by_role("heading", name="Sample cases for audit", level=1)).to_be_visible()
    assert_accessible(dan)
    choose(dan, "How do you want to choose the cases?", "Cases I choose by their case reference")
    dan.get_by_label("If you choose the cases: their case references").fill(reference)
    dan.get_by_role("button", name="Start audits").click()
    expect(success_banner(dan)).to_contain_text("1 case sampled for audit")
    audit_row = (
        dan.get_by_role("row")
        .filter(has=dan.get_by_role("link", name=re.compile(f"^{re.escape(reference)} ")))
        .filter(has_text="In progress")
    )
    expect(audit_row).to_have_count(1)
    expect(audit_row).to_contain_text("Kayden James Walker")
    audit_row.get_by_role("link").first.click()

    expect(dan.get_by_role("heading", name="Case audit", level=1)).to_be_visible()
    expect(dan.get_by_role("main")).to_contain_text(re.compile(r"0 of \d+ questions graded"))
    questions = dan.get_by_text("Not graded yet", exact=True).count()
    assert questions >= 3, f"the checklist has {questions} questions"
    assert_accessible(dan)
    audit_url = dan.url

    # Grade every question; the first "Requires improvement", which needs a comment.
    dan.get_by_role("link", name="Grade the next question").click()
    first_question = dan.get_by_role("heading", level=1).inner_text()
    assert_accessible(dan)
    dan.get_by_label("Requires improvement", exact=True).check()
    dan.get_by_role("button", name="Save and continue").click()
    expect(
        error_summary(dan).get_by_role(
            "link", name="Enter a comment saying why this is graded requires improvement"
        )
    ).to_be_visible()
    expect(dan.get_by_role("heading", name=first_question, level=1)).to_be_visible()
    expect(dan.get_by_label("Requires improvement", exact=True)).to_be_checked()
    assert_accessible(dan)
    dan.get_by_label("Comment").fill(comment)
    dan.get_by_role("button", name="Save and continue").click()
    for _ in range(questions - 1):
        expect(dan.get_by_role("button", name="Save and continue")).to_be_visible()
        dan.get_by_label("Good", exact=True).check()
        dan.get_by_role("button", name="Save and continue").click()
    expect(dan).to_have_url(audit_url)
    expect(success_banner(dan)).to_contain_text("Every question has been graded")
    checklist = dan.locator(".govuk-summary-list__row", has_text=first_question)
    expect(checklist).to_contain_text("Requires improvement")
    expect(checklist).to_contain_text(comment)
    expect(dan.get_by_text("Not graded yet", exact=True)).to_have_count(0)
    assert_accessible(dan)

    # An action for Amira.
    dan.get_by_role("link", name="Add an action for the worker").click()
    expect(dan.get_by_role("heading", name="Add an action for the worker", level=1)).to_be_visible()
    assert_accessible(dan)
    dan.get_by_label("Who is it for?").select_option(label="Amira Khan")
    dan.get_by_label("What needs to be done?").fill(action)
    fill_date(dan, "Due on", due)
    dan.get_by_role("button", name="Add action").click()
    expect(success_banner(dan)).to_contain_text("The action for Amira Khan has been added")
    actions = dan.get_by_role("table", name="Actions from this audit")
    expect(actions.get_by_role("row").filter(has_text=action)).to_contain_text("Not yet")

    # Complete it: without a summary it is refused, and the grade chosen is kept.
    dan.get_by_role("link", name="Complete the audit").click()
    expect(dan.get_by_role("heading", name="Complete the audit", level=1)).to_be_visible()
    assert_accessible(dan)
    choose(dan, "Overall grade", "Requires improvement")
    dan.get_by_role("button", name="Complete the audit").click()
    summary_box = error_summary(dan)
    expect(summary_box.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary_box.get_by_role("link", name="Enter a summary of the audit")).to_be_visible()
    expect(dan).to_have_title(re.compile(r"^Error: Complete the audit"))
    expect(
        dan.get_by_role("group", name="Overall grade").get_by_label(
            "Requires improvement", exact=True
        )
    ).to_be_checked()
    assert_accessible(dan)
    dan.get_by_label("Summary").fill(summary)
    dan.get_by_role("button", name="Complete the audit").click()
    expect(dan).to_have_url(audit_url)
    expect(success_banner(dan)).to_contain_text("The audit has been completed")
    main = dan.get_by_role("main")
    expect(main).to_contain_text("Completed")
    expect(main).to_contain_text(summary)
    # Completed: nothing left to change.
    expect(dan.get_by_role("link", name="Add an action for the worker")).to_have_count(0)
    expect(dan.get_by_role("link", name=re.compile(r"^(Grade|Change) "))).to_have_count(0)
    assert_accessible(dan)

    # Amira: My actions, then the actions from case audits.
    amira = new_page()
    sign_in(amira, AMIRA)
    amira.get_by_role("navigation", name="Menu").get_by_role("link", name="My actions").click()
    amira.get_by_role("link", name="Actions from case audits").click()
    expect(amira.get_by_role("heading", name="Actions from case audits", level=1)).to_be_visible()
    to_do = amira.get_by_role("table", name="Actions to do, soonest first")
    row = to_do.get_by_role("row").filter(has_text=action)
    expect(row).to_contain_text(f"{due.day} {due:%b %Y}")
    assert_accessible(amira)
    audit_link = re.compile(f"^Kayden James Walker, {re.escape(reference)}")
    row.get_by_role("link", name=audit_link).click()

    # The audit as she reads it: grades, comment, summary, and her action.
    expect(amira).to_have_url(audit_url)
    expect(amira.get_by_role("main")).to_contain_text(summary)
    expect(amira.locator(".govuk-summary-list__row", has_text=first_question)).to_contain_text(
        comment
    )
    assert_accessible(amira)
    # Chromium names the link "Mark as done : …" (the hidden span is positioned, so a block).
    mark_done = re.compile(rf"^Mark as done\s*: {re.escape(action)}$")
    amira.get_by_role("table", name="Actions from this audit").get_by_role(
        "link", name=mark_done
    ).click()
    expect(amira.get_by_role("heading", name="Mark an action as done", level=1)).to_be_visible()
    expect(amira.get_by_role("main")).to_contain_text(action)
    assert_accessible(amira)
    amira.get_by_role("button", name="Mark as done").click()

    expect(amira.get_by_role("heading", name="Actions from case audits", level=1)).to_be_visible()
    expect(success_banner(amira)).to_contain_text("The action has been marked as done")
    expect(amira.get_by_role("table", name="Actions to do, soonest first")).not_to_contain_text(
        action
    )
    done = amira.get_by_role("table", name="Actions done, latest first")
    expect(done.get_by_role("row").filter(has_text=action)).to_have_count(1)
    assert_accessible(amira)


def test_parent_changes_the_ehcp_status_and_sees_its_deadlines_and_the_advocate_cannot(
    page: Page, new_page: Callable[[], Page]
) -> None:
    """Issue 7: Jo records that she requested an EHC needs assessment a few days ago. The
    change joins the status history and starts the 6-week and 20-week statutory deadlines,
    shown with the days left; Ruth, the family's advocate, sees the status but cannot change
    it."""
    today = datetime.now(LONDON).date()
    requested = today - timedelta(days=4)
    decision, final_plan = requested + timedelta(weeks=6), requested + timedelta(weeks=20)
    note = unique("Sent the request again with the new school report")
    sign_in(page, JO)
    open_case(page, "Your family's cases", "Freddie Morgan")
    case_url = page.url
    expect(page.get_by_role("heading", name="EHCP status", level=2)).to_be_visible()
    page.get_by_role("link", name="Change status").click()
    expect(page.get_by_role("heading", name="Change the EHCP status", level=1)).to_be_visible()
    assert_accessible(page)

    choose(page, "What is the new status?", "Assessment requested")
    fill_date(page, "When did it change?", requested)
    page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Change status").click()

    expect(page).to_have_url(case_url)
    banner = success_banner(page)
    expect(banner).to_contain_text("The status is now Assessment requested")
    expect(banner).to_contain_text(
        f"Decide whether to carry out an EHC needs assessment, and tell the family, by "
        f"{decision.day} {decision:%B %Y} (38 days left)"
    )
    expect(banner).to_contain_text(
        f"The final EHC plan is issued, by {final_plan.day} {final_plan:%B %Y} (136 days left)"
    )
    expect(page.locator(".govuk-tag").filter(has_text="Assessment requested")).to_be_visible()
    history = page.get_by_role("table", name="EHCP status history")
    latest = history.get_by_role("row").nth(1)
    expect(latest).to_contain_text(f"{requested.day} {requested:%b %Y}")
    expect(latest).to_contain_text("Assessment requested")
    expect(latest).to_contain_text(note)
    expect(latest).to_contain_text("Jo Morgan")
    deadlines = page.get_by_role("table", name="Next deadlines")
    expect(deadlines.get_by_role("row")).to_have_count(4)  # a header and the next three
    new_decision = deadlines.get_by_role("row").filter(has_text=f"{decision.day} {decision:%b %Y}")
    expect(new_decision).to_contain_text("Decide whether to carry out an EHC needs assessment")
    expect(new_decision).to_contain_text("SEND Regulations 2014, reg 5(1)")
    expect(new_decision).to_contain_text("38 days left")
    assert_accessible(page)

    # Every deadline is on the case's next actions, the 20-week one with its legal basis.
    page.get_by_role("link", name=re.compile(r"^Next actions")).click()
    row = page.get_by_role("row").filter(has_text=f"{final_plan.day} {final_plan:%b %Y}")
    expect(row).to_contain_text("The final EHC plan is issued")
    expect(row).to_contain_text("SEND Regulations 2014, reg 13(2)")
    assert_accessible(page)

    ruth = new_page()
    sign_in(ruth, RUTH)
    open_case(ruth, "Shared with you", "Freddie Morgan")
    expect(ruth.get_by_role("heading", name="EHCP status", level=2)).to_be_visible()
    expect(ruth.locator(".govuk-tag").filter(has_text="Assessment requested")).to_be_visible()
    expect(ruth.get_by_role("table", name="EHCP status history")).to_contain_text(note)
    expect(ruth.get_by_role("link", name="Change status")).to_have_count(0)
    assert_accessible(ruth)


# How the council's Word document heads each section of Freddie's plan.
PLAN_HEADINGS = {
    "A": "Views, interests and aspirations",
    "B": "Special educational needs",
    "C": "Health care needs",
    "D": "Social care needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health care provision",
    "H": "Social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information",
}


def test_parent_uploads_a_plan_corrects_and_confirms_its_sections_and_compares_versions(
    page: Page, new_page: Callable[[], Page]
) -> None:
    """Issue 7: Jo uploads the final plan as a Word document. Its sections A to K are read
    for her to check; she corrects one and confirms them, then compares the plan with the
    draft she typed in: the therapy time the council changed is marked. She dismisses one of
    the plan's flags with her reason. Ruth, the family's advocate, reads the version and the
    dismissal but may not add or confirm a version, nor decide a flag."""
    paragraphs = ["Northmoor Council", "Education, Health and Care Plan for Freddie Morgan"]
    for key, heading in PLAN_HEADINGS.items():
        paragraphs.append(f"Section {key}: {heading}")
        paragraphs += DEMO_DRAFT_PLAN[key].replace("20 minutes", "30 minutes").split("\n")
    issued = yesterday()
    added_advice = unique("Occupational therapy advice")
    sign_in(page, JO)
    open_case(page, "Your family's cases", "Freddie Morgan")
    page.get_by_role("link", name="Plans and versions").click()
    expect(page.get_by_role("heading", name="Plans and versions", level=1)).to_be_visible()
    page.get_by_role("link", name="Add a plan version").click()
    assert_accessible(page)
    choose(page, "What kind of plan is it?", "Final plan")
    fill_date(page, "When was it issued?", issued)
    page.get_by_label("Upload the plan (optional)").set_input_files(
        files=[
            {
                "name": "Freddie Morgan final EHC plan.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": samples.docx(*paragraphs),
            }
        ]
    )
    page.get_by_role("button", name="Continue").click()

    # The sections as read from the file, each in its own box, for her to check.
    expect(page.get_by_role("heading", name="Check the sections", level=1)).to_be_visible()
    expect(success_banner(page)).to_contain_text("The plan has been stored")
    expect(page.get_by_label("Section F")).to_have_value(
        DEMO_DRAFT_PLAN["F"].replace("20 minutes", "30 minutes")
    )
    expect(page.get_by_label("Section I")).to_have_value("Riverside Primary School (mainstream)")
    assert_accessible(page)
    section_k = page.get_by_label("Section K")
    section_k.fill(f"{DEMO_DRAFT_PLAN['K']} {added_advice}.")
    page.get_by_role("button", name="Confirm sections").click()

    heading = f"Final plan issued {issued.day} {issued:%B %Y}"
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(success_banner(page)).to_contain_text("The sections have been confirmed")
    expect(page.get_by_role("main")).to_contain_text(added_advice)
    expect(page.get_by_role("link", name="Check and confirm the sections")).to_have_count(0)
    # The Word document is kept with the case's documents.
    document = f"Final plan, issued {issued.day} {issued:%B %Y}"
    expect(page.get_by_role("link", name=document)).to_be_visible()
    version_url = page.url
    assert_accessible(page)

    # The analyser's flags on the confirmed plan: she dismisses one with her reason.
    expect(page.get_by_role("heading", name="Flags", level=2)).to_be_visible()
    timetable = page.locator(".govuk-summary-card").filter(has_text="Visual timetable")
    expect(timetable).to_contain_text("Code of Practice 9.69")
    expect(timetable.locator(".govuk-tag")).to_have_text("Open")
    timetable.get_by_role("link", name=re.compile(r"^Confirm or dismiss")).click()
    expect(page.get_by_role("heading", name="Confirm or dismiss the flag")).to_be_visible()
    choose(page, "Do you confirm or dismiss this flag?", "Dismiss")
    page.get_by_role("button", name="Save decision").click()
    expect(error_summary(page)).to_contain_text("Enter why you are dismissing the flag")
    reason = unique("The class teacher runs the timetable every morning")
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Save decision").click()
    expect(success_banner(page)).to_contain_text("The flag has been dismissed")
    expect(timetable.locator(".govuk-tag")).to_have_text("Dismissed")
    expect(timetable).to_contain_text(reason)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Compare with the draft plan issued")).click()
    expect(page.get_by_role("heading", name="Compare plan versions", level=1)).to_be_visible()
    section_f = page.locator("#section-F + .app-plan-text")
    expect(section_f.locator("del")).to_have_text("[removed: 20]")
    expect(section_f.locator("ins")).to_have_text("[added: 30]")
    expect(section_f.locator("ins .govuk-visually-hidden").first).to_have_text("[added: ")
    expect(page.locator("#section-K + .app-plan-text ins")).to_contain_text(added_advice)
    expect(page.get_by_role("link", name="F", exact=True)).to_be_visible()
    expect(page.locator("#section-A + p")).to_have_text("No change.")
    assert_accessible(page)

    ruth = new_page()
    sign_in(ruth, RUTH)
    ruth.goto(version_url)
    expect(ruth.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(ruth.get_by_role("main")).to_contain_text(added_advice)
    expect(ruth.get_by_role("link", name="Check and confirm the sections")).to_have_count(0)
    expect(ruth.locator(".govuk-summary-card").filter(has_text=reason)).to_contain_text("Dismissed")
    expect(ruth.get_by_role("link", name=re.compile(r"^Confirm or dismiss"))).to_have_count(0)
    ruth.get_by_role("link", name="Back to plans and versions").click()
    final_plan = ruth.get_by_role("link", name=re.compile(rf"^Final plan issued {issued.day} "))
    expect(final_plan).to_be_visible()
    expect(ruth.get_by_role("link", name="Add a plan version")).to_have_count(0)
    assert_accessible(ruth)


# A draft plan for a new child: Section F's therapy item commits to nothing measurable.
ISLA_DRAFT = {
    "A": "Isla likes drawing and wants to be a vet.",
    "B": "Isla has a severe speech sound disorder that makes her hard to understand.",
    "C": "None identified.",
    "D": "None identified.",
    "E": "By July 2027 Isla will be understood by unfamiliar adults in class.",
    "F": "Isla will receive speech and language therapy as required.",
    "G": "None identified.",
    "H": "None identified.",
    "I": "",
    "J": "None requested.",
    "K": "Speech and language therapy advice, March 2026.",
}
THERAPY = "Isla will receive speech and language therapy as required."


def test_parent_tracks_a_new_ehcp_case_annotates_the_draft_and_shares_it_with_an_advocate(
    page: Page, new_page: Callable[[], Page]
) -> None:
    """Issue 7: Jo adds Isla with an EHCP tracking case from the date she asked for an
    assessment and sees the 6-week and 20-week deadlines. She uploads the draft plan; the
    unquantified therapy item is flagged. She annotates Section F with the wording she wants
    and the therapist's report as evidence, and downloads the working document: the council's
    words struck through, hers in bold. She shares Isla's records with Ruth, who reads and
    comments but cannot change anything; when Jo revokes it, Ruth is shut out at once."""
    today = datetime.now(LONDON).date()
    requested = today - timedelta(days=10)
    decision, final_plan = requested + timedelta(weeks=6), requested + timedelta(weeks=20)
    first_name = unique("Isla").replace(" ", "")
    child = f"{first_name} Morgan"
    sign_in(page, JO)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Add a child").click()
    page.get_by_label("Legal first and middle names").fill(first_name)
    page.get_by_label("Legal last name").fill("Morgan")
    fill_date(page, "Date of birth", date(2018, 5, 14))
    page.get_by_role("group", name="Gender").get_by_label("Female", exact=True).check()
    page.get_by_role("group", name="Type of case").get_by_label("EHCP tracking").check()
    fill_date(page, "Date the case opened", requested)
    page.get_by_role("button", name=re.compile("^(Add child|Save|Continue)")).click()
    expect(page).to_have_url(CHILD_URL)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page).to_have_url(CASE_URL)
    case_url = page.url

    # The request starts the statutory clocks: 6 weeks to decide, 20 weeks to the final plan.
    page.get_by_role("link", name="Change status").click()
    choose(page, "What is the new status?", "Assessment requested")
    fill_date(page, "When did it change?", requested)
    page.get_by_role("button", name="Change status").click()
    deadlines = page.get_by_role("table", name="Next deadlines")
    expect(deadlines).to_contain_text(f"{decision.day} {decision:%b %Y}")
    expect(deadlines).to_contain_text(f"{final_plan.day} {final_plan:%b %Y}")
    expect(deadlines).to_contain_text(f"{(decision - today).days} days left")
    assert_accessible(page)

    # The therapist's report goes into the case's documents first.
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title (optional)").fill("Speech and language therapy report")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Upload a file").set_input_files(
        files=[
            {
                "name": "salt-report.txt",
                "mimeType": "text/plain",
                "buffer": b"Isla needs weekly speech and language therapy, 45 minutes, "
                b"delivered by a qualified speech and language therapist.",
            }
        ]
    )
    page.get_by_role("button", name="Store document").click()
    expect(success_banner(page)).to_be_visible()

    # The draft plan, uploaded as a Word document and confirmed as read.
    page.goto(case_url)
    page.get_by_role("link", name="Plans and versions").click()
    page.get_by_role("link", name="Add a plan version").click()
    choose(page, "What kind of plan is it?", "Draft plan")
    fill_date(page, "When was it issued?", today)
    paragraphs = [f"Education, Health and Care Plan for {child}"]
    for key, heading in PLAN_HEADINGS.items():
        paragraphs.append(f"Section {key}: {heading}")
        if ISLA_DRAFT[key]:
            paragraphs.append(ISLA_DRAFT[key])
    page.get_by_label("Upload the plan (optional)").set_input_files(
        files=[
            {
                "name": "draft plan.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": samples.docx(*paragraphs),
            }
        ]
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Section F")).to_have_value(THERAPY)
    page.get_by_role("button", name="Confirm sections").click()
    version_url = page.url

    # The therapy item is flagged: it says nothing of how often, how long or by whom.
    flag = page.locator(".govuk-summary-card").filter(
        has_text="Provision not specified or quantified"
    )
    expect(flag).to_contain_text(THERAPY)
    expect(flag).to_contain_text("Code of Practice 9.69")
    assert_accessible(page)
    flag.get_by_role("link", name=re.compile(r"^Annotate")).click()
    expect(page.get_by_role("heading", name="Annotate the plan", level=1)).to_be_visible()
    expect(page.get_by_label("Which section is it about?")).to_have_value("F")
    expect(page.get_by_label("The words in the plan it is about (optional)")).to_have_value(THERAPY)
    assert_accessible(page)
    page.get_by_role("button", name="Save annotation").click()
    expect(error_summary(page)).to_contain_text("Enter your concern")
    expect(page.get_by_label("The words in the plan it is about (optional)")).to_have_value(THERAPY)
    page.get_by_label("What is your concern?").fill(
        "“As required” is not specific: the therapist recommends weekly sessions."
    )
    proposed = (
        "Isla will receive 45 minutes of direct speech and language therapy each week, "
        "delivered by a qualified speech and language therapist."
    )
    page.get_by_label("The wording you propose instead (optional)").fill(proposed)
    page.get_by_role("group", name="Evidence (optional)").get_by_label(
        "Speech and language therapy report"
    ).check()
    choose(page, "Where does it stand?", "Raised with the council")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_role("heading", name="Annotation on section F", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(proposed)
    expect(page.get_by_role("link", name="Speech and language therapy report")).to_be_visible()
    assert_accessible(page)

    # The working document, in Word: her wording in bold after the council's struck through.
    page.goto(version_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the working document (Word)").click()
    path = download.value.path()
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
    struck = re.findall(r"<w:r>(?:(?!</w:r>).)*<w:strike/>(?:(?!</w:r>).)*</w:r>", body, re.S)
    bold = re.findall(r"<w:r>(?:(?!</w:r>).)*<w:b/>(?:(?!</w:r>).)*</w:r>", body, re.S)
    assert any("as required" in run for run in struck)
    assert any("45 minutes of direct speech" in run for run in bold)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the working document (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # Jo shares Isla's records (only Isla's) with Ruth, her advocate.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sharing").click()
    page.get_by_label("Advocate's email address").fill(RUTH)
    choose(page, "Which children?", child)
    page.get_by_role("button", name="Give access").click()
    shared = page.get_by_role("table", name="Advocates who can see your records")
    expect(shared.get_by_role("row").filter(has_text=child)).to_contain_text("Ruth Ellis")
    assert_accessible(page)

    # Ruth reads the plan and the annotation and comments, but changes nothing.
    ruth = new_page()
    sign_in(ruth, RUTH)
    open_case(ruth, "Shared with you", child)
    ruth.goto(version_url)
    ruth_flag = ruth.locator(".govuk-summary-card").filter(
        has_text="Provision not specified or quantified"
    )
    expect(ruth_flag.get_by_role("link", name=re.compile(r"^Confirm or dismiss"))).to_have_count(0)
    expect(ruth_flag.get_by_role("link", name=re.compile(r"^Annotate"))).to_have_count(0)
    expect(ruth.get_by_role("link", name="Annotate the plan")).to_have_count(0)
    ruth_flag.get_by_role("link", name=re.compile(r"^Comment")).click()
    advice = unique("Ask for the therapist's hours to be written in")
    ruth.get_by_label("Your comment").fill(advice)
    ruth.get_by_role("button", name="Add comment").click()
    expect(success_banner(ruth)).to_contain_text("Your comment has been added")
    expect(ruth_flag).to_contain_text(advice)
    assert_accessible(ruth)
    ruth.get_by_role("link", name=re.compile("as required")).first.click()
    expect(ruth.get_by_role("heading", name="Annotation on section F", level=1)).to_be_visible()
    annotation_url = ruth.url
    expect(ruth.get_by_role("link", name=re.compile("^Change the annotation"))).to_have_count(0)
    token = csrf_token(ruth)
    ruth.goto(annotation_url + "change/")
    expect(ruth.get_by_role("heading", name="Page not found")).to_be_visible()
    status = ruth.request.post(
        case_url + "ehcp-status/", form={"status": "closed", "csrfmiddlewaretoken": token}
    ).status
    assert status == 404

    # Jo sees what Ruth read, then revokes her access; Ruth is shut out at once.
    page.reload()
    expect(page.get_by_role("table", name=re.compile("viewed"))).to_contain_text("Ruth Ellis")
    row = shared.get_by_role("row").filter(has_text=child)
    row.get_by_role("link", name=re.compile("^Revoke")).click()
    page.get_by_role("button", name="Revoke access").click()
    expect(success_banner(page)).to_be_visible()
    assert_accessible(page)
    for url in (case_url, version_url, annotation_url):
        ruth.goto(url)
        expect(ruth.get_by_role("heading", name="Page not found")).to_be_visible()
