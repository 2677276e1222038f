"""One behaviour suite for search, run on SQLite (FTS5) and on PostgreSQL (tsvector): what is
found, what never is, counts and snippets, filters, order, and the audit of each search."""

from __future__ import annotations

import html
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.ledger import services as ledger_services
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
)
from caseledger.ledger.models import Channel, ContactType, Entry, EventType
from caseledger.search.models import SearchEntry, SearchKind
from caseledger.search.services import COUNT_CAP, PAGE_SIZE, Filters, Order, search, words_of
from caseledger.vault import services as vault_services
from caseledger.vault.models import DocumentCategory
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db


def note(actor: User, case: Case, title: str, body: str, *, days_ago: int = 1) -> Entry:
    draft = ledger_services.start_draft(
        actor=actor,
        case=case,
        content=ledger_services.NoteContent(
            occurred_at=timezone.now() - timedelta(days=days_ago),
            title=title,
            body=body,
            contact_type=ContactType.objects.get(organisation=case.organisation, name="Phone call"),
        ),
    )
    return ledger_services.finalise_note(actor=actor, draft=draft)[0]


def document(actor: User, case: Case, title: str, data: bytes, name: str = "letter.pdf") -> Any:
    category = DocumentCategory.objects.filter(organisation=case.organisation).first()
    assert category is not None
    return vault_services.store_document(
        actor=actor,
        source=io.BytesIO(data),
        file_name=name,
        size=len(data),
        details=vault_services.DocumentDetails(title=title, category=category, cases=[case]),
    )


def found(user: User, query: str, **filters: Any) -> list[str]:
    """The titles of what `user` finds, as plain text."""
    results = search(actor=user, query=query, filters=Filters(**filters))
    return [
        html.unescape(str(hit.title)).replace("<mark>", "").replace("</mark>", "")
        for hit in results.hits
    ]


# --- What is found -----------------------------------------------------------------------------


def test_finds_a_note_by_a_word_in_its_body_with_the_word_marked(
    worker: User, kayden_case: Case
) -> None:
    note(
        worker,
        kayden_case,
        "Call with the school",
        "The headteacher described the playground incident.",
    )
    results = search(actor=worker, query="playground", filters=Filters())
    assert results.total == 1
    (hit,) = results.hits
    assert hit.kind == SearchKind.NOTE
    assert hit.case_reference == kayden_case.reference
    assert hit.child_name == kayden_case.child.display_name
    assert "<mark>playground</mark>" in str(hit.snippet)


def test_stemming_finds_other_forms_of_a_word(worker: User, kayden_case: Case) -> None:
    note(worker, kayden_case, "Visit", "Kayden was playing football with his cousins.")
    assert "Visit" in found(worker, "plays")


def test_every_word_must_match(worker: User, kayden_case: Case) -> None:
    note(
        worker,
        kayden_case,
        "Strategy discussion",
        "Police and health attended the strategy discussion.",
    )
    note(worker, kayden_case, "Strategy planning", "Only the school attended.")
    assert found(worker, "strategy police") == ["Strategy discussion"]


