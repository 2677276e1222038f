"""Every page of the service passes axe, in the GOV.UK shell as people see it.

The routes come from Django's URL resolver, so a new route is part of the sweep's checklist as
soon as it exists: the sweep fails until it visits a page of that route (or the route is listed
in `NOT_GET_PAGES` with its reason). Object pages are found the way people find them, by
following links from the caseload, child and case pages as demo personas (and, for issue 8,
from a school's menu: the SEN register, classes, provision map and reviews due, as its SENCO,
a teacher and a parent the school shares a pupil's records with), and each URL the browser
lands on is mapped back to its route with `django.urls.resolve`, which needs no database
(these tests must not use one: see conftest.py).

Each form page is also submitted once with its fields emptied, and the error state it shows is
checked too. Confirmation pages whose button changes data for good (revoke access, remove from
household, finalise or delete a draft, mark a case audit's action done, take a pupil off the
SEN register, end a parent's access to a pupil's records) are only opened, never
submitted; so the demo's audit of Noah Walker's case stays in progress, and its completed audit
of Jayden Osei's case keeps Amira Khan's action to do. Nothing here changes
the demo data other tests rely on: every submission is an empty one that the server refuses,
except that the sweep writes one case note of its own (a phone call with a unique title, on
Jayden Osei's case) and reports it as on the wrong child, to reach the pages only a final
note, or a reported one, has; one interaction of its own (a call with an undated promise,
on Freddie Morgan's family case), to reach the form that turns such a promise into an action;
and one family grant of its own (the Morgans share Poppy's records with Ruth Ellis), to reach
the page that revokes it, which it then does, so Ruth sees no more than the demo shares.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from playwright.sync_api import Locator, Page, expect

from .test_journeys import (
    AMIRA,
    DAN,
    JO,
    NOTE_URL,
    PRIYA,
    SIGN_IN_PATH,
    assert_accessible,
    caseload_tabs,
    choose,
    error_summary,
    fill_date,
    find_case_row,
    open_tab,
    sign_in,
    success_banner,
    unique,
    yesterday,
)

pytestmark = pytest.mark.browser

RUTH = "ruth.ellis@sendvoices.example"
HELEN = "helen.price@riverside.example"
TOM = "tom.barnes@riverside.example"

# Routes with no page to open with GET, and why. Every other route must be visited.
NOT_GET_PAGES = {
    # POST-only (SignOutView allows only POST): it is the header's "Sign out" button, which
    # signs out and redirects to the sign-in page, checked here in its own right.
    "accounts:sign-out": "POST-only: the header's Sign out button, not a page",
    # An iCalendar file for calendar apps, not an HTML page (tested in actions/tests).
    "actions:calendar-ics": "a text/calendar feed, not a page",
    # A stored document's file (a PDF, an image, an email): downloaded, or shown inside its
    # document page, which the sweep checks (tested in vault/tests).
    "vault:document-file": "a stored file, not a page",
    # Issue 6: the dashboards' and the audit list's "Download … (CSV)" links. The sweep checks
    # that the links it passes answer with a CSV (see `check_csv`); the journeys read one.
    "compliance:organisation-export": "a CSV download, not a page",
    "compliance:team-export": "a CSV download, not a page",
    "case_audits:audit-export": "a CSV download, not a page",
    # Issue 7: the working document is a Word or PDF file, downloaded (tested in
    # ehcp/tests/test_annotation_views.py and read in the journeys).
    "ehcp:working-document": "a Word or PDF download, not a page",
    # Issue 8: the SEN register's "Download … (CSV)" link (checked with `check_csv`; its
    # content is tested in sen/tests/test_views.py).
    "sen:register-export": "a CSV download, not a page",
    "provision:intervention-export": "a CSV download, not a page",
    "provision:pupil-export": "a CSV download, not a page",
    # Issue 8: the passport's and the support plan summary's printable pages are PDF files,
    # and the provision map's and its reports' "Download … (CSV)" links are CSVs: the sweep
    # checks that the links it passes answer with a file of that type (see `check_file`);
    # their content is tested in passports/tests, support_plans/tests and provision/tests.
    "passports:passport-pdf": "a PDF download, not a page",
    "support_plans:summary-pdf": "a PDF download, not a page",
    "provision:map-export": "a CSV download, not a page",
    "provision:reports-export": "a CSV download, not a page",
    # A passport's photo is an image, shown inside the passport page the sweep checks (the
    # demo's passport has none; served only through the access check, tested in
    # passports/tests).
    "passports:photo": "an image file, not a page",
}
# Confirmation pages whose button changes data for good: opened and checked, never submitted.
CONFIRM_ONLY = {
    "cases:grant-revoke",
    "people:household-leave",
    "ledger:note-finalise",  # "Finalise note" makes the draft a record for good
    "ledger:note-discard",  # "Delete draft"
    "case_audits:audit-action-done",  # "Mark as done" records it for good
    # Issue 7: "Revoke access" ends a family's grant for good (the sweep revokes its own grant
    # by clicking the button itself, after the page is checked).
    "cases:sharing-revoke",
    # Issue 8: "Remove from the register" takes a pupil off the SEN register.
    "sen:entry-remove",
    # "Revoke access" ends a parent's access to a pupil's SEN records at once.
    "sen:parent-revoke",
}
# Pages whose form only filters what they show (GET): an empty filter is no error, so their
# error state is checked with a filter that is wrong instead (see `check_filter_error`).
FILTER_ONLY = {
    "ledger:case-chronology",
    "ledger:child-chronology",
    # Issue 6: the compliance dashboards' period (from and to dates).
    "compliance:organisation",
    "compliance:organisation-section",
    "compliance:team",
    "compliance:trends",
    "compliance:team-trends",
    # The case audits' filters are two selects (team, status): nothing a person chooses can
    # be wrong, so the list has no error state to check.
    "case_audits:audit-list",
    # Issue 8: the SEN register's filters and order are selects: nothing can be wrong.
    "sen:register",
    # The provision map, its reports and an intervention's page show one academic year (a
    # select); the intervention library filters by area, wave and whether in use (selects).
    "provision:map",
    "provision:reports",
    "provision:intervention",
    "provision:interventions",
}
# Pages whose main form is not the first form on the page: the CSS selector of the form the
# empty submission is made with.
MAIN_FORMS = {
    # Adding a measure scale offers the scales most schools use as one-click buttons (each
    # its own form, above the form for a scale of the school's own): a click adds the scale.
    "provision:scale-add": "form:not(:has(input[name=preset]))",
    # A class's form: the only form on its page.
    "sen:class-add": "form[method=post]",
    "sen:class-change": "form[method=post]",
}
# A date that does not exist, for the filters' error state.
BAD_FROM_DATE = "date_from-day=31&date_from-month=2&date_from-year=2025"
# Not to be touched: test_journeys.py allocates this child's waiting case to Amira Khan.
HANDS_OFF_CHILD = "Ethan Brooks"


def route_names() -> set[str]:
    """Every named route in the URL configuration, with its namespaces (`cases:case-detail`)."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from walk(pattern.url_patterns, namespace)
            else:
                # An unnamed route could never be matched to a visit: make it fail loudly.
                yield f"{prefix}{pattern.name or f'<unnamed {pattern.pattern}>'}"

    return set(walk(get_resolver().url_patterns, ""))


