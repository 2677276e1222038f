"""Working on a confirmed plan version: provision linked to the needs it meets (the latest save
stands, the earlier kept, and the links decide which needs are flagged), the family's
annotations (where their passage sits, every rule, every change audited), comments by
whoever the family shares with (kept whole by the database) and the working document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case, CaseType
from caseledger.demo.data import DEMO_DRAFT_PLAN
from caseledger.domain.ehcp import Item
from caseledger.domain.ehcp.working_document import Change
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.annotations import (
    COMMENT_LENGTH,
    CONCERN_LENGTH,
    WORDING_LENGTH,
    add_comment,
    change_annotation,
    comments_on,
    item_key,
    item_needs_for_analysis,
    link_item_needs,
    locate_passage,
    plan_provision,
    text_key,
    working_document,
)
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
    aarav_case,
    annotate,
    annotation_content,
    confirmed_version,
    demo_draft,
    final_note,
    poppy_case,
)
from caseledger.ehcp.tests.test_plan_services import typed
from caseledger.ledger.models import Entry, EntryKind, EntryStatus
from caseledger.vault.models import Document

pytestmark = pytest.mark.django_db

# A plan whose second need no Section F item matches by its words: the family knows the quiet
# space at lunchtime is what meets it.
POPPY_PLAN = {
    "A": "Poppy likes drawing and her cat.",
    "B": "Poppy has dyslexia and finds reading and spelling hard.\n\n"
    "Poppy is anxious in crowded and noisy places.",
    "F": "A structured literacy programme delivered by a specialist teacher for 30 minutes "
    "daily.\n\nA quiet space at lunchtime, supervised by a teaching assistant every day.",
    "I": "Riverside Primary School",
}
READING_NEED = "Poppy has dyslexia and finds reading and spelling hard."
ANXIETY_NEED = "Poppy is anxious in crowded and noisy places."
LITERACY = "A structured literacy programme delivered by a specialist teacher for 30 minutes daily."
QUIET_SPACE = "A quiet space at lunchtime, supervised by a teaching assistant every day."
# The demo draft's needs and its Section F items.
LANGUAGE_NEED = DEMO_DRAFT_PLAN["B"].split("\n\n")[0]
ROUTINE_NEED = DEMO_DRAFT_PLAN["B"].split("\n\n")[1]
THERAPY = DEMO_DRAFT_PLAN["F"].split("\n\n")[0]


def unmet_flags(version: PlanVersion) -> list[str]:
    """The passages flagged as needs with no provision."""
    return [
        state.flag.text
        for state in plan_flags(version)
        if state.flag.code == "need_without_provision"
    ]


def events(action: Action, obj: Model) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)))


def other_case_document(case: Case) -> Document:
    document = Document.objects.filter(is_current=True).exclude(cases=case).first()
    assert document is not None
    return document


def case_document(case: Case) -> Document:
    document = Document.objects.filter(is_current=True, cases=case).first()
    assert document is not None
    return document


def key_of(version: PlanVersion, section: str, text: str) -> str:
    """The key of the section's (first) provision item with these words."""
    items = plan_provision(version, version.section_texts()).section(section)
    found = (item.key for item in items if item.item.text == text)
    # Words that are no item of the section get the key they would have: it matches nothing.
    return next(found, item_key(Item(text, 0, len(text))))


# --- Provision and the needs it meets ----------------------------------------------------------


def test_the_provision_lists_the_items_of_f_g_and_h_with_the_needs_suggested(
    freddie_family_case: Case,
) -> None:
    version = demo_draft(freddie_family_case)
    provision = plan_provision(version, version.section_texts())
    assert [need.text for need in provision.needs] == [LANGUAGE_NEED, ROUTINE_NEED]
    assert [need.key for need in provision.needs] == [
        text_key(LANGUAGE_NEED),
        text_key(ROUTINE_NEED),
    ]
    assert [(item.section, item.item.text) for item in provision.items] == [
        ("F", THERAPY),
        ("F", F_PASSAGE),
        ("G", DEMO_DRAFT_PLAN["G"]),
    ]
    therapy, timetable = provision.section("F")
    assert therapy.key == key_of(version, "F", THERAPY) and therapy.links is None
    assert [need.text for need in therapy.needs] == [LANGUAGE_NEED]
    assert [need.text for need in timetable.needs] == [ROUTINE_NEED]
    assert provision.unmet == []
    assert [(key, items) for key, _title, items in provision.sections] == [
        ("F", [therapy, timetable]),
        ("G", provision.section("G")),
        ("H", []),
    ]
    assert item_needs_for_analysis(provision) == {}