def test_finds_interactions_events_and_documents_by_their_words(
    worker: User, kayden_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    record_interaction(
        actor=worker,
        case=kayden_case,
        content=InteractionContent(
            occurred_at=timezone.now() - timedelta(hours=2),
            channel=Channel.PHONE_CALL,
            contact_name="Sam Okafor",
            contact_organisation="Northmoor Council",
            summary="Sam will chase the audiology appointment.",
        ),
    )
    record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(
            occurred_at=timezone.now() - timedelta(days=3),
            event_type=EventType.HOSPITAL_ADMISSION,
            details="Admitted overnight after an asthma attack.",
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        document(
            worker, kayden_case, "Clinic letter", samples.pdf("Outcome of the audiology clinic")
        )
    kinds = {hit.kind for hit in search(actor=worker, query="audiology", filters=Filters()).hits}
    assert kinds == {SearchKind.INTERACTION, SearchKind.DOCUMENT}
    assert found(worker, "asthma") == ["Hospital admission"]


def test_a_document_is_found_by_its_title_before_its_text_is_read(
    worker: User, kayden_case: Case
) -> None:
    document(worker, kayden_case, "Speech and language therapy report", samples.pdf("Words"))
    assert found(worker, "therapy") == ["Speech and language therapy report"]


def test_finds_children_by_name_among_those_the_user_sees(
    worker: User, outsider: User, kayden_case: Case
) -> None:
    results = search(actor=worker, query="Kayden", filters=Filters())
    assert [child.id for child in results.children] == [kayden_case.child_id]
    assert search(actor=outsider, query="Kayden", filters=Filters()).children == []


def test_a_document_on_two_of_my_cases_is_one_result(worker: User, kayden_case: Case) -> None:
    household = kayden_case.child.household_id
    assert household is not None
    sibling = (
        Case.objects.filter(child__household_id=household, status="open")
        .exclude(pk=kayden_case.pk)
        .filter(allocated_worker=worker)
        .first()
    )
    assert sibling is not None, "the demo allocates Kayden's sister to Amira too"
    category = DocumentCategory.objects.filter(organisation=kayden_case.organisation).first()
    assert category is not None
    data = samples.pdf("x")
    vault_services.store_document(
        actor=worker,
        source=io.BytesIO(data),
        file_name="family.pdf",
        size=len(data),
        details=vault_services.DocumentDetails(
            title="Family housing letter", category=category, cases=[kayden_case, sibling]
        ),
    )
    results = search(actor=worker, query="housing", filters=Filters())
    assert results.total == 1 and len(results.hits) == 1


# --- What is never found -------------------------------------------------------------------------


def test_nobody_finds_what_they_may_not_see_in_results_counts_or_snippets(
    worker: User,
    outsider: User,
    colleague: User,
    parent: User,
    kayden_case: Case,
    freddie_la_case: Case,
) -> None:
    note(worker, kayden_case, "Zebra crossing", "Kayden crossed at the zebra crossing alone.")
    note(worker, freddie_la_case, "Zebra visit", "Freddie talked about the zebra at the farm.")
    assert found(worker, "zebra") == ["Zebra visit", "Zebra crossing"] or set(
        found(worker, "zebra")
    ) == {"Zebra visit", "Zebra crossing"}
    for user in (outsider, colleague):
        results = search(actor=user, query="zebra", filters=Filters())
        assert (results.total, results.hits, results.children) == (0, [], [])
    # Jo holds a read-only grant on Freddie's council case: that, and nothing else.
    results = search(actor=parent, query="zebra", filters=Filters())
    assert results.total == 1
    assert [hit.case_id for hit in results.hits] == [freddie_la_case.id]
    assert "Kayden" not in str(results.hits[0].snippet)


def test_a_filter_cannot_widen_what_a_user_sees(
    outsider: User, worker: User, kayden_case: Case
) -> None:
    note(worker, kayden_case, "Marmalade", "Kayden asked for marmalade.")
    for filters in (
        Filters(case_id=kayden_case.id),
        Filters(child_id=kayden_case.child_id),
        Filters(kinds=(SearchKind.NOTE,)),
    ):
        assert search(actor=outsider, query="marmalade", filters=filters).total == 0


def test_drafts_are_never_found_even_by_their_author(worker: User, kayden_case: Case) -> None:
    ledger_services.start_draft(
        actor=worker,
        case=kayden_case,
        content=ledger_services.NoteContent(title="Unfinished", body="Quokka sighting."),
    )
    assert search(actor=worker, query="quokka", filters=Filters()).total == 0


def test_an_amended_note_is_found_once_by_its_new_words_only(org_admin: User) -> None:
    """Rule 5: a reopened visit note's latest version is the one search shows."""
    demo_visit = Entry.objects.filter(contact_type__reopenable=True, status="final").first()
    assert demo_visit is not None, "the demo has a placement visit note"
    original = ledger_services.latest_version(demo_visit)
    content = ledger_services.content_of(original)
    amended = ledger_services.amend_note(
        actor=org_admin,
        original=original,
        content=ledger_services.NoteContent(
            **{**content.__dict__, "body": f"{content.body} Narwhal poster on the wall."}
        ),
        reason="The placement address was missing",
    )
    rows = SearchEntry.objects.filter(object_id__in=[original.id, amended.id])
    assert [row.object_id for row in rows] == [amended.id]
    assert search(actor=org_admin, query="narwhal", filters=Filters()).total == 1


def test_markup_in_a_record_is_shown_as_text(worker: User, kayden_case: Case) -> None:
    note(worker, kayden_case, "<b>Bold</b> claim", 'He typed <script>alert("x")</script> pelican.')
    (hit,) = search(actor=worker, query="pelican", filters=Filters()).hits
    # Escaped (SQLite), or dropped by PostgreSQL's headline parser: never markup either way.
    assert "<script" not in str(hit.snippet) and "<mark>pelican</mark>" in str(hit.snippet)
    assert "<b>" not in str(hit.title)


def test_operators_typed_into_the_box_are_plain_words(worker: User, kayden_case: Case) -> None:
    note(worker, kayden_case, "Heron", "A heron by the canal.")
    for query in ('heron OR "', "heron*", "NEAR(heron canal)", "title:heron", "heron AND -canal"):
        assert search(actor=worker, query=query, filters=Filters()).total <= 1
    assert words_of('a "b" c*') == ["a", "b", "c"]
    assert search(actor=worker, query="  ?! ", filters=Filters()).total == 0


# --- Filters, order, pages --------------------------------------------------------------------


def test_filters_by_child_case_kind_category_and_dates(
    worker: User, kayden_case: Case, noah_case: Case, colleague: User
) -> None:
    note(worker, kayden_case, "Walrus call", "About the walrus.", days_ago=10)
    record_timeline_event(
        actor=worker,
        case=kayden_case,
        content=EventContent(
            occurred_at=timezone.now() - timedelta(days=2),
            event_type=EventType.MEETING,
            details="The walrus plan was agreed.",
        ),
    )
    today = timezone.localdate()
    assert len(found(worker, "walrus")) == 2
    assert found(worker, "walrus", kinds=(SearchKind.EVENT,)) == ["Meeting held"]
    assert found(worker, "walrus", category="Phone call") == ["Walrus call"]
    assert found(worker, "walrus", date_from=today - timedelta(days=5)) == ["Meeting held"]
    assert found(worker, "walrus", date_to=today - timedelta(days=5)) == ["Walrus call"]
    assert len(found(worker, "walrus", case_id=kayden_case.id)) == 2
    assert found(worker, "walrus", child_id=noah_case.child_id) == []


def test_newest_first_and_best_match_first(worker: User, kayden_case: Case) -> None:
    note(worker, kayden_case, "Otter", "otter otter otter otter", days_ago=20)
    note(worker, kayden_case, "Later note", "One otter.", days_ago=2)
    assert found(worker, "otter", order=Order.NEWEST) == ["Later note", "Otter"]
    assert found(worker, "otter", order=Order.RELEVANCE)[0] == "Otter"


def test_results_come_in_pages_and_counts_stop_at_the_cap(worker: User, kayden_case: Case) -> None:
    contact = ContactType.objects.get(organisation=kayden_case.organisation, name="Phone call")
    for number in range(PAGE_SIZE + 3):
        draft = ledger_services.start_draft(
            actor=worker,
            case=kayden_case,
            content=ledger_services.NoteContent(
                occurred_at=timezone.now() - timedelta(hours=number + 1),
                title=f"Penguin {number}",
                body="penguin",
                contact_type=contact,
            ),
        )
        ledger_services.finalise_note(actor=worker, draft=draft)
    first = search(actor=worker, query="penguin", filters=Filters(order=Order.NEWEST))
    second = search(actor=worker, query="penguin", filters=Filters(order=Order.NEWEST), page=2)
    assert first.total == PAGE_SIZE + 3 and first.pages == 2 and first.has_next
    assert len(first.hits) == PAGE_SIZE and len(second.hits) == 3
    assert not {hit.object_id for hit in first.hits} & {hit.object_id for hit in second.hits}
    assert COUNT_CAP == 1000


def test_each_search_is_audited_with_what_was_shown(worker: User, kayden_case: Case) -> None:
    entry = note(worker, kayden_case, "Puffin", "A puffin drawing.")
    search(actor=worker, query="puffin", filters=Filters(kinds=(SearchKind.NOTE,)))
    event = AuditEvent.objects.filter(action=Action.SEARCHED, actor=worker).latest("sequence")
    assert event.detail["query"] == "puffin"
    assert event.detail["shown"] == [f"note:{entry.id}"]
    assert event.detail["filters"]["kinds"] == "note"


def test_a_search_costs_the_same_number_of_queries_however_many_results(
    worker: User, kayden_case: Case
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search(actor=worker, query="gannet", filters=Filters())
        return len(captured)

    note(worker, kayden_case, "Gannet", "gannet")
    queries()  # the first also loads the user's organisation, kept on the user after
    one = queries()
    for number in range(8):
        note(worker, kayden_case, f"Gannet {number}", "gannet", days_ago=number + 2)
    assert queries() == one


# --- The page ----------------------------------------------------------------------------------


def test_the_search_page_posts_the_words_never_puts_them_in_the_address(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    note(worker, kayden_case, "Kingfisher", "A kingfisher at the river.")
    client = client_for(worker)
    page = client.get("/search/")
    assert page.status_code == 200
    assert '<form method="post"' in page.content.decode()
    response = client.post("/search/", {"query": "kingfisher", "order": "relevance"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 result" in body
    assert "<mark>Kingfisher</mark>" in body or "<mark>kingfisher</mark>" in body
    empty = client.post("/search/", {"query": ""})
    assert empty.status_code == 400
    assert ">Enter what you are looking for</a>" in html.unescape(empty.content.decode())


def test_a_wrong_date_filter_is_explained_and_keeps_the_words(
    worker: User, client_for: Any
) -> None:
    response = client_for(worker).post(
        "/search/",
        {
            "query": "kingfisher",
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2026",
            "date_to-day": "",
            "date_to-month": "",
            "date_to-year": "",
        },
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Date to search from must be a real date" in body
    assert 'value="kingfisher"' in body


def test_nothing_found_says_so(worker: User, client_for: Any) -> None:
    body = client_for(worker).post("/search/", {"query": "xylophone"}).content.decode()
    assert "Nothing you can see matches" in html.unescape(body)


def test_dates_in_the_index_follow_the_record(worker: User, kayden_case: Case) -> None:
    entry = note(worker, kayden_case, "Ibis", "An ibis.", days_ago=4)
    row = SearchEntry.objects.get(object_id=entry.id)
    assert entry.occurred_at is not None
    assert row.occurred_on == timezone.localdate(entry.occurred_at)
    assert row.occurred_on <= timezone.localdate()


def test_a_note_is_found_by_the_subject_of_the_email_it_cites(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    email = document(
        worker, kayden_case, "", samples.eml(subject="Booking for the Albatross room"), "a.eml"
    )
    draft = ledger_services.start_draft(
        actor=worker,
        case=kayden_case,
        content=ledger_services.NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            title="Meeting booked",
            body="The meeting is booked.",
            contact_type=ContactType.objects.get(
                organisation=kayden_case.organisation, name="Email"
            ),
            document_ids=[email.id],
        ),
    )
    note_entry = ledger_services.finalise_note(actor=worker, draft=draft)[0]
    results = search(actor=worker, query="albatross", filters=Filters())
    kinds = {hit.kind: hit for hit in results.hits}
    assert set(kinds) == {SearchKind.NOTE, SearchKind.DOCUMENT}
    assert kinds[SearchKind.DOCUMENT].cited_by == ((note_entry.id, "Meeting booked"),)
    page = client_for(worker).post("/search/", {"query": "albatross"}).content.decode()
    assert f'href="/notes/{note_entry.id}/"' in page


def test_the_filters_offer_children_cases_and_categories_the_user_may_use(
    worker: User, kayden_case: Case, outsider: User, client_for: Any
) -> None:
    page = html.unescape(client_for(worker).get("/search/").content.decode())
    assert kayden_case.child.display_name in page
    assert kayden_case.reference in page
    assert '<option value="Home visit">Home visit</option>' in page
    assert '<option value="Minutes">Minutes</option>' in page
    other = html.unescape(client_for(outsider).get("/search/").content.decode())
    assert kayden_case.child.display_name not in other
    response = client_for(worker).post(
        "/search/", {"query": "walrus", "child": str(kayden_case.child_id), "category": "Minutes"}
    )
    assert response.status_code == 200


def test_typed_words_never_match_the_scope_words(
    worker: User, outsider: User, kayden_case: Case
) -> None:
    """The words that say whose a row is are for narrowing, not for finding."""
    from caseledger.search.models import case_scope, organisation_scope

    note(worker, kayden_case, "Scoped", "A scoped note.")
    for token in (case_scope(kayden_case.id), organisation_scope(kayden_case.organisation_id)):
        for user in (worker, outsider):
            assert search(actor=user, query=token, filters=Filters()).total == 0
    row = SearchEntry.objects.filter(case=kayden_case).first()
    assert row is not None and case_scope(kayden_case.id) in row.scope


def test_an_admin_finds_across_the_organisation_and_a_family_its_own_cases(
    org_admin: User, parent: User, worker: User, kayden_case: Case, freddie_family_case: Case
) -> None:
    note(worker, kayden_case, "Ocelot", "An ocelot drawing.")
    note(parent, freddie_family_case, "Ocelot at home", "Freddie's ocelot.")
    assert found(org_admin, "ocelot") == ["Ocelot"]
    assert found(parent, "ocelot") == ["Ocelot at home"]


def test_someone_who_sees_a_whole_organisation_is_scoped_by_its_word(
    org_admin: User,
    parent: User,
    worker: User,
    kayden_case: Case,
    freddie_la_case: Case,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past a caseload's length the organisation's scope word (and the cases of any grants)
    narrows the match; the case condition still applies beneath it."""
    from caseledger.search import services as search_services

    monkeypatch.setattr(search_services, "CASELOAD_IDS", 1)
    note(worker, kayden_case, "Tapir", "A tapir.")
    note(worker, freddie_la_case, "Tapir visit", "Freddie drew a tapir.")
    assert set(found(org_admin, "tapir")) == {"Tapir", "Tapir visit"}
    # Jo's family sees its own case and Northmoor's case shared with her: the grant's words.
    assert found(parent, "tapir") == ["Tapir visit"]
