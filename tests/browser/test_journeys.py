"""Journeys through real pages in Chromium, against a real server with the demo data.

Each journey signs in through the sign-in form, moves by links and buttons as a person would,
and checks every page it visits with axe (serious and critical violations fail the test).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from caseledger.demo.data import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin

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