def test_the_family_links_an_item_and_the_latest_save_stands_with_the_earlier_kept(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    key = key_of(version, "F", F_PASSAGE)
    first = link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key,
        need_keys=[text_key(ROUTINE_NEED), text_key(LANGUAGE_NEED), text_key(ROUTINE_NEED)],
    )
    assert (first.number, first.linked_by) == (1, parent)
    assert first.need_keys == [text_key(ROUTINE_NEED), text_key(LANGUAGE_NEED)]
    second = link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key,
        need_keys=[text_key(LANGUAGE_NEED)],
    )
    assert second.number == 2
    item = plan_provision(version, version.section_texts()).item("F", key)
    assert item is not None and item.links is not None
    assert item.links.pk == second.pk
    assert [need.text for need in item.needs] == [LANGUAGE_NEED]
    assert list(ItemNeedLinks.objects.filter(item_key=key).order_by("number")) == [first, second]
    (event,) = events(Action.PLAN_ITEM_NEEDS_LINKED, second)
    assert event.case_id == freddie_family_case.id
    assert event.actor == parent
    assert event.detail["supersedes"] == str(first.id)
    assert event.detail["section"] == "F" and event.detail["item_key"] == key
    assert event.detail["need_keys"] == [text_key(LANGUAGE_NEED)]
    assert event.changes["needs"] == {"old": 2, "new": 1}
    (event,) = events(Action.PLAN_ITEM_NEEDS_LINKED, first)
    assert event.detail["supersedes"] is None
    assert event.changes["needs"] == {"old": None, "new": 2}


def test_an_item_may_be_linked_to_no_need_at_all(parent: User, freddie_family_case: Case) -> None:
    version = demo_draft(freddie_family_case)
    links = link_item_needs(
        actor=parent,
        version=version,
        section="G",
        item_key=key_of(version, "G", DEMO_DRAFT_PLAN["G"]),
        need_keys=[],
    )
    assert links.need_keys == []
    item = plan_provision(version, version.section_texts()).item("G", links.item_key)
    assert item is not None and item.links is not None and item.needs == []


def test_a_need_that_is_not_in_section_b_is_refused_with_an_error_on_the_needs(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    with pytest.raises(DomainError, match="Select needs from Section B") as refused:
        link_item_needs(
            actor=parent,
            version=version,
            section="F",
            item_key=key_of(version, "F", F_PASSAGE),
            need_keys=[text_key(ROUTINE_NEED), text_key("Not a need in this plan.")],
        )
    assert refused.value.field == "needs"
    # An item that is not in the section is refused too: the keys come from the text.
    with pytest.raises(DomainError, match="not in the version's confirmed sections"):
        link_item_needs(
            actor=parent,
            version=version,
            section="G",
            item_key=key_of(version, "F", F_PASSAGE),
            need_keys=[],
        )
    assert not ItemNeedLinks.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PLAN_ITEM_NEEDS_LINKED).exists()


def test_an_unconfirmed_version_has_no_links(parent: User, freddie_family_case: Case) -> None:
    version = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    with pytest.raises(DomainError, match="Confirm the version's sections first"):
        link_item_needs(
            actor=parent,
            version=version,
            section="F",
            item_key=key_of(version, "F", F_PASSAGE),
            need_keys=[],
        )
    assert not ItemNeedLinks.objects.exists()