@dataclass
class Sweep:
    """What the sweep has seen: pages per route, error states, and axe's findings."""

    visits: dict[str, list[str]] = field(default_factory=dict)
    error_states: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    submitted: set[str] = field(default_factory=set)
    pages_checked: int = 0

    def check(self, page: Page, state: str) -> None:
        """Run axe; keep going after a finding so one run reports every failing page."""
        self.pages_checked += 1
        try:
            assert_accessible(page)
        except pytest.fail.Exception as failure:
            self.violations.append(f"[{state}] {failure}")

    def route_of(self, page: Page) -> str:
        path = urlsplit(page.url).path
        return resolve(path).view_name

    def open(self, page: Page, href: str | None, who: str, *, submit: bool = True) -> str:
        """Open a link's target as `who`, check it, and (once per route) its empty-form error."""
        assert href, f"a link had no href (on {page.url})"
        response = page.goto(href)
        assert response is not None
        assert response.status == 200, f"{href} answered {response.status} for {who}"
        return self.here(page, who, submit=submit)

    def here(self, page: Page, who: str, *, submit: bool = True) -> str:
        """Check the page the browser is on now, and record which route it is."""
        page.wait_for_load_state()
        route = self.route_of(page)
        self.visits.setdefault(route, []).append(f"{page.url} ({who})")
        self.check(page, f"{route} as {who}: {page.url}")
        if (
            submit
            and route not in CONFIRM_ONLY
            and route not in FILTER_ONLY
            and route not in self.submitted
        ):
            self.submit_empty(page, route, who)
        return route

    def submit_empty(self, page: Page, route: str, who: str) -> None:
        form = (
            page.get_by_role("main")
            .locator(MAIN_FORMS.get(route, "form"))
            .filter(has=page.locator("button.govuk-button[type=submit]"))
        )
        if not form.count():
            return  # Not a form page.
        self.submitted.add(route)
        url = page.url
        empty_fields(form)
        # The first button is the page's main action. A case note form has two: "Continue to
        # finalise" and "Save draft"; an empty note is refused by either. A class's form also
        # has "Show pupils" (name=filter), which shows one year group's pupils without saving.
        button = form.locator("button.govuk-button[type=submit]:not([name=filter])").first
        expect(button).to_be_visible()
        with page.expect_navigation():
            button.click()
        page.wait_for_load_state()
        # An empty form must be refused on the same page, with the error summary: a form that
        # accepted it would have changed the demo data, which other tests rely on.
        assert urlsplit(page.url).path == urlsplit(url).path, (
            f"submitting {route} empty as {who} went on to {page.url}"
        )
        expect(error_summary(page)).to_be_visible()
        self.error_states.append(f"{route} as {who}")
        self.check(page, f"{route} error state as {who}: {page.url}")


def empty_fields(form: Locator) -> None:
    """Clear what a form shows before submitting it: text boxes emptied, selects unchosen.

    Fields a person cannot reach are left alone: questions the page hides (a case note's
    visit questions, until a visit type is chosen) and fields it locks."""
    boxes = form.locator(
        "input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
        ":not([type=submit]):not([type=button]):not([type=file]), textarea"
    )
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if box.is_visible() and box.is_editable():
            box.fill("")
    selects = form.locator("select")
    for index in range(selects.count()):
        select = selects.nth(index)
        if (
            select.is_visible()
            and select.is_enabled()
            and select.locator("option[value='']").count()
        ):
            select.select_option(value="")


def href_of(scope: Page | Locator, name: str | re.Pattern[str]) -> str | None:
    link = scope.get_by_role("link", name=name, exact=isinstance(name, str))
    expect(link.first).to_be_visible()
    return link.first.get_attribute("href")


def tab_hrefs(page: Page) -> list[str]:
    tabs = caseload_tabs(page)
    expect(tabs.first).to_be_visible()
    return [href for href in (tab.get_attribute("href") for tab in tabs.all()) if href]


def visit_caseload(sweep: Sweep, page: Page, who: str) -> None:
    """The caseload as it lands after sign-in, then every one of its tabs."""
    sweep.here(page, who)
    for href in tab_hrefs(page):
        sweep.open(page, href, who)


def case_and_child_links(page: Page, tab: str, child_name: str) -> tuple[str, str]:
    """(case href, child href) from a caseload row, as the person would click them."""
    assert child_name != HANDS_OFF_CHILD
    page.goto("/")
    open_tab(page, tab)
    row = find_case_row(page, child_name)
    case_href = row.get_by_role("link").first.get_attribute("href")
    child_href = row.get_by_role("link", name=child_name, exact=True).get_attribute("href")
    assert case_href
    assert child_href
    return case_href, child_href


def check_filter_error(sweep: Sweep, page: Page, who: str) -> None:
    """The filtered page the browser is on (a chronology, a compliance dashboard), filtered
    from a date that does not exist: the filters' error summary (the rest of the filters
    still apply, or the usual period stands in) must pass axe too."""
    path = urlsplit(page.url).path
    response = page.goto(f"{path}?{BAD_FROM_DATE}")
    assert response is not None
    assert response.status == 400, f"a bad filter on {path} answered {response.status}"
    expect(error_summary(page)).to_be_visible()
    route = sweep.route_of(page)
    sweep.error_states.append(f"{route} as {who}")
    sweep.check(page, f"{route} error state as {who}: {page.url}")


def visit_chronology(sweep: Sweep, page: Page, href: str | None, who: str) -> None:
    """A chronology, its error state and its print view."""
    sweep.open(page, href, who)
    print_href = href_of(page, "Print this chronology")
    check_filter_error(sweep, page, who)
    sweep.open(page, print_href, who)


# --- Personas ------------------------------------------------------------------------------


