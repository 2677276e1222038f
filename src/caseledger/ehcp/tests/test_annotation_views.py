"""The pages for working on a confirmed plan version: the family annotates (from a flag, with
GOV.UK errors that keep what was typed) and links provision to needs; an advocate the family
shares with reads all of it and comments, and gets 404 for the family's own forms; anyone
else gets 404 everywhere. The working document downloads as Word and PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pypdf
import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import AccessGrant, Case
from caseledger.cases.services import revoke_access
from caseledger.demo.data import DEMO_DRAFT_PLAN
from caseledger.domain.errors import NotPermittedError
from caseledger.ehcp.annotations import add_comment, link_item_needs, plan_provision, text_key
from caseledger.ehcp.models import (
    Annotation,
    AnnotationStatus,
    Comment,
    ItemNeedLinks,
    PlanKind,
    PlanVersion,
)
from caseledger.ehcp.services import plan_flags
from caseledger.ehcp.tests.factories import (
    F_PASSAGE,
    PROPOSED,
    annotate,
    confirmed_version,
    demo_draft,
    final_note,
    poppy_case,
)
from caseledger.ehcp.tests.test_annotation_services import (
    ANXIETY_NEED,
    POPPY_PLAN,
    QUIET_SPACE,
    ROUTINE_NEED,
    key_of,
)
from caseledger.ehcp.tests.test_plan_services import typed
from caseledger.ledger.models import Entry, EntryStatus
from caseledger.vault.models import Document
from caseledger.vault.services import DocumentDetails, change_document_details

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCRIPT = "<script>alert('x')</script> & more"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more"


def detail_url(version: PlanVersion) -> str:
    return reverse("ehcp:version-detail", kwargs={"version_id": version.id})


def provision_url(version: PlanVersion) -> str:
    return reverse("ehcp:provision", kwargs={"version_id": version.id})


def item_url(version: PlanVersion, section: str, text: str) -> str:
    return reverse(
        "ehcp:item-needs",
        kwargs={
            "version_id": version.id,
            "section": section,
            "item_key": key_of(version, section, text),
        },
    )


def add_url(version: PlanVersion) -> str:
    return reverse("ehcp:annotation-add", kwargs={"version_id": version.id})


def annotation_url(annotation: Annotation, name: str = "annotation-detail") -> str:
    return reverse(f"ehcp:{name}", kwargs={"annotation_id": annotation.id})


def flag_comment_url(version: PlanVersion, key: str) -> str:
    return reverse("ehcp:flag-comment", kwargs={"version_id": version.id, "flag_key": key})


def note_comment_url(entry: Entry) -> str:
    return reverse("ehcp:note-comment", kwargs={"entry_id": entry.id})


def note_url(entry: Entry) -> str:
    return reverse("ledger:note-detail", kwargs={"entry_id": entry.id})


def document_url(version: PlanVersion, file_type: str) -> str:
    return reverse(
        "ehcp:working-document", kwargs={"version_id": version.id, "file_type": file_type}
    )


def unquantified_key(version: PlanVersion) -> str:
    return next(state.key for state in plan_flags(version) if state.flag.code == "unquantified")


def annotation_data(**changes: object) -> dict[str, object]:
    return {
        "section": "F",
        "passage": F_PASSAGE,
        "concern": "It does not say who prepares the timetable.",
        "proposed_wording": PROPOSED,
        "status": "open",
        **changes,
    }


def card(body: str, anchor: str) -> str:
    """The part of a page from an element's id to the next summary card."""
    start = body.index(f'id="{anchor}"')
    end = body.find('class="govuk-summary-card"', start)
    return body[start : end if end >= 0 else len(body)]


# --- Annotating ----------------------------------------------------------------------------------