@pytest.mark.parametrize("persona", ["advocate", "outsider", "other_parent", "worker"])
def test_only_the_family_links_provision_to_needs(
    persona: str, request: pytest.FixtureRequest, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    with pytest.raises(NotPermittedError):
        link_item_needs(
            actor=request.getfixturevalue(persona),
            version=version,
            section="F",
            item_key=key_of(version, "F", F_PASSAGE),
            need_keys=[],
        )
    assert not ItemNeedLinks.objects.exists()


def test_a_need_the_family_links_to_provision_is_no_longer_flagged(parent: User) -> None:
    version = confirmed_version(parent, poppy_case(), POPPY_PLAN)
    assert unmet_flags(version) == [ANXIETY_NEED]
    provision = plan_provision(version, version.section_texts())
    assert [need.text for need in provision.unmet] == [ANXIETY_NEED]
    link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key_of(version, "F", QUIET_SPACE),
        need_keys=[text_key(ANXIETY_NEED)],
    )
    assert unmet_flags(version) == []
    provision = plan_provision(version, version.section_texts())
    assert provision.unmet == []
    assert item_needs_for_analysis(provision) == {QUIET_SPACE: [ANXIETY_NEED]}
    # The literacy programme, not linked yet, still meets the reading need by its words.
    literacy = provision.item("F", key_of(version, "F", LITERACY))
    assert literacy is not None and literacy.links is None
    assert [need.text for need in literacy.needs] == [READING_NEED]


def test_unlinking_the_item_the_analyser_matched_flags_the_need(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    assert unmet_flags(version) == []
    link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key_of(version, "F", F_PASSAGE),
        need_keys=[],
    )
    assert unmet_flags(version) == [ROUTINE_NEED]
    provision = plan_provision(version, version.section_texts())
    assert [need.text for need in provision.unmet] == [ROUTINE_NEED]
    # The family changes their mind: the need is met again, by the therapy item this time.
    link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key_of(version, "F", THERAPY),
        need_keys=[text_key(LANGUAGE_NEED), text_key(ROUTINE_NEED)],
    )
    assert unmet_flags(version) == []


def test_links_in_section_g_do_not_meet_needs_for_section_f(
    parent: User, freddie_family_case: Case
) -> None:
    """Section F must make provision for each need; health provision in G does not count."""
    version = demo_draft(freddie_family_case)
    link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key_of(version, "F", F_PASSAGE),
        need_keys=[],
    )
    link_item_needs(
        actor=parent,
        version=version,
        section="G",
        item_key=key_of(version, "G", DEMO_DRAFT_PLAN["G"]),
        need_keys=[text_key(ROUTINE_NEED)],
    )
    assert unmet_flags(version) == [ROUTINE_NEED]


# --- Where a passage sits ----------------------------------------------------------------------

SECTION = "Support from a teaching assistant\nas appropriate, in class and at break."


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ("a teaching assistant", "a teaching assistant"),
        ("  a teaching assistant  ", "a teaching assistant"),
        ("assistant as   appropriate", "assistant\nas appropriate"),
        ("assistant\r\nas appropriate,\tin", "assistant\nas appropriate, in"),
        ("SUPPORT FROM a Teaching", "Support from a teaching"),
        ("Teaching  Assistant AS appropriate", "teaching assistant\nas appropriate"),
    ],
)
def test_a_passage_is_found_exactly_or_with_spaces_or_capitals_differing(
    passage: str, expected: str
) -> None:
    span = locate_passage(SECTION, passage)
    assert span is not None
    start, end = span
    assert SECTION[start:end] == expected


@pytest.mark.parametrize("passage", ["", "   ", "a speech therapist", "assistant as needed"])
def test_a_passage_that_is_not_there_is_not_found(passage: str) -> None:
    assert locate_passage(SECTION, passage) is None


def test_a_passage_with_regex_characters_is_read_as_words() -> None:
    text = "Review (each term) by the SENCo [or deputy]. Cost: £1.50+ per session?"
    span = locate_passage(text, "(each  term) by")
    assert span is not None and text[span[0] : span[1]] == "(each term) by"
    assert locate_passage(text, "£1.50+ per session?") is not None
    assert locate_passage(text, "(each.term)") is None


# --- Annotations -------------------------------------------------------------------------------