def sweep_as_organisation_admin(sweep: Sweep, page: Page) -> None:
    """Priya Shah sees every Northmoor case, so she reaches every kind of page there is."""
    who = "Priya Shah (organisation admin)"
    sign_in(page, PRIYA)
    visit_caseload(sweep, page, who)
    menu = page.get_by_role("navigation", name="Menu")
    sweep.open(page, href_of(menu, "Add a child"), who)

    # A child with a household, adults and professionals: every child-record page.
    _, child_href = case_and_child_links(page, "All open cases", "Kayden James Walker")
    sweep.open(page, child_href, who)
    adults = page.get_by_role("table", name="Adults around the child")
    professionals = page.get_by_role("table", name="Professionals involved")
    links = [
        href_of(page, "Change the child's details"),
        href_of(page, "Add an adult"),
        href_of(adults, re.compile(r"^Change ")),
        href_of(page, "Add a professional"),
        href_of(professionals, re.compile(r"^Change ")),
        href_of(page, "Open another case"),
        href_of(page, "Remove from this household"),
        href_of(page, "Link a brother or sister"),
    ]
    for href in links:
        sweep.open(page, href, who)

    # The one closed case in the demo (Ruby Clarke's) is on no caseload, which lists open cases
    # only; Priya finds the child in the "Link a brother or sister" list of Northmoor children
    # (the page the loop above ended on) and goes to her record from there.
    assert sweep.route_of(page) == "people:household-link"
    ruby = page.get_by_label("Brother or sister").locator("option", has_text="Ruby Clarke")
    ruby_id = ruby.get_attribute("value")
    assert ruby_id
    sweep.open(page, reverse("people:child-detail", kwargs={"child_id": ruby_id}), who)
    cases = page.get_by_role("table", name="Cases you can see")
    sweep.open(page, href_of(cases, re.compile(r"\S")), who)
    expect(page.get_by_role("main")).to_contain_text("Closed")
    sweep.open(page, href_of(page, "Reopen case"), who)

    # An allocated case shared with a parent: allocation, closing and sharing pages.
    case_href, _ = case_and_child_links(page, "All open cases", "Freddie Morgan")
    sweep.open(page, case_href, who)
    grants = page.get_by_role("table", name="Access grants")
    links = [
        href_of(page, re.compile(r"^(Allocate|Reallocate)$")),
        href_of(page, "Deallocate"),
        href_of(page, "Close case"),
        href_of(page, "Share with a family member or advocate"),
        href_of(grants, re.compile(r"^Revoke access for ")),
    ]
    for href in links:
        sweep.open(page, href, who)


def sweep_the_recording_settings(sweep: Sweep, page: Page) -> None:
    """Priya Shah's recording settings, from the menu: the list, and each form (each refused
    empty, so the demo's types of contact, topics and limit stay as they are)."""
    who = "Priya Shah (organisation admin)"
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Settings"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Recording settings")
    types = page.get_by_role("table", name="Types of contact")
    topics = page.get_by_role("table", name="Topics")
    links = [
        href_of(page, "Add a type of contact"),
        href_of(types, "Change Home visit"),
        # The demo has finalised CP plan visit notes: its visit questions are shown locked.
        href_of(types, "Change CP plan visit"),
        href_of(page, "Add a topic"),
        href_of(topics, re.compile(r"^Change ")),
        href_of(page, "Change the recording limit"),
        # Issue 6: the recording assistant's checks, glossary and word list.
        href_of(page, "Change the checks that run"),
        # Read-only: the bank holidays (and one-off holidays) every deadline skips.
        href_of(page, "See the bank holidays working days skip"),
        href_of(page, "Add a document category"),
        href_of(page.get_by_role("table", name="Document categories"), re.compile(r"^Change ")),
    ]
    for href in links:
        sweep.open(page, href, who)

    # Issue 6: the case audit checklist, and its forms (each refused empty).
    page.goto(reverse("ledger:settings"))
    intervals = href_of(page, "How often children must be visited")
    sweep.open(page, href_of(page, "The case audit checklist"), who)
    questions = page.get_by_role("table", name="Questions")
    links = [href_of(page, "Add a question"), href_of(questions, re.compile(r"^Change "))]
    for href in links:
        sweep.open(page, href, who)
    # How often children must be visited: every box must be answered (0: not monitored), so
    # the form sent empty is refused and the demo's intervals stay as they are.
    sweep.open(page, intervals, who)


def check_csv(page: Page, href: str | None) -> None:
    """A "Download … (CSV)" link answers with a CSV file, in the signed-in session."""
    check_file(page, href, "text/csv")


def check_file(page: Page, href: str | None, content_type: str) -> None:
    """A download link (a CSV, a PDF) answers with a file of its type, in the signed-in
    session."""
    assert href, f"a {content_type} link had no href (on {page.url})"
    response = page.request.get(href)
    assert response.status == 200, f"{href} answered {response.status}"
    assert response.headers["content-type"].startswith(content_type), (
        f"{href} answered {response.headers['content-type']}, not {content_type}"
    )


def sweep_compliance_as_organisation_admin(sweep: Sweep, page: Page) -> None:
    """Priya Shah's compliance dashboard, from the menu: the organisation's summary, each
    section across every team, a team's dashboard, and the trends; each period form's error
    state once."""
    who = "Priya Shah (organisation admin)"
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Compliance"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance")
    dashboard = page.url
    summary = page.get_by_role("table", name="Summary by team")
    team = href_of(summary, "Children in Need Team North")
    trends = href_of(page, "Trends over the last 12 months")
    all_teams = summary.get_by_role("row").filter(has_text="All teams").get_by_role("link")
    sections = [href for href in (link.get_attribute("href") for link in all_teams.all()) if href]
    assert len(sections) >= 5, f"the All teams row links {len(sections)} sections"
    check_filter_error(sweep, page, who)
    for href in sections:
        sweep.open(page, href, who)
    # The late notes across every team: the demo has one (Lewis Grant's), so a CSV link.
    page.goto(sections[0])
    check_csv(page, href_of(page, "Download every row as a spreadsheet (CSV)"))
    check_filter_error(sweep, page, who)
    sweep.open(page, trends, who)
    check_csv(page, href_of(page, "Download these figures as a spreadsheet (CSV)"))
    check_filter_error(sweep, page, who)
    sweep.open(page, team, who)
    expect(page.get_by_role("link", name="Back")).to_have_attribute(
        "href", urlsplit(dashboard).path
    )