def test_the_family_annotates_a_flagged_passage_and_everyone_reads_it(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    client = client_for(parent)
    from_flag = f"{add_url(version)}?flag={key}"
    assert from_flag.replace("&", "&amp;") in client.get(detail_url(version)).content.decode()
    page = client.get(from_flag)
    assert page.status_code == 200
    body = page.content.decode()
    assert '<option value="F" selected>' in body
    assert f">{F_PASSAGE}</textarea>" in body
    assert 'value="open" checked' in body
    document = Document.objects.get(cases=freddie_family_case, is_current=True)
    response = client.post(from_flag, annotation_data(evidence=[str(document.id)]))
    (annotation,) = Annotation.objects.all()
    assert response.status_code == 302
    assert response["Location"] == annotation_url(annotation)
    assert (annotation.section, annotation.passage, annotation.created_by) == (
        "F",
        F_PASSAGE,
        parent,
    )
    assert list(annotation.evidence.all()) == [document]
    for user in (parent, advocate):
        body = client_for(user).get(annotation_url(annotation)).content.decode()
        assert "Annotation on section F" in body
        assert F_PASSAGE in body and PROPOSED in body
        assert "It does not say who prepares the timetable." in body
        assert document.title in body
        section_f = client_for(user).get(detail_url(version)).content.decode()
        section_f = section_f[section_f.index('id="section-F"') :]
        assert annotation_url(annotation) in section_f.split('id="section-G"')[0]
    assert annotation_url(annotation, "annotation-edit") in (
        client.get(annotation_url(annotation)).content.decode()
    )


def test_a_flag_whose_passage_is_not_in_the_section_fills_in_the_section_only(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    # Missing content in Section D: the flag's text is the section's title, not the plan's.
    key = next(
        state.key
        for state in plan_flags(version)
        if (state.flag.code, state.flag.section) == ("missing_content", "D")
    )
    body = client_for(parent).get(f"{add_url(version)}?flag={key}").content.decode()
    assert '<option value="D" selected>' in body
    assert 'name="passage" rows="3" aria-describedby="id_passage-hint"></textarea>' in body
    body = client_for(parent).get(f"{add_url(version)}?section=G&flag=nonsense").content.decode()
    assert '<option value="G" selected>' in body


def test_a_new_annotation_does_not_say_it_was_changed_until_it_is(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    client.post(add_url(version), annotation_data())
    (annotation,) = Annotation.objects.all()
    body = client.get(annotation_url(annotation)).content.decode()
    assert "By Jo Morgan on" in body
    assert "last changed" not in body
    client.post(annotation_url(annotation, "annotation-edit"), annotation_data(status="agreed"))
    assert "last changed" in client.get(annotation_url(annotation)).content.decode()


def test_bad_input_is_refused_in_govuk_words_and_what_was_typed_is_kept(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    response = client.post(
        add_url(version),
        annotation_data(passage="Weekly sessions with a therapist", concern="Typed first"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "The passage must be copied from Section F of this version, word for word" in body
    assert "Typed first" in body and "Weekly sessions with a therapist" in body
    assert PROPOSED in body
    response = client.post(add_url(version), annotation_data(concern="  ", status=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter your concern" in body and "Select where the concern stands" in body
    assert f">{F_PASSAGE}</textarea>" in body
    response = client.post(add_url(version), annotation_data(section=""))
    assert response.status_code == 400
    assert "Select the section" in response.content.decode()
    response = client.post(add_url(version), annotation_data(concern="x" * 4001))
    assert response.status_code == 400
    assert "Your concern must be 4,000 characters or fewer" in response.content.decode()
    elsewhere = Document.objects.exclude(cases=freddie_family_case).first()
    assert elsewhere is not None
    response = client.post(add_url(version), annotation_data(evidence=[str(elsewhere.id)]))
    assert response.status_code == 400
    assert "Select documents from this case" in response.content.decode()
    assert not Annotation.objects.exists()


def test_the_family_changes_an_annotation_and_where_it_stands(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    client = client_for(parent)
    url = annotation_url(annotation, "annotation-edit")
    body = client.get(url).content.decode()
    assert f">{F_PASSAGE}</textarea>" in body and f">{PROPOSED}</textarea>" in body
    assert 'value="open" checked' in body
    response = client.post(url, annotation_data(status="raised", proposed_wording=""))
    assert response.status_code == 302
    assert response["Location"] == annotation_url(annotation)
    annotation.refresh_from_db()
    assert (annotation.status, annotation.proposed_wording) == (AnnotationStatus.RAISED, "")
    event = AuditEvent.objects.get(action=Action.ANNOTATION_CHANGED)
    assert event.changes["status"] == {"old": "Open", "new": "Raised with the council"}
    assert event.detail["changed"] == ["concern", "proposed_wording"]
    body = client.get(annotation_url(annotation)).content.decode()
    assert "Raised with the council" in body and "None proposed" in body
    response = client.post(url, annotation_data(passage="Not in the plan"))
    assert response.status_code == 400
    assert "word for word" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.passage == F_PASSAGE


# --- Provision and the needs it meets ------------------------------------------------------------


def test_the_provision_page_lists_items_and_the_needs_with_no_provision(
    parent: User, advocate: User, client_for: ClientFor, freddie_family_case: Case
) -> None:
    poppy = confirmed_version(parent, poppy_case(), POPPY_PLAN)
    body = client_for(parent).get(provision_url(poppy)).content.decode()
    unmet = body[body.index("Needs with no provision") : body.index('id="section-F"')]
    assert ANXIETY_NEED in unmet and "dyslexia" not in unmet
    assert QUIET_SPACE in body
    assert item_url(poppy, "F", QUIET_SPACE) in body
    assert "Suggested" in body
    version = demo_draft(freddie_family_case)
    body = client_for(advocate).get(provision_url(version)).content.decode()
    assert "Every need in Section B has provision in Section F" in body
    assert F_PASSAGE in body and DEMO_DRAFT_PLAN["G"] in body
    assert "Change the needs it meets" not in body
    assert item_url(version, "F", F_PASSAGE) not in body


def test_the_family_links_an_item_to_needs_and_the_flag_goes(
    parent: User, client_for: ClientFor
) -> None:
    version = confirmed_version(parent, poppy_case(), POPPY_PLAN)
    client = client_for(parent)
    assert "Need with no provision" in client.get(detail_url(version)).content.decode()
    url = item_url(version, "F", QUIET_SPACE)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert ANXIETY_NEED in body and QUIET_SPACE in body
    assert f'value="{text_key(ANXIETY_NEED)}"' in body
    response = client.post(url, {"needs": [text_key(ANXIETY_NEED)]})
    assert response.status_code == 302
    assert response["Location"] == (
        f"{provision_url(version)}#item-F-{key_of(version, 'F', QUIET_SPACE)}"
    )
    (links,) = ItemNeedLinks.objects.all()
    assert (links.need_keys, links.linked_by) == ([text_key(ANXIETY_NEED)], parent)
    body = client.get(provision_url(version)).content.decode()
    assert "Every need in Section B has provision in Section F" in body
    assert "Linked by Jo Morgan" in body
    assert "Need with no provision" not in client.get(detail_url(version)).content.decode()
    # The form shows the saved links next time.
    body = client.get(url).content.decode()
    assert f'value="{text_key(ANXIETY_NEED)}" checked' in body


def test_a_need_that_is_not_offered_is_refused_and_an_unknown_item_is_404(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    response = client.post(item_url(version, "F", F_PASSAGE), {"needs": ["not-a-need"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Select needs from Section B of this version" in body
    assert client.get(item_url(version, "F", "Not an item")).status_code == 404
    assert client.get(item_url(version, "B", ROUTINE_NEED)).status_code == 404
    unconfirmed = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    assert client.get(provision_url(unconfirmed)).status_code == 404
    assert client.get(item_url(unconfirmed, "F", F_PASSAGE)).status_code == 404
    assert client.get(add_url(unconfirmed)).status_code == 404
    assert not ItemNeedLinks.objects.exists()


def many_items(count: int) -> dict[str, str]:
    provision = "\n\n".join(
        f"Item {number}: a specialist teacher delivers a literacy programme for "
        f"{number + 10} minutes daily."
        for number in range(count)
    )
    return {**POPPY_PLAN, "F": provision}


def test_the_provision_page_takes_the_same_queries_however_many_items(
    parent: User,
    client_for: ClientFor,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    case = poppy_case()
    few = confirmed_version(parent, case, many_items(2), days=2)
    many = confirmed_version(parent, case, many_items(10), days=1)
    for version in (few, many):
        provision = plan_provision(version, version.section_texts())
        assert len(provision.section("F")) in (2, 10)
        for item in provision.items:  # each saved, so each shows who linked it
            link_item_needs(
                actor=parent,
                version=version,
                section=item.section,
                item_key=item.key,
                need_keys=[need.key for need in provision.needs[:1]],
            )
    client = client_for(parent)
    client.get(provision_url(few))
    with CaptureQueriesContext(connection) as two_items:
        assert client.get(provision_url(few)).status_code == 200
    with django_assert_max_num_queries(len(two_items)):
        body = client.get(provision_url(many)).content.decode()
    assert body.count("Linked by Jo Morgan") == 10


def test_the_version_page_takes_the_same_queries_however_many_annotations_and_comments(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    annotate(parent, version)
    add_comment(actor=advocate, case=freddie_family_case, body="One", version=version, flag_key=key)
    client = client_for(advocate)
    client.get(detail_url(version))
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(version))
    for section in "ABCG":
        annotate(parent, version, section=section, passage="", proposed_wording="")
    for state in plan_flags(version):
        add_comment(
            actor=parent,
            case=freddie_family_case,
            body="More",
            version=version,
            flag_key=state.key,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail_url(version)).status_code == 200
    assert len(many) == len(few)


# --- Who may do what -----------------------------------------------------------------------------


def test_the_advocate_reads_and_comments_but_gets_404_for_the_familys_forms(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    annotation = annotate(parent, version)
    note = final_note(freddie_family_case)
    client = client_for(advocate)
    for url in (detail_url(version), provision_url(version), annotation_url(annotation)):
        assert client.get(url).status_code == 200, url
    body = client.get(detail_url(version)).content.decode()
    assert flag_comment_url(version, key) in body
    assert add_url(version) not in body
    body = client.get(annotation_url(annotation)).content.decode()
    assert annotation_url(annotation, "annotation-comment") in body
    assert annotation_url(annotation, "annotation-edit") not in body
    for url, back in (
        (flag_comment_url(version, key), f"{detail_url(version)}#flag-{key}"),
        (annotation_url(annotation, "annotation-comment"), annotation_url(annotation)),
        (note_comment_url(note), note_url(note)),
    ):
        assert client.get(url).status_code == 200, url
        response = client.post(url, {"body": "Ask for this in writing."})
        assert response.status_code == 302, url
        assert response["Location"] == back
    assert Comment.objects.filter(author=advocate).count() == 3
    refused = [
        add_url(version),
        annotation_url(annotation, "annotation-edit"),
        item_url(version, "F", F_PASSAGE),
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
    assert client.post(refused[0], annotation_data()).status_code == 404
    assert client.post(refused[1], annotation_data(status="agreed")).status_code == 404
    assert client.post(refused[2], {"needs": [text_key(ROUTINE_NEED)]}).status_code == 404
    assert Annotation.objects.count() == 1
    annotation.refresh_from_db()
    assert annotation.status == AnnotationStatus.OPEN
    assert not ItemNeedLinks.objects.exists()
    assert client.get(document_url(version, "docx")).status_code == 200


@pytest.mark.parametrize("persona", ["other_parent", "worker", "outsider"])
def test_someone_who_does_not_see_the_case_gets_404_on_every_page(
    persona: str,
    request: pytest.FixtureRequest,
    parent: User,
    freddie_family_case: Case,
    client_for: ClientFor,
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    annotation = annotate(parent, version)
    note = final_note(freddie_family_case)
    client = client_for(request.getfixturevalue(persona))
    posts = {
        item_url(version, "F", F_PASSAGE): {"needs": [text_key(ROUTINE_NEED)]},
        add_url(version): annotation_data(),
        annotation_url(annotation, "annotation-edit"): annotation_data(status="agreed"),
        flag_comment_url(version, key): {"body": "Let me in"},
        annotation_url(annotation, "annotation-comment"): {"body": "Let me in"},
        note_comment_url(note): {"body": "Let me in"},
    }
    gets = [
        provision_url(version),
        annotation_url(annotation),
        document_url(version, "docx"),
        document_url(version, "pdf"),
        *posts,
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert not Comment.objects.exists()
    assert not ItemNeedLinks.objects.exists()
    assert Annotation.objects.count() == 1
    annotation.refresh_from_db()
    assert annotation.status == AnnotationStatus.OPEN
    assert not AuditEvent.objects.filter(
        action__in=[Action.WORKING_DOCUMENT_DOWNLOADED, Action.PLAN_VERSION_VIEWED],
        case_id=freddie_family_case.id,
    ).exists()


def test_once_the_family_revokes_the_grant_the_advocate_gets_404_and_their_comments_stay(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    comment_url = annotation_url(annotation, "annotation-comment")
    client = client_for(advocate)
    assert client.post(comment_url, {"body": "Advice given while shared"}).status_code == 302
    revoke_access(
        actor=parent,
        grant=AccessGrant.objects.get(case=freddie_family_case, grantee=advocate),
    )
    for url in (provision_url(version), annotation_url(annotation), comment_url):
        assert client.get(url).status_code == 404, url
    assert client.post(comment_url, {"body": "After revocation"}).status_code == 404
    with pytest.raises(NotPermittedError):
        add_comment(actor=advocate, case=freddie_family_case, body="Service", annotation=annotation)
    body = client_for(parent).get(annotation_url(annotation)).content.decode()
    assert "Advice given while shared" in body and "After revocation" not in body
    assert Comment.objects.count() == 1


def test_a_signed_out_visitor_is_sent_to_sign_in(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    for url in (provision_url(version), annotation_url(annotation), document_url(version, "pdf")):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next="), url


def test_a_comment_on_a_flag_that_is_not_current_is_404(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    assert client.get(flag_comment_url(version, "0" * 64)).status_code == 404
    assert client.post(flag_comment_url(version, "0" * 64), {"body": "Hi"}).status_code == 404
    assert not Comment.objects.exists()


def test_notes_of_a_case_that_is_not_an_ehcp_tracking_case_have_no_comments(
    worker: User, client_for: ClientFor
) -> None:
    note = Entry.objects.filter(author=worker, status=EntryStatus.FINAL).first()
    assert note is not None
    client = client_for(worker)
    body = client.get(note_url(note)).content.decode()
    assert 'id="comments"' not in body
    assert client.get(note_comment_url(note)).status_code == 404
    assert client.post(note_comment_url(note), {"body": "Hi"}).status_code == 404
    assert not Comment.objects.exists()


# --- Comments ------------------------------------------------------------------------------------


def test_comments_show_on_the_annotation_the_flag_and_the_note_escaped(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    annotation = annotate(parent, version)
    note = final_note(freddie_family_case)
    client = client_for(advocate)
    client.post(flag_comment_url(version, key), {"body": f"On the flag {SCRIPT}"})
    client.post(annotation_url(annotation, "annotation-comment"), {"body": f"Annotation {SCRIPT}"})
    client.post(note_comment_url(note), {"body": f"On the note {SCRIPT}\nSecond line"})
    assert Comment.objects.count() == 3
    for user in (parent, advocate):
        reader = client_for(user)
        body = reader.get(annotation_url(annotation)).content.decode()
        assert f"Annotation {ESCAPED_SCRIPT}" in body
        assert "Ruth Ellis, SEND Voices Advocacy" in body
        body = reader.get(detail_url(version)).content.decode()
        assert f"On the flag {ESCAPED_SCRIPT}" in card(body, f"flag-{key}")
        body = reader.get(note_url(note)).content.decode()
        assert f"On the note {ESCAPED_SCRIPT}<br>Second line" in body
        assert note_comment_url(note) in body
        for page in (
            reader.get(annotation_url(annotation)),
            reader.get(detail_url(version)),
            reader.get(note_url(note)),
        ):
            assert "<script>alert" not in page.content.decode()
    # Each comment is on its own subject only.
    body = client.get(annotation_url(annotation)).content.decode()
    assert "On the flag" not in body and "On the note" not in body


def test_an_empty_comment_is_refused_in_govuk_words(
    advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    note = final_note(freddie_family_case)
    client = client_for(advocate)
    response = client.post(note_comment_url(note), {"body": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter your comment" in body
    response = client.post(note_comment_url(note), {"body": "x" * 4001})
    assert response.status_code == 400
    assert "Your comment must be 4,000 characters or fewer" in response.content.decode()
    assert not Comment.objects.exists()


def test_evidence_moved_off_the_case_is_not_shown_to_those_who_cannot_open_it(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    """Rule 10, as for notes: a reader is never shown a document they cannot open. The family
    moves their evidence to Poppy's case, which the advocate's grant does not reach."""
    version = demo_draft(freddie_family_case)
    document = Document.objects.get(cases=freddie_family_case, is_current=True)
    annotation = annotate(parent, version, evidence_ids=[str(document.id)])
    change_document_details(
        actor=parent,
        document=document,
        details=DocumentDetails(
            title=document.title,
            category=document.category,
            cases=[poppy_case()],
            document_date=document.document_date,
            source=document.source,
        ),
    )
    assert (
        client_for(advocate)
        .get(reverse("vault:document-detail", kwargs={"document_id": document.id}))
        .status_code
        == 404
    )
    body = client_for(advocate).get(annotation_url(annotation)).content.decode()
    assert document.title not in body
    assert str(document.id) not in body


# --- The working document ------------------------------------------------------------------------


def directives(header: str) -> set[str]:
    return {directive.strip() for directive in header.split(",")}


def runs(docx: bytes, property_tag: str) -> list[str]:
    """The text of each run with the given run property (strike, b) in the Word document."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    return [
        "".join(text.text or "" for text in run.iter(f"{W}t"))
        for run in root.iter(f"{W}r")
        if run.find(f"{W}rPr/{W}{property_tag}") is not None
    ]


def test_the_working_document_downloads_as_word_with_the_changes_marked(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    annotate(parent, version)
    annotate(
        parent,
        version,
        section="C",
        passage="",
        concern="Name the audiology clinic.",
        proposed_wording="",
    )
    response = client_for(parent).get(document_url(version, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "no-store" in directives(response["Cache-Control"])
    name = f"ehc-draft-plan-working-document-{version.issued_on:%Y-%m-%d}.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "Freddie" not in response["Content-Disposition"]
    assert "Frederick" not in response["Content-Disposition"]
    assert "Morgan".lower() not in response["Content-Disposition"].lower()
    docx = response.content
    assert runs(docx, "strike") == [F_PASSAGE]
    assert PROPOSED in runs(docx, "b")
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        xml = package.read("word/document.xml").decode()
    assert "Note: (open) Name the audiology clinic." in xml
    # The council's other words are there, neither struck through nor bold.
    assert DEMO_DRAFT_PLAN["G"] in xml
    (event,) = AuditEvent.objects.filter(action=Action.WORKING_DOCUMENT_DOWNLOADED)
    assert (event.actor, event.case_id, event.object_id) == (
        parent,
        freddie_family_case.id,
        str(version.id),
    )
    assert event.detail["versions"] == [str(version.id)]


def test_the_working_document_downloads_as_a_pdf_with_the_proposed_wording(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    annotate(parent, version, proposed_wording="A visual timetable each morning.")
    response = client_for(advocate).get(document_url(version, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in directives(response["Cache-Control"])
    assert response["Content-Disposition"].endswith(f'-{version.issued_on:%Y-%m-%d}.pdf"')
    assert "Freddie" not in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "A visual timetable each morning." in text
    assert "Section F" in text
    (event,) = AuditEvent.objects.filter(action=Action.WORKING_DOCUMENT_DOWNLOADED)
    assert event.actor == advocate


def test_an_unknown_file_type_or_an_unconfirmed_version_has_no_working_document(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    for file_type in ("txt", "DOCX", "pdf.exe", "doc"):
        assert client.get(document_url(version, file_type)).status_code == 404, file_type
    unconfirmed = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    assert client.get(document_url(unconfirmed, "docx")).status_code == 404
    assert client.get(document_url(unconfirmed, "pdf")).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.WORKING_DOCUMENT_DOWNLOADED).exists()
    body = client.get(detail_url(version)).content.decode()
    assert document_url(version, "docx") in body and document_url(version, "pdf") in body
    assert (
        document_url(unconfirmed, "docx")
        not in client.get(detail_url(unconfirmed)).content.decode()
    )