def test_an_annotation_keeps_where_its_passage_sits_and_is_audited(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    document = case_document(freddie_family_case)
    annotation = annotate(
        parent,
        version,
        concern="  It does not say who prepares it.\r\n\r\nOr when.  ",
        evidence_ids=[str(document.id)],
    )
    text = version.section_texts()["F"]
    assert annotation.start is not None and annotation.end is not None
    assert text[annotation.start : annotation.end] == F_PASSAGE == annotation.passage
    assert annotation.start == text.index(F_PASSAGE)
    assert annotation.concern == "It does not say who prepares it.\n\nOr when."
    assert annotation.proposed_wording == PROPOSED
    assert annotation.status == AnnotationStatus.OPEN
    assert (annotation.created_by, annotation.version) == (parent, version)
    assert not annotation.is_whole_section
    assert list(annotation.evidence.all()) == [document]
    (event,) = events(Action.ANNOTATION_ADDED, annotation)
    assert event.case_id == freddie_family_case.id and event.actor == parent
    assert event.detail == {
        "version": str(version.id),
        "section": "F",
        "status": "open",
        "whole_section": False,
        "evidence": [str(document.id)],
    }
    assert "prepares" not in str(event.detail)


def test_a_passage_copied_with_other_spaces_and_capitals_keeps_the_plans_own_words(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(
        parent,
        version,
        section="B",
        passage="he  becomes ANXIOUS at\nchanges of routine",
    )
    text = version.section_texts()["B"]
    assert annotation.passage == "he becomes anxious at changes of routine"
    assert annotation.start is not None and annotation.end is not None
    assert text[annotation.start : annotation.end] == annotation.passage


def test_an_annotation_with_no_passage_is_about_the_whole_section(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version, section="D", passage="  \n ", proposed_wording="")
    assert (annotation.start, annotation.end, annotation.passage) == (None, None, "")
    assert annotation.is_whole_section
    (event,) = events(Action.ANNOTATION_ADDED, annotation)
    assert event.detail["whole_section"] is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"section": "Z"}, "section", "Select the section"),
        ({"section": ""}, "section", "Select the section"),
        ({"passage": "Weekly sessions with a therapist."}, "passage", "word for word"),
        # The passage is in Section F, not in the section chosen.
        ({"section": "E"}, "passage", "copied from Section E of this version"),
        ({"concern": " \r\n "}, "concern", "Enter your concern"),
        (
            {"concern": "x" * (CONCERN_LENGTH + 1)},
            "concern",
            "Your concern must be 4,000 characters or fewer",
        ),
        (
            {"proposed_wording": "x" * (WORDING_LENGTH + 1)},
            "proposed_wording",
            "The proposed wording must be 8,000 characters or fewer",
        ),
        ({"status": "closed"}, "status", "Select where the concern stands"),
        ({"status": ""}, "status", "Select where the concern stands"),
    ],
)
def test_an_annotation_that_breaks_a_rule_is_refused_on_the_right_field(
    changes: dict[str, Any],
    field: str,
    message: str,
    parent: User,
    freddie_family_case: Case,
) -> None:
    version = demo_draft(freddie_family_case)
    with pytest.raises(DomainError, match=message) as refused:
        annotate(parent, version, **changes)
    assert refused.value.field == field
    assert not Annotation.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ANNOTATION_ADDED).exists()


def test_the_longest_concern_and_wording_allowed_are_kept(
    parent: User, freddie_family_case: Case
) -> None:
    annotation = annotate(
        parent,
        demo_draft(freddie_family_case),
        concern="x" * CONCERN_LENGTH,
        proposed_wording="y" * WORDING_LENGTH,
    )
    assert len(annotation.concern) == CONCERN_LENGTH
    assert len(annotation.proposed_wording) == WORDING_LENGTH