def sweep_as_team_manager(sweep: Sweep, page: Page) -> None:
    """Dan Okafor, who manages Children in Need Team North: his team's compliance dashboard
    (the menu's Compliance takes him there) and its trends; then his case audits, the form to
    sample cases (refused empty) and the demo's audit of Noah Walker's case, in progress: its
    grade, action and complete forms, each refused empty, so it stays in progress."""
    who = "Dan Okafor (team manager)"
    sign_in(page, DAN)
    menu = page.get_by_role("navigation", name="Menu")
    route = sweep.open(page, href_of(menu, "Compliance"), who)
    assert route == "compliance:team", f"Compliance took Dan Okafor to {route}"
    late = page.get_by_role("table").filter(has_text="Call with Noah's head of year")
    expect(late).to_be_visible()
    check_csv(page, href_of(page, "Download every row as a spreadsheet (CSV)"))
    check_filter_error(sweep, page, who)
    sweep.open(page, href_of(page, "Trends over the last 12 months"), who)
    expect(page.get_by_role("img", name=re.compile(r"^Notes finalised per month"))).to_be_visible()
    check_filter_error(sweep, page, who)

    sweep.open(page, href_of(menu, "Case audits"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Case audits")
    audits = page.url
    check_csv(page, href_of(page, "Download this table as a CSV file"))
    sweep.open(page, href_of(page, "Sample cases for audit"), who)  # and refused empty
    page.goto(audits)
    # The filters work (a choice, not an error state: see FILTER_ONLY).
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    sweep.here(page, who)
    noah = page.get_by_role("row").filter(has_text="Noah").filter(has_text="In progress")
    expect(noah).to_have_count(1)
    sweep.open(page, noah.get_by_role("link").first.get_attribute("href"), who)
    expect(page.get_by_role("main")).to_contain_text("In progress")
    links = [
        href_of(page, "Grade the next question"),
        href_of(page, "Add an action for the worker"),
        href_of(page, "Complete the audit"),
    ]
    for href in links:
        sweep.open(page, href, who)  # and refused empty
    page.goto(audits)
    expect(noah).to_have_count(1)  # still in progress


def sweep_audit_actions_as_worker(sweep: Sweep, page: Page) -> None:
    """Amira Khan's actions from case audits, from My actions: the list, the demo's completed
    audit of Jayden Osei's case, and the confirmation that marks its action done (opened
    only: the demo's action stays to do)."""
    who = "Amira Khan (social worker)"
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "My actions"), who)
    sweep.open(page, href_of(page, "Actions from case audits"), who)
    row = page.get_by_role("row").filter(has_text="Record what Jayden says when he is seen alone")
    expect(row).to_have_count(1)
    done = href_of(row, re.compile(r"^Mark as done"))
    sweep.open(page, href_of(row, re.compile(r"^Jayden Osei")), who)
    expect(page.get_by_role("main")).to_contain_text("Completed")
    sweep.open(page, done, who)


def sweep_as_parent(sweep: Sweep, page: Page) -> None:
    """Jo Morgan: her own family's records, and the council's case shared with her."""
    who = "Jo Morgan (parent)"
    sign_in(page, JO)
    visit_caseload(sweep, page, who)
    # A family opens only one type of case, so its "Add a child" form is not the council's.
    sweep.submitted.discard("people:child-create")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Add a child"), who)

    case_href, child_href = case_and_child_links(page, "Your family's cases", "Freddie Morgan")
    sweep.open(page, child_href, who)
    sweep.open(page, case_href, who)
    # A family's own case record: its chronology, and who has viewed it (a family decides
    # who it shares with, so it sees that as managers do).
    links = [
        href_of(page, "View the full chronology"),
        href_of(page, "Who viewed this record"),
        href_of(page, re.compile(r"^Revoke access for ")),
        # Issue 7: the EHCP panel's form (refused empty, so the demo's status stays).
        href_of(page, "Change status"),
    ]
    for href in links:
        sweep.open(page, href, who)

    # Read-only: the council's case, shared with her.
    case_href, child_href = case_and_child_links(page, "Shared with you", "Freddie Morgan")
    sweep.open(page, case_href, who)
    expect(page.get_by_text("You have read-only access to this case.")).to_be_visible()
    sweep.open(page, child_href, who)


def sweep_as_social_worker(sweep: Sweep, page: Page) -> None:
    """Amira Khan: her own caseload, and a case she works on without allocating it."""
    who = "Amira Khan (social worker)"
    sign_in(page, AMIRA)
    visit_caseload(sweep, page, who)
    case_href, child_href = case_and_child_links(page, "Allocated to me", "Jayden Osei")
    sweep.open(page, case_href, who)
    expect(page.get_by_role("link", name="Reallocate")).to_have_count(0)
    sweep.open(page, child_href, who)


def sweep_as_advocate(sweep: Sweep, page: Page) -> None:
    """Ruth Ellis: a case a family shared with her, read-only."""
    who = "Ruth Ellis (advocate)"
    sign_in(page, RUTH)
    visit_caseload(sweep, page, who)
    case_href, child_href = case_and_child_links(page, "Shared with you", "Freddie Morgan")
    sweep.open(page, case_href, who)
    expect(page.get_by_role("link", name="Add a case note")).to_have_count(0)
    # The EHCP status is shown to her, read-only.
    expect(page.get_by_role("table", name="EHCP status history")).to_be_visible()
    expect(page.get_by_role("link", name="Change status")).to_have_count(0)
    # Issue 7: she reads the plan's versions but adds none.
    sweep.open(page, href_of(page, "Plans and versions"), who)
    expect(page.get_by_role("link", name="Add a plan version")).to_have_count(0)
    sweep.open(page, href_of(page, re.compile(r"^Draft plan")), who)
    expect(page.get_by_role("link", name="Check and confirm the sections")).to_have_count(0)
    # She sees the draft's flags and where each stands, but decides none.
    expect(page.get_by_role("heading", name="Flags", level=2)).to_be_visible()
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Open")
    expect(page.get_by_role("link", name=re.compile(r"^Confirm or dismiss"))).to_have_count(0)
    page.goto(case_href)
    sweep.open(page, href_of(page, "View the full chronology"), who)
    sweep.open(page, child_href, who)


def sweep_a_case_note(sweep: Sweep, page: Page) -> str:
    """Amira Khan writes a note on Jayden Osei's case through every page a draft has, then
    finalises it and opens its correction form. Returns the note's (unique) title."""
    who = "Amira Khan (social worker)"
    title = unique("Call from Jayden's school")
    case_href, _ = case_and_child_links(page, "Allocated to me", "Jayden Osei")
    sweep.open(page, case_href, who)
    new_note = href_of(page, "Add a case note")
    sweep.open(page, new_note, who)  # and refused empty

    page.goto(new_note or "")
    fill_date(page, "Date of the contact", yesterday())
    page.get_by_label("Time of the contact").fill("11:00")
    page.get_by_label("Type of contact").select_option(label="Phone call")
    page.get_by_label("Title").fill(title)
    # An unexplained abbreviation: the check page shows the recording assistant's findings.
    page.get_by_label("What happened").fill("The SENCO said Jayden's attendance is 96%.")
    page.get_by_role("button", name="Continue to finalise").click()
    expect(
        page.get_by_role("heading", name="Check your case note before finalising")
    ).to_be_visible()
    expect(page.locator(".app-findings")).to_contain_text("SENCO")
    finalise_url = page.url
    sweep.here(page, who)
    sweep.open(page, href_of(page, "Go back and edit"), who)  # and refused empty
    sweep.open(page, href_of(page, "Delete draft"), who)

    page.goto(finalise_url)
    page.get_by_role("button", name="Finalise note").click()
    expect(page).to_have_url(NOTE_URL)
    expect(success_banner(page)).to_contain_text("Your note has been finalised")
    sweep.here(page, who)
    sweep.open(page, href_of(page, "Add a correction"), who)
    return title