def test_evidence_must_be_a_current_document_of_the_case(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    elsewhere = other_case_document(freddie_family_case)
    for evidence in ([str(elsewhere.id)], ["not-a-document"]):
        with pytest.raises(DomainError, match="Select documents from this case") as refused:
            annotate(parent, version, evidence_ids=evidence)
        assert refused.value.field == "evidence"
    assert not Annotation.objects.exists()


def test_an_unconfirmed_version_cannot_be_annotated(
    parent: User, freddie_family_case: Case
) -> None:
    version = typed(parent, freddie_family_case, PlanKind.FINAL, days=0)
    with pytest.raises(DomainError, match="Confirm the version's sections first"):
        annotate(parent, version, section="F", passage="")
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("persona", ["advocate", "outsider", "other_parent", "worker"])
def test_only_the_family_annotates_or_changes_an_annotation(
    persona: str, request: pytest.FixtureRequest, parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    user = request.getfixturevalue(persona)
    with pytest.raises(NotPermittedError):
        annotate(user, version)
    annotation = annotate(parent, version)
    with pytest.raises(NotPermittedError):
        change_annotation(
            actor=user, annotation=annotation, content=annotation_content(status="agreed")
        )
    annotation.refresh_from_db()
    assert annotation.status == AnnotationStatus.OPEN
    assert Annotation.objects.count() == 1
    assert not AuditEvent.objects.filter(action=Action.ANNOTATION_CHANGED).exists()


def test_a_change_is_audited_with_the_old_and_new_status_and_the_parts_changed(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    document = case_document(freddie_family_case)
    changed = change_annotation(
        actor=parent,
        annotation=annotation,
        content=annotation_content(
            passage="every day",
            concern="Every day is not enough: before each change too.",
            status=AnnotationStatus.RAISED,
            evidence_ids=[str(document.id)],
        ),
    )
    changed.refresh_from_db()
    text = version.section_texts()["F"]
    assert changed.passage == "every day"
    assert changed.start == text.index("every day") and changed.end == changed.start + 9
    assert changed.status == AnnotationStatus.RAISED
    assert changed.updated_at > changed.created_at
    assert list(changed.evidence.all()) == [document]
    (event,) = events(Action.ANNOTATION_CHANGED, annotation)
    assert event.actor == parent and event.case_id == freddie_family_case.id
    assert event.changes == {"status": {"old": "Open", "new": "Raised with the council"}}
    assert event.detail["changed"] == ["passage", "concern", "evidence"]
    assert event.detail["evidence"] == [str(document.id)]
    assert "before each change" not in str(event.detail)
    # Only where it stands changes: no part is listed as changed.
    change_annotation(
        actor=parent,
        annotation=changed,
        content=annotation_content(
            passage="every day",
            concern="Every day is not enough: before each change too.",
            status=AnnotationStatus.REFUSED,
            evidence_ids=[str(document.id)],
        ),
    )
    latest = AuditEvent.objects.filter(action=Action.ANNOTATION_CHANGED).order_by("-sequence")[0]
    assert latest.changes == {"status": {"old": "Raised with the council", "new": "Refused"}}
    assert latest.detail["changed"] == []


def test_the_whole_section_and_another_section_are_changes_too(
    parent: User, freddie_family_case: Case
) -> None:
    annotation = annotate(parent, demo_draft(freddie_family_case))
    changed = change_annotation(
        actor=parent,
        annotation=annotation,
        content=annotation_content(section="G", passage="", proposed_wording=""),
    )
    assert (changed.section, changed.start, changed.end, changed.passage) == ("G", None, None, "")
    (event,) = events(Action.ANNOTATION_CHANGED, annotation)
    assert event.detail["changed"] == ["section", "passage", "proposed_wording"]
    assert event.changes == {}


def test_saving_an_annotation_unchanged_writes_no_event(
    parent: User, freddie_family_case: Case
) -> None:
    annotation = annotate(parent, demo_draft(freddie_family_case))
    before = annotation.updated_at
    # The same words, typed with other spaces and line endings, are the same annotation.
    same = annotation_content(
        passage="Visual timetable and warnings\r\nbefore changes of routine, every day.",
        concern="  It does not say who prepares the timetable or how far ahead he is warned. ",
    )
    change_annotation(actor=parent, annotation=annotation, content=same)
    annotation.refresh_from_db()
    assert annotation.updated_at == before
    assert not AuditEvent.objects.filter(action=Action.ANNOTATION_CHANGED).exists()


def test_a_change_that_breaks_a_rule_changes_nothing(
    parent: User, freddie_family_case: Case
) -> None:
    annotation = annotate(parent, demo_draft(freddie_family_case))
    with pytest.raises(DomainError) as refused:
        change_annotation(
            actor=parent,
            annotation=annotation,
            content=annotation_content(passage="Not in the plan at all", status="agreed"),
        )
    assert refused.value.field == "passage"
    annotation.refresh_from_db()
    assert (annotation.passage, annotation.status) == (F_PASSAGE, AnnotationStatus.OPEN)
    assert not AuditEvent.objects.filter(action=Action.ANNOTATION_CHANGED).exists()


def test_the_database_refuses_a_passage_span_that_is_half_given_or_empty(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    for start, end in ((3, None), (None, 3), (5, 5), (6, 2)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Annotation.objects.create(
                version=version,
                section="F",
                start=start,
                end=end,
                passage="x",
                concern="Bad span",
                created_by=parent,
            )
    assert not Annotation.objects.exists()


# --- Comments ----------------------------------------------------------------------------------


def unquantified_key(version: PlanVersion) -> str:
    return next(state.key for state in plan_flags(version) if state.flag.code == "unquantified")


def test_the_advocate_comments_on_a_flag_an_annotation_and_a_note(
    parent: User, advocate: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    annotation = annotate(parent, version)
    note = final_note(freddie_family_case)
    on_flag = add_comment(
        actor=advocate,
        case=freddie_family_case,
        body="  Ask for the hours in writing.\r\n",
        version=version,
        flag_key=key,
    )
    on_annotation = add_comment(
        actor=advocate, case=freddie_family_case, body="Strong point.", annotation=annotation
    )
    on_note = add_comment(actor=advocate, case=freddie_family_case, body="Chase this.", entry=note)
    assert (on_flag.version, on_flag.flag_key, on_flag.annotation, on_flag.entry) == (
        version,
        key,
        None,
        None,
    )
    assert on_flag.body == "Ask for the hours in writing."
    assert (on_annotation.version, on_annotation.flag_key, on_annotation.annotation) == (
        None,
        "",
        annotation,
    )
    assert (on_note.version, on_note.entry, on_note.author) == (None, note, advocate)
    subjects = {"flag": key, "annotation": str(annotation.id), "note": str(note.id)}
    for comment, on in ((on_flag, "flag"), (on_annotation, "annotation"), (on_note, "note")):
        assert comment.case == freddie_family_case
        (event,) = events(Action.COMMENT_ADDED, comment)
        assert event.actor == advocate and event.case_id == freddie_family_case.id
        assert event.detail == {"on": on, "subject": subjects[on]}
    assert comments_on(version=version, flag_keys=[key]) == [on_flag]
    assert comments_on(version=version, flag_keys=["another"]) == []
    assert comments_on(annotation_ids=[annotation.id]) == [on_annotation]
    assert comments_on(entry=note) == [on_note]
    # The comment changes nothing of what it is about.
    annotation.refresh_from_db()
    assert annotation.status == AnnotationStatus.OPEN


def test_the_family_comments_too_and_comments_come_oldest_first(
    parent: User, advocate: User, freddie_family_case: Case
) -> None:
    note = final_note(freddie_family_case)
    first = add_comment(actor=advocate, case=freddie_family_case, body="One", entry=note)
    second = add_comment(actor=parent, case=freddie_family_case, body="Two", entry=note)
    assert comments_on(entry=note) == [first, second]


@pytest.mark.parametrize("persona", ["outsider", "other_parent", "worker"])
def test_someone_who_does_not_see_the_case_cannot_comment(
    persona: str, request: pytest.FixtureRequest, parent: User, freddie_family_case: Case
) -> None:
    user = request.getfixturevalue(persona)
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    for subject in (
        {"version": version, "flag_key": unquantified_key(version)},
        {"annotation": annotation},
        {"entry": final_note(freddie_family_case)},
    ):
        with pytest.raises(NotPermittedError):
            add_comment(actor=user, case=freddie_family_case, body="Let me in", **subject)
    assert not Comment.objects.exists()


def test_a_comment_on_something_of_another_case_is_refused(
    parent: User, advocate: User, freddie_family_case: Case
) -> None:
    # Poppy's plan: the Morgans' too, but the advocate's grant is for Freddie's case only.
    poppy_version = confirmed_version(parent, poppy_case(), POPPY_PLAN)
    poppy_annotation = annotate(
        parent, poppy_version, section="B", passage=ANXIETY_NEED, proposed_wording=""
    )
    the_patels_note = final_note(aarav_case(), EntryKind.CASE_NOTE)
    for user in (advocate, parent):
        for subject in (
            {"version": poppy_version, "flag_key": plan_flags(poppy_version)[0].key},
            {"annotation": poppy_annotation},
            {"entry": the_patels_note},
        ):
            with pytest.raises(NotPermittedError):
                add_comment(actor=user, case=freddie_family_case, body="Wrong case", **subject)
    assert not Comment.objects.exists()


def test_a_case_that_is_not_an_ehcp_tracking_case_has_no_comments(worker: User) -> None:
    """Comments belong to the family's EHCP tracking cases, not a council's case records."""
    note = Entry.objects.filter(author=worker, status=EntryStatus.FINAL).first()
    assert note is not None and note.case.case_type != CaseType.EHCP_TRACKING
    with pytest.raises(NotPermittedError):
        add_comment(actor=worker, case=note.case, body="Not here", entry=note)
    assert not Comment.objects.exists()


def test_an_empty_or_too_long_comment_is_refused_on_the_body(
    advocate: User, freddie_family_case: Case
) -> None:
    note = final_note(freddie_family_case)
    for body, message in (
        (" \r\n ", "Enter your comment"),
        ("x" * (COMMENT_LENGTH + 1), "Your comment must be 4,000 characters or fewer"),
    ):
        with pytest.raises(DomainError, match=message) as refused:
            add_comment(actor=advocate, case=freddie_family_case, body=body, entry=note)
        assert refused.value.field == "body"
    assert not Comment.objects.exists()
    longest = add_comment(
        actor=advocate, case=freddie_family_case, body="x" * COMMENT_LENGTH, entry=note
    )
    assert len(longest.body) == COMMENT_LENGTH


def test_a_comment_is_about_exactly_one_thing(
    parent: User, advocate: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    note = final_note(freddie_family_case)
    annotation = annotate(parent, version)
    for subject in (
        {},
        {"version": version},  # a version with no flag is not a subject
        {"annotation": annotation, "entry": note},
        {"version": version, "flag_key": unquantified_key(version), "entry": note},
    ):
        with pytest.raises(DomainError, match="one flag, annotation or note"):
            add_comment(actor=advocate, case=freddie_family_case, body="Which?", **subject)
    assert not Comment.objects.exists()


def raw_refused(table: str, obj: Model) -> Callable[[str], None]:
    """Run a raw statement about the row; the database must refuse it."""
    assert obj._meta.pk is not None
    db_id = obj._meta.pk.get_db_prep_value(obj.pk, connection)

    def attempt(statement: str) -> None:
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement.format(table=table), [db_id])

    return attempt


def test_the_database_refuses_to_change_or_delete_a_comment(
    advocate: User, freddie_family_case: Case
) -> None:
    comment = add_comment(
        actor=advocate,
        case=freddie_family_case,
        body="As written",
        entry=final_note(freddie_family_case),
    )
    rows = Comment.objects.filter(pk=comment.pk)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        rows.update(body="Rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        rows.delete()
    refused = raw_refused("ehcp_comment", comment)
    refused("UPDATE {table} SET body = 'Rewritten' WHERE id = %s")
    refused("DELETE FROM {table} WHERE id = %s")
    comment.refresh_from_db()
    assert comment.body == "As written"


def test_the_database_refuses_to_change_or_delete_a_link(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    links = link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=key_of(version, "F", F_PASSAGE),
        need_keys=[text_key(ROUTINE_NEED)],
    )
    rows = ItemNeedLinks.objects.filter(pk=links.pk)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        rows.update(need_keys=[])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        rows.delete()
    refused = raw_refused("ehcp_itemneedlinks", links)
    refused("UPDATE {table} SET number = 7 WHERE id = %s")
    refused("DELETE FROM {table} WHERE id = %s")
    links.refresh_from_db()
    assert (links.number, links.need_keys) == (1, [text_key(ROUTINE_NEED)])


def test_the_database_refuses_a_comment_about_no_thing_or_two(
    parent: User, advocate: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    annotation = annotate(parent, version)
    note = final_note(freddie_family_case)
    for subject in (
        {},
        {"version": version},
        {"version": version, "flag_key": "k", "annotation": annotation},
        {"annotation": annotation, "entry": note},
        {"version": version, "flag_key": "k", "entry": note},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(case=freddie_family_case, body="Bad", author=advocate, **subject)
    assert not Comment.objects.exists()


# --- The working document ----------------------------------------------------------------------


def test_the_working_document_puts_each_annotation_where_its_passage_is(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    texts = version.section_texts()
    wording = annotate(parent, version)
    friend = "He wants to have a friend to play with at break time."
    note_only = annotate(
        parent,
        version,
        section="A",
        passage=friend,
        concern="Say how he will be helped to make friends.",
        proposed_wording="",
        status=AnnotationStatus.RAISED,
    )
    whole = annotate(
        parent,
        version,
        section="G",
        passage="",
        concern="Six months is too long.",
        proposed_wording="Audiology reviews every three months.",
    )
    whole_note = annotate(
        parent, version, section="C", passage="", concern="Name the clinic.", proposed_wording=""
    )
    document = working_document(version, prepared_on="1 December 2026")
    assert [section.key for section in document.sections] == list("ABCDEFGHIJK")
    assert [section.council_text for section in document.sections] == list(texts.values())
    changes = {section.key: list(section.changes) for section in document.sections}
    assert wording.start is not None and wording.end is not None
    assert changes["F"] == [
        Change(
            wording.start,
            wording.end,
            PROPOSED,
            "(open) It does not say who prepares the timetable or how far ahead he is warned.",
        )
    ]
    assert texts["F"][wording.start : wording.end] == F_PASSAGE
    # A concern with no wording proposed strikes nothing: a note after the passage.
    after_friend = texts["A"].index(friend) + len(friend)
    assert note_only.end == after_friend
    assert changes["A"] == [
        Change(
            after_friend,
            after_friend,
            "",
            "(raised with the council) Say how he will be helped to make friends.",
        )
    ]
    assert whole.is_whole_section and whole_note.is_whole_section
    assert changes["G"] == [
        Change(
            0,
            len(texts["G"]),
            "Audiology reviews every three months.",
            "(open) Six months is too long.",
        )
    ]
    assert changes["C"] == [Change(len(texts["C"]), len(texts["C"]), "", "(open) Name the clinic.")]
    assert all(not changes[key] for key in "BDEHIJK")
    assert document.sections[5].title == (
        "Section F: The special educational provision required by the child or young person"
    )
    assert any(freddie_family_case.reference in line for line in document.subtitle_lines)
    assert "Prepared 1 December 2026" in document.subtitle_lines


def test_annotations_in_one_section_come_in_the_order_of_their_passages(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    later = annotate(parent, version, passage="every day", proposed_wording="daily")
    earlier = annotate(parent, version, passage="Speech and language therapy", proposed_wording="")
    (section,) = [
        s for s in working_document(version, prepared_on="today").sections if s.key == "F"
    ]
    assert [change.end for change in section.changes] == [earlier.end, later.end]


def test_the_same_words_under_two_headings_are_two_items_linked_apart(parent: User) -> None:
    review = "Progress reviewed by the therapist every term for 30 minutes."
    sections = {
        **POPPY_PLAN,
        "F": f"Speech and language:\n\n{review}\n\nOccupational therapy:\n\n{review}",
    }
    version = confirmed_version(parent, poppy_case(), sections)
    first, second = plan_provision(version, version.section_texts()).section("F")
    assert first.item.text == second.item.text == review
    assert first.key != second.key
    link_item_needs(
        actor=parent,
        version=version,
        section="F",
        item_key=second.key,
        need_keys=[text_key(ANXIETY_NEED)],
    )
    first, second = plan_provision(version, version.section_texts()).section("F")
    assert first.links is None
    assert second.links is not None and [need.text for need in second.linked] == [ANXIETY_NEED]


def test_a_comment_is_refused_on_a_draft_note_or_a_flag_the_version_does_not_have(
    parent: User, freddie_family_case: Case
) -> None:
    version = demo_draft(freddie_family_case)
    with pytest.raises(DomainError, match="not one of the plan version's current flags"):
        add_comment(
            actor=parent, case=freddie_family_case, body="Hello", version=version, flag_key="0" * 64
        )
    draft = Entry.objects.filter(case=freddie_family_case).exclude(status=EntryStatus.FINAL).first()
    if draft is None:
        draft = Entry.objects.create(
            case=freddie_family_case,
            author=parent,
            kind=EntryKind.CASE_NOTE,
            status=EntryStatus.DRAFT,
            body="Not finished",
        )
    with pytest.raises(NotPermittedError):
        add_comment(actor=parent, case=freddie_family_case, body="Hello", entry=draft)
    assert not Comment.objects.exists()