def sweep_next_actions(sweep: Sweep, page: Page) -> None:
    """Amira Khan adds a next action on Jayden Osei's case, then opens its change, done and
    cancel pages (each refused empty) and her own list of actions."""
    who = "Amira Khan (social worker)"
    description = unique("Ask the school for Jayden's attendance record")
    page.goto("/")
    case_href, _ = case_and_child_links(page, "Allocated to me", "Jayden Osei")
    page.goto(case_href)
    sweep.open(page, href_of(page, re.compile(r"^Next actions")), who)
    add = href_of(page, "Add a next action")
    sweep.open(page, add, who)  # and refused empty
    page.goto(add or "")
    page.get_by_label("What must happen").fill(description)
    fill_date(page, "Due date", yesterday() + timedelta(days=8))
    page.get_by_role("button", name="Add action").click()
    expect(success_banner(page)).to_contain_text("The action has been added")
    actions_url = page.url
    for name in ("Change", "Mark as done", "Cancel"):
        page.goto(actions_url)
        row = page.get_by_role("row").filter(has_text=description)
        sweep.open(page, href_of(row, re.compile(f"^{name} ")), who)  # and refused empty
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "My actions"), who)
    expect(page.get_by_role("main")).to_contain_text(description)
    sweep.open(page, href_of(page, "Overdue actions on all the cases you work on"), who)
    page.go_back()
    # Opened only: its button makes a new secret address (tested in actions/tests).
    sweep.open(page, href_of(page, "See your actions in your calendar app"), who, submit=False)
    # Reminders, and how they come: a settings form with two optional checkboxes, so there is
    # no empty state to refuse (saving is tested in actions/tests).
    sweep.open(
        page, href_of(page.get_by_role("navigation", name="Menu"), re.compile("^Reminders")), who
    )
    sweep.open(page, href_of(page, "Change how you get reminders"), who, submit=False)


def sweep_the_timeline_and_deadlines(sweep: Sweep, page: Page) -> None:
    """Jo Morgan on her family's EHCP tracking case: its timeline, the forms for an event and
    an interaction (each refused empty), a running statutory deadline's lawful-exception form
    (refused empty), and a promise with no date, which opens the next-action form (refused
    empty). The interaction with that promise is the one thing this step records."""
    who = "Jo Morgan (parent)"
    case_href, _ = case_and_child_links(page, "Your family's cases", "Freddie Morgan")
    page.goto(case_href)
    sweep.open(page, href_of(page, "Timeline"), who)
    expect(page.get_by_role("main")).to_contain_text("EHC needs assessment requested")
    event_form = href_of(page, "Add a timeline event")
    interaction_form = href_of(page, "Record an interaction")
    sweep.open(page, event_form, who)  # and refused empty
    sweep.open(page, interaction_form, who)  # and refused empty

    # The demo's request started the decision whether to assess; the law allows exceptions.
    page.goto(case_href)
    sweep.open(page, href_of(page, re.compile(r"^Next actions")), who)
    sweep.open(page, href_of(page, re.compile(r"^Record a lawful exception")), who)

    contact = unique("Sweep caseworker")
    page.goto(interaction_form or "")
    fill_date(page, "Date", yesterday(), exact=True)
    page.get_by_label("Time", exact=True).fill("10:00")
    choose(page, "How were you in contact?", "Phone call")
    page.get_by_label("Who were you in contact with?").fill(contact)
    page.get_by_label("Summary of what was said").fill("Written in the accessibility sweep.")
    page.get_by_label("What did they promise? (optional)").fill("They will send the minutes")
    choose(page, "Who made the promise?", "The local authority")
    page.get_by_role("button", name="Save interaction").click()
    expect(success_banner(page)).to_contain_text("The interaction has been recorded")
    sweep.open(page, href_of(page, "Turn this promise into a next action"), who)


def sweep_the_plan_versions(sweep: Sweep, page: Page) -> None:
    """Jo Morgan on her family's EHCP tracking case: its plans and versions, the form to add one
    (refused empty), the demo's confirmed draft with the form to confirm or dismiss its first
    flag (refused empty, so the flag stays open), and a version typed in whose sections form is
    refused empty (so it stays unconfirmed: the one thing this step records), compared with
    the draft."""
    who = "Jo Morgan (parent)"
    page.goto("/")
    case_href, _ = case_and_child_links(page, "Your family's cases", "Freddie Morgan")
    page.goto(case_href)
    plan = href_of(page, "Plans and versions")
    sweep.open(page, plan, who)
    add = href_of(page, "Add a plan version")
    draft = href_of(page, re.compile(r"^Draft plan"))
    sweep.open(page, draft, who)
    expect(page.get_by_role("main")).to_contain_text("Speech and language therapy")
    decide = href_of(page, re.compile(r"^Confirm or dismiss"))
    sweep.open(page, decide, who)  # and refused empty
    expect(page.get_by_text("Select whether you confirm or dismiss the flag").first).to_be_visible()
    page.goto(draft or "")
    key = (decide or "").rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator(f"#flag-{key} .govuk-tag")).to_have_text("Open")
    sweep.open(page, add, who)  # and refused empty
    choose(page, "What kind of plan is it?", "Amended plan")
    fill_date(page, "When was it issued?", yesterday())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the sections")).to_be_visible()
    sweep.here(page, who)  # and refused empty: nothing typed
    sweep.open(page, href_of(page.get_by_role("main"), "Cancel"), who)
    sweep.open(page, href_of(page, re.compile(r"^Compare with the draft plan issued")), who)
    sweep_the_plan_work(sweep, page, draft or "", case_href or "")


def sweep_the_plan_work(sweep: Sweep, page: Page, draft: str, case_href: str) -> None:
    """Jo Morgan works on the confirmed draft: the form to annotate it (refused empty, then an
    annotation on Section F, the one thing this step records), the annotation, its change
    form and its comment form (each refused empty); the comment form of a flag and of a note
    (refused empty); the provision with the needs it meets and the form to link them, and the
    form to choose the reports behind the plan (opened, not submitted: an empty choice is a
    valid one, that no report or need applies)."""
    who = "Jo Morgan (parent)"
    page.goto(draft)
    sweep.open(page, href_of(page, "Annotate the plan"), who)  # and refused empty
    page.get_by_label("Which section is it about?").select_option("F")
    page.get_by_label("What is your concern?").fill("The sweep's concern about section F.")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_role("heading", name="Annotation on section F", level=1)).to_be_visible()
    sweep.here(page, who)
    change = href_of(page, "Change the annotation or where it stands")
    comment = href_of(page, "Add a comment")
    sweep.open(page, change, who)  # and refused empty
    sweep.open(page, comment, who)  # and refused empty
    page.goto(draft)
    sweep.open(page, href_of(page, re.compile(r"^Comment")), who)  # and refused empty
    page.goto(draft)
    provision = href_of(page, "Provision and the needs it meets")
    reports = href_of(page, "Choose the professional reports")
    sweep.open(page, provision, who)
    sweep.open(page, href_of(page, re.compile(r"^Change the needs it meets")), who, submit=False)
    sweep.open(page, reports, who, submit=False)
    page.goto(case_href)
    sweep.open(page, href_of(page, "View the full chronology"), who)
    note = page.locator(".moj-timeline__item").filter(has=page.locator("a[href*='/notes/']"))
    sweep.open(page, note.first.locator("a[href*='/notes/']").first.get_attribute("href"), who)
    sweep.open(page, href_of(page, "Add a comment"), who)  # and refused empty


def sweep_the_vault_and_search(sweep: Sweep, page: Page) -> None:
    """Amira Khan's documents on Jayden Osei's case: the list, the form to add one (refused
    empty), the demo's email from school, and its change and new-version forms (each refused
    empty); then search, empty (refused) and with results."""
    who = "Amira Khan (social worker)"
    page.goto("/")
    case_href, _ = case_and_child_links(page, "Allocated to me", "Jayden Osei")
    page.goto(case_href)
    documents = href_of(page, "Documents")
    sweep.open(page, documents, who)
    email = href_of(page, "Jayden's attendance this half term")
    sweep.open(page, href_of(page, "Add a document"), who)  # and refused empty
    sweep.open(page, email, who)
    expect(page.get_by_role("main")).to_contain_text("r.patel@riverside-primary.example")
    links = [
        href_of(page, "Change the details"),
        href_of(page, "Add a new version"),
        href_of(page, "Attendance report.pdf"),  # the attachment: a PDF, previewed
    ]
    for href in links:
        sweep.open(page, href, who)  # the forms refused empty
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Search"), who)
    page.get_by_label("Search", exact=True).fill("attendance")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ results?$"))).to_be_visible()
    sweep.check(page, f"search:search with results as {who}: {page.url}")


def sweep_the_case_record(sweep: Sweep, page: Page, note_title: str) -> None:
    """Priya Shah reads the record as an auditor: chronologies, their print views, who viewed
    the case; she reports the sweep's own note as on the wrong child (so the move page has
    something to move) and opens the amend form of a reopenable visit note."""
    who = "Priya Shah (organisation admin)"
    case_href, child_href = case_and_child_links(page, "All open cases", "Jayden Osei")
    sweep.open(page, case_href, who)
    chronology = href_of(page, "View the full chronology")
    viewers = href_of(page, "Who viewed this record")
    visit_chronology(sweep, page, chronology, who)
    sweep.open(page, viewers, who)
    sweep.open(page, child_href, who)
    visit_chronology(sweep, page, href_of(page, re.compile(r"^View Jayden Osei's chronology")), who)

    page.goto(chronology or "")
    sweep.open(page, href_of(page.get_by_role("heading", name=note_title), note_title), who)
    sweep.open(page, href_of(page, "Report that this note is on the wrong child"), who)
    page.get_by_label("Which child should this note be on, and how do you know?").fill(
        "Written in the accessibility sweep; it is about no real child."
    )
    page.get_by_role("button", name="Report note").click()
    expect(page).to_have_url(NOTE_URL)
    expect(success_banner(page)).to_contain_text("The note has been reported")
    sweep.here(page, who)
    sweep.open(page, href_of(page, "Move to the right child"), who)

    # Rule 5: a CLA placement visit may be reopened; the case page links its latest version.
    case_href, _ = case_and_child_links(page, "All open cases", "Maya Thompson")
    sweep.open(page, case_href, who)
    sweep.open(page, href_of(page, "Placement visit to Maya"), who)
    sweep.open(page, href_of(page, "Reopen and amend"), who)


def sweep_the_sharing_page(sweep: Sweep, page: Page) -> None:
    """Jo Morgan's sharing page (issue 7): refused empty; who outside the family has viewed its
    records (Ruth Ellis, earlier in the sweep); she gives Ruth access to Poppy's records, opens
    the page to revoke it and revokes it, which the page then lists as access that has ended."""
    who = "Jo Morgan (parent)"
    page.goto("/")
    sharing = href_of(page.get_by_role("navigation", name="Menu"), "Sharing")
    sweep.open(page, sharing, who)  # and refused empty
    expect(page.get_by_role("heading", level=1)).to_have_text("Sharing your children's records")
    viewers = page.get_by_role("table", name="Who has viewed your records")
    expect(viewers).to_contain_text("Ruth Ellis")
    page.goto(reverse("cases:sharing"))
    page.get_by_label("Advocate's email address").fill(RUTH)
    choose(page, "Which children?", "Poppy Morgan")
    page.get_by_role("button", name="Give access").click()
    expect(success_banner(page)).to_contain_text("Ruth Ellis can now see Poppy Morgan's records")
    sweep.here(page, who)
    live = page.get_by_role("table", name="Advocates who can see your records")
    sweep.open(page, href_of(live, re.compile(r"^Revoke access for Ruth Ellis to Poppy")), who)
    page.get_by_role("button", name="Revoke access").click()
    expect(success_banner(page)).to_contain_text(
        "Ruth Ellis's access to Poppy Morgan's records has been revoked"
    )
    expect(page.get_by_role("table", name="Access that has ended")).to_contain_text("Poppy")
    sweep.here(page, who)


def sweep_the_sen_register(sweep: Sweep, page: Page) -> None:
    """Helen Price, the SENCO of Riverside Primary (issue 8): the SEN register from the menu,
    its CSV, the form to add a pupil (refused empty), a pupil's entry, the form to change it
    (refused empty) and the page to remove the pupil (opened, never submitted)."""
    who = "Helen Price (SENCO)"
    sign_in(page, HELEN)
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "SEN register"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("SEN register")
    register = page.url
    check_csv(page, href_of(page, "Download this register as a spreadsheet (CSV)"))
    entry = href_of(page.get_by_role("table"), "Isla Bennett")
    sweep.open(page, href_of(page, "Add a pupil to the register"), who)
    sweep.open(page, entry, who)
    links = [
        href_of(page, "Change provision, needs or plans"),
        href_of(page, "Remove from the register"),
    ]
    for href in links:
        sweep.open(page, href, who)
    page.goto(register)


def open_pupil(sweep: Sweep, page: Page, who: str, pupil: str) -> None:
    """A pupil's page, found as the SENCO finds it: the SEN register, the pupil's entry, and
    its link to the pupil's page."""
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu")
    page.goto(href_of(menu, "SEN register") or "")
    sweep.open(page, href_of(page.get_by_role("table"), pupil), who)
    sweep.open(page, href_of(page, f"{pupil}'s page"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text(pupil)


def sweep_the_classes(sweep: Sweep, page: Page) -> None:
    """Helen Price's classes, from the menu: the list, the form to add one (refused empty),
    Oak class and the form to change it (refused empty, so Tom Barnes keeps his class)."""
    who = "Helen Price (SENCO)"
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Classes"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Classes")
    main = page.get_by_role("main")
    links = [
        href_of(main, "Add a class"),
        href_of(main, "Change Oak class"),
        href_of(main, "Oak class"),
    ]
    for href in links:
        sweep.open(page, href, who)  # the forms refused empty
    expect(page.get_by_role("main")).to_contain_text("Tom Barnes")


def sweep_a_pupils_records(sweep: Sweep, page: Page) -> None:
    """Helen Price on Freddie Morgan's records: his page; the parents who can see them, with
    the form to give access (refused empty) and the page to revoke Jo Morgan's (opened,
    never submitted); his passport, its printable PDF, its version and the form for a new
    version (refused empty, so the demo's passport stays the only one); his support plan,
    its summary and PDF, and every form on it (each refused empty, so the cycle stays under
    way); and the provision he has had."""
    who = "Helen Price (SENCO)"
    open_pupil(sweep, page, who, "Freddie Morgan")
    pupil = page.url
    records = [
        href_of(page, "Pupil passport"),
        href_of(page, "SEN support plan (assess, plan, do, review)"),
        href_of(page, "Provision and its impact"),
    ]
    sweep.open(page, href_of(page, "Change who can see Freddie Morgan's records"), who)
    expect(page.get_by_role("main")).to_contain_text("Jo Morgan")
    sweep.open(page, href_of(page, "Revoke Jo Morgan's access"), who)
    page.goto(pupil)
    passport, plan, provision = records

    sweep.open(page, passport, who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pupil passport")
    check_file(page, href_of(page, "Download a printable page (PDF)"), "application/pdf")
    new_version = href_of(page, "Write a new version")
    # Every version, the current one too, is linked from the list of versions.
    sweep.open(page, href_of(page, re.compile(r"^Version \d+ \(current\)$")), who)
    sweep.open(page, new_version, who)  # and refused empty

    sweep.open(page, plan, who)
    expect(page.get_by_role("heading", level=1)).to_have_text("SEN support plan")
    check_file(page, href_of(page, "Download the summary (PDF)"), "application/pdf")
    links = [
        href_of(page, "Graduated approach summary"),
        href_of(page, "Record a meeting"),
        href_of(page, "Change who sees the plan"),
        href_of(page, "Change the assessment and plan"),
        href_of(page, "Add a target"),
        href_of(page, re.compile(r"^Change target ")),
        href_of(page, "Record the review"),
    ]
    for href in links:
        sweep.open(page, href, who)  # the forms refused empty
    page.goto(plan or "")
    expect(page.get_by_role("heading", name=re.compile(r"^Cycle 2, from "))).to_be_visible()

    sweep.open(page, provision, who)
    expect(page.get_by_role("main")).to_contain_text("Talk Boost KS2")
    check_csv(page, href_of(page, "Download this table (CSV)"))


def sweep_a_plan_to_start(sweep: Sweep, page: Page) -> None:
    """Helen Price on Leo Fraser's page: he has no support plan yet, so its page offers to
    start one, and the form to start it is refused empty; then the plans' reviews due."""
    who = "Helen Price (SENCO)"
    open_pupil(sweep, page, who, "Leo Fraser")
    sweep.open(page, href_of(page, "SEN support plan (assess, plan, do, review)"), who)
    sweep.open(page, href_of(page, "Start a support plan"), who)  # and refused empty
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Reviews due"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Support plan reviews due")


def sweep_the_provision_map(sweep: Sweep, page: Page) -> None:
    """Helen Price's provision map, from the menu: the map and its CSV, the school-wide
    reports and each report's CSV, the measure scales and the form to add one, the
    intervention library, the form to add an intervention, Talk Boost and the forms to change
    it and start a group; the Talk Boost group, and the forms to log a session, give a place,
    end the group, record Freddie's exit measure and end his place. Every form is refused
    empty, so the demo's map stays as it is."""
    who = "Helen Price (SENCO)"
    page.goto("/")
    sweep.open(page, href_of(page.get_by_role("navigation", name="Menu"), "Provision map"), who)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provision map")
    check_csv(page, href_of(page, "Download the provision map as a spreadsheet (CSV)"))
    nav = page.get_by_role("navigation", name="Provision map")
    reports = href_of(nav, "School-wide reports")
    scales = href_of(nav, "Measure scales")
    library = href_of(nav, "Intervention library")

    sweep.open(page, reports, who)
    downloads = page.get_by_role("link", name=re.compile(r"^Download ‘.+’ as a spreadsheet"))
    expect(downloads.first).to_be_visible()
    for href in [link.get_attribute("href") for link in downloads.all()]:
        check_csv(page, href)

    sweep.open(page, scales, who)
    sweep.open(page, href_of(page, "Add a scale"), who)  # and refused empty: see MAIN_FORMS

    sweep.open(page, library, who)
    add = href_of(page, "Add an intervention")
    talk_boost = href_of(page.get_by_role("table"), "Talk Boost KS2")
    sweep.open(page, add, who)  # and refused empty
    sweep.open(page, talk_boost, who)
    check_csv(page, href_of(page, "Download the pupils table (CSV)"))
    check_csv(page, href_of(page, "Download the sessions missed table (CSV)"))
    group = href_of(page, "Talk Boost, Oak class")
    links = [href_of(page, "Change the intervention"), href_of(page, "Start a group")]
    for href in links:
        sweep.open(page, href, who)  # and refused empty

    sweep.open(page, group, who)
    links = [
        href_of(page, "Record a session"),
        href_of(page, "Give a pupil a place"),
        href_of(page, "End the group"),
        href_of(page, "Change entry measure and target for Freddie Morgan"),
        href_of(page, "Exit measure for Freddie Morgan"),
        href_of(page, "End place of Freddie Morgan"),
    ]
    for href in links:
        sweep.open(page, href, who)  # each refused empty: every one needs a date
    page.goto(group or "")
    expect(page.get_by_role("link", name="End the group")).to_be_visible()  # still running


def sweep_school_support_as_teacher(sweep: Sweep, page: Page) -> None:
    """Tom Barnes, who teaches Oak class: the SEN register and his classes from the menu, Oak
    class, and Freddie Morgan's page, support plan and provision, read-only."""
    who = "Tom Barnes (teacher)"
    sign_in(page, TOM)
    menu = page.get_by_role("navigation", name="Menu")
    sweep.open(page, href_of(menu, "SEN register"), who)
    sweep.open(page, href_of(menu, "Classes"), who)
    expect(page.get_by_role("link", name="Add a class")).to_have_count(0)
    sweep.open(page, href_of(page.get_by_role("main"), "Oak class"), who)
    sweep.open(page, href_of(page.get_by_role("table"), "Freddie Morgan"), who)
    expect(page.get_by_role("link", name=re.compile(r"^Change who can see"))).to_have_count(0)
    plan = href_of(page, "SEN support plan (assess, plan, do, review)")
    provision = href_of(page, "Provision and its impact")
    sweep.open(page, plan, who)
    expect(page.get_by_role("link", name="Record the review")).to_have_count(0)
    sweep.open(page, provision, who)


def sweep_school_support_as_parent(sweep: Sweep, page: Page) -> None:
    """Jo Morgan, with whom Riverside shares Freddie's records: School support from the menu,
    Freddie's page, his passport, and his support plan in plain language, whose form for her
    views is refused empty (on the page it posts to, which is checked too)."""
    who = "Jo Morgan (parent)"
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu")
    sweep.open(page, href_of(menu, "School support"), who)
    expect(page.get_by_role("heading", level=1)).to_have_text("School support")
    sweep.open(page, href_of(page.get_by_role("main"), "Freddie Morgan"), who)
    passport = href_of(page, "Freddie's pupil passport")
    plan = href_of(page, "Support plan and reviews")
    sweep.open(page, passport, who)
    expect(page.get_by_role("heading", level=1)).to_have_text("Freddie Morgan's passport")
    check_file(page, href_of(page, "Download it as a page to print (PDF)"), "application/pdf")
    # The plan's page holds the form for her views, which posts to a page of its own: the
    # empty submission is made by hand, and lands there with the error summary.
    sweep.open(page, plan, who, submit=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Freddie Morgan's support plan")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your views").click()
    expect(error_summary(page)).to_be_visible()
    expect(page.get_by_text("Enter your views").first).to_be_visible()
    route = sweep.here(page, who, submit=False)
    assert route == "support_plans:add-views", f"sending no views went on to {page.url}"
    sweep.error_states.append(f"{route} as {who}")
    sweep.open(page, page.url, who)  # the form as a page of its own, and refused empty


# --- Tests ---------------------------------------------------------------------------------


def test_every_route_has_a_page_that_passes_axe(new_page: Callable[[], Page]) -> None:
    started = time.monotonic()
    sweep = Sweep()

    signed_out = new_page()
    signed_out.goto(SIGN_IN_PATH)
    sweep.here(signed_out, "nobody (signed out)")

    priya = new_page()
    sweep_as_organisation_admin(sweep, priya)
    sweep_the_recording_settings(sweep, priya)
    sweep_compliance_as_organisation_admin(sweep, priya)
    sweep_as_team_manager(sweep, new_page())
    sweep_as_parent(sweep, new_page())
    amira = new_page()
    sweep_as_social_worker(sweep, amira)
    sweep_as_advocate(sweep, new_page())
    note_title = sweep_a_case_note(sweep, amira)
    sweep_next_actions(sweep, amira)
    sweep_the_vault_and_search(sweep, amira)
    sweep_audit_actions_as_worker(sweep, amira)
    jo = new_page()
    sign_in(jo, JO)
    sweep_the_timeline_and_deadlines(sweep, jo)
    sweep_the_plan_versions(sweep, jo)
    sweep_the_sharing_page(sweep, jo)
    sweep_the_case_record(sweep, priya, note_title)
    helen = new_page()
    sweep_the_sen_register(sweep, helen)
    sweep_the_classes(sweep, helen)
    sweep_a_pupils_records(sweep, helen)
    sweep_a_plan_to_start(sweep, helen)
    sweep_the_provision_map(sweep, helen)
    sweep_school_support_as_teacher(sweep, new_page())
    sweep_school_support_as_parent(sweep, jo)

    routes = route_names()
    unknown = set(NOT_GET_PAGES) - routes
    assert not unknown, f"NOT_GET_PAGES names routes that no longer exist: {sorted(unknown)}"
    missed = routes - set(NOT_GET_PAGES) - set(sweep.visits)
    assert not missed, (
        f"The sweep visited no page of these routes: {sorted(missed)}. Add a step that reaches "
        "one by following links, or list the route in NOT_GET_PAGES with the reason."
    )
    # Logged (shown with `pytest --log-cli-level=INFO`): what was covered, for the record.
    log = logging.getLogger(__name__)
    log.info(
        "%d routes, %d axe checks (%d error states) in %.1f s",
        len(sweep.visits),
        sweep.pages_checked,
        len(sweep.error_states),
        time.monotonic() - started,
    )
    for route in sorted(sweep.visits):
        log.info("  %s: %d page(s)", route, len(sweep.visits[route]))
    log.info("  error states: %s", "; ".join(sweep.error_states))
    if sweep.violations:
        pytest.fail("\n\n".join(sweep.violations), pytrace=False)


# A well-formed case address that matches no case (the resolver matches, the view answers 404)
# and an address that matches no route at all. Signed out, the first would send people to sign
# in instead, so only the second is a "Page not found" for them.
NO_CASE = f"/cases/{uuid.UUID(int=0)}/"
NO_ROUTE = "/no-such-page/"


@pytest.mark.parametrize(
    ("who", "path"),
    [(None, NO_ROUTE), (PRIYA, NO_ROUTE), (PRIYA, NO_CASE)],
    ids=["signed-out-no-route", "signed-in-no-route", "signed-in-no-case"],
)
def test_page_not_found_passes_axe(page: Page, who: str | None, path: str) -> None:
    if who:
        sign_in(page, who)
    response = page.goto(path)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(re.compile(r"^Page not found"))
    assert_accessible(page)
