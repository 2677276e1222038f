"""Working on a confirmed plan version: provision linked to needs, annotations and comments.

- Provision items (issue 7): Sections F, G and H are held as items (`split_items`), each of
  which the family links to the Section B needs it meets. The latest save for an item stands;
  an item never saved shows the analyser's suggestion. The links decide the
  `need_without_provision` flag: Section F must specify provision for each and every need in
  Section B (R v Secretary of State for Education, ex parte E [1992] 1 FLR 377).
- Annotations: the family's concern about a section or a passage of it, the wording they
  propose instead, the documents that prove it, and where it stands with the council (open,
  raised, agreed, refused). Every change is audited with its old and new values.
- Comments: an advocate the family shares with (or the family) comments on a flag, an
  annotation or a case note. Comments are the commenter's own record and change nothing of
  the family's; the database keeps them whole (migration 0008).

Every write here takes the acting user, runs in one transaction and writes its audit event in
that transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.ehcp import SECTIONS, Item, split_items
from caseledger.domain.ehcp.plan import link_needs, needs_in
from caseledger.domain.ehcp.working_document import (
    Change,
    WorkingDocument,
    WorkingSection,
)
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.access import can_add_plan_versions, can_comment
from caseledger.ehcp.models import (
    PROVISION_SECTIONS,
    Annotation,
    AnnotationStatus,
    Comment,
    ItemNeedLinks,
    PlanKind,
    PlanVersion,
)
from caseledger.ledger.models import Entry
from caseledger.vault.models import Document

CONCERN_LENGTH = 4000
WORDING_LENGTH = 8000
COMMENT_LENGTH = 4000


def text_key(text: str) -> str:
    """A stable name for an item or a need: the hash of its text, as a flag's key is."""
    return hashlib.sha256(text.encode()).hexdigest()


def item_key(item: Item, occurrence: int = 1) -> str:
    """A provision item's name: its heading, its words, and which time those words appear
    in the section (the same words may stand under two headings)."""
    return text_key(f"{item.heading}\n{item.text}\n{occurrence}")


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _require_family(actor: User, version: PlanVersion) -> None:
    if not can_add_plan_versions(actor, version.case):
        raise NotPermittedError


def _require_confirmed(version: PlanVersion) -> None:
    if not version.is_confirmed:
        raise DomainError("Confirm the version's sections first: until then they may change")


# --- Provision items and the needs they meet ---------------------------------------------------


@dataclass(frozen=True)
class Need:
    key: str
    text: str
    heading: str


@dataclass
class ProvisionItem:
    """One item of Section F, G or H, with the needs it meets: the family's links if they
    saved them (`links`), otherwise the analyser's suggestion."""

    section: str
    key: str
    item: Item
    suggested: list[Need]
    links: ItemNeedLinks | None = None
    linked: list[Need] = field(default_factory=list)

    @property
    def needs(self) -> list[Need]:
        return self.linked if self.links is not None else self.suggested


@dataclass
class PlanProvision:
    needs: list[Need]
    items: list[ProvisionItem]

    def section(self, key: str) -> list[ProvisionItem]:
        return [item for item in self.items if item.section == key]

    @property
    def sections(self) -> list[tuple[str, str, list[ProvisionItem]]]:
        return [(key, SECTIONS[key], self.section(key)) for key in PROVISION_SECTIONS]

    @property
    def unmet(self) -> list[Need]:
        """Needs no Section F item meets (by the family's links or the suggestion)."""
        met = {need.key for item in self.section("F") for need in item.needs}
        return [need for need in self.needs if need.key not in met]

    def item(self, section: str, key: str) -> ProvisionItem | None:
        return next(
            (item for item in self.items if item.section == section and item.key == key), None
        )


def latest_links(version: PlanVersion) -> dict[tuple[str, str], ItemNeedLinks]:
    latest: dict[tuple[str, str], ItemNeedLinks] = {}
    # Ordered by number, so the highest (the latest) is the one left standing.
    for links in (
        ItemNeedLinks.objects.filter(version=version)
        .select_related("linked_by")
        .order_by("section", "item_key", "number")
    ):
        latest[(links.section, links.item_key)] = links
    return latest


def plan_provision(version: PlanVersion, sections: dict[str, str]) -> PlanProvision:
    """The version's needs and its provision items with the needs each meets."""
    # Section B is split once; every section's suggestions are worked out against it.
    need_items = needs_in(sections["B"])
    needs = [Need(text_key(item.text), item.text, item.heading) for item in need_items]
    by_key = {need.key: need for need in needs}
    saved = latest_links(version)
    items: list[ProvisionItem] = []
    for section in PROVISION_SECTIONS:
        provision = split_items(sections[section])
        suggestion = link_needs(need_items, provision)
        meets: dict[int, list[Need]] = {}
        for need_index, item_indexes in suggestion.items():
            for item_index in item_indexes:
                meets.setdefault(item_index, []).append(needs[need_index])
        seen: dict[str, int] = {}
        for index, item in enumerate(provision):
            # The same words may stand twice in a section (under two headings): each is its
            # own item, named by its heading and which time the words appear.
            occurrence = seen[item.text] = seen.get(item.text, 0) + 1
            key = item_key(item, occurrence)
            links = saved.get((section, key))
            linked = (
                [by_key[need_key] for need_key in links.need_keys if need_key in by_key]
                if links is not None
                else []
            )
            items.append(ProvisionItem(section, key, item, meets.get(index, []), links, linked))
    return PlanProvision(needs, items)


def item_needs_for_analysis(provision: PlanProvision) -> dict[str, list[str]]:
    """The family's links of Section F items, as the analyser takes them."""
    decided: dict[str, list[str]] = {}
    for item in provision.section("F"):
        if item.links is not None:
            # Items with the same words are one item to the analyser: their links together.
            needs = decided.setdefault(item.item.text, [])
            needs.extend(need.text for need in item.linked if need.text not in needs)
    return decided


@transaction.atomic
def link_item_needs(
    *, actor: User, version: PlanVersion, section: str, item_key: str, need_keys: Sequence[str]
) -> ItemNeedLinks:
    """Record which Section B needs a provision item meets; supersedes the item's last save."""
    version = PlanVersion.objects.select_for_update().select_related("case").get(pk=version.pk)
    _require_family(actor, version)
    _require_confirmed(version)
    provision = plan_provision(version, version.section_texts())
    item = provision.item(section, item_key)
    if item is None:
        raise DomainError("This provision is not in the version's confirmed sections")
    known = {need.key for need in provision.needs}
    chosen = [key for key in dict.fromkeys(need_keys) if key in known]
    if len(chosen) != len(set(need_keys)):
        raise DomainError("Select needs from Section B of this version", field="needs")
    previous = item.links
    links = ItemNeedLinks(
        version=version,
        section=section,
        item_key=item_key,
        number=(previous.number if previous is not None else 0) + 1,
        need_keys=chosen,
        linked_by=actor,
    )
    links.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.PLAN_ITEM_NEEDS_LINKED,
        obj=links,
        organisation=version.case.organisation,
        case_id=version.case_id,
        changes={
            "needs": {
                "old": len(previous.need_keys) if previous is not None else None,
                "new": len(chosen),
            }
        },
        detail={
            "version": str(version.id),
            "section": section,
            "item_key": item_key,
            "need_keys": chosen,
            "supersedes": str(previous.id) if previous is not None else None,
        },
    )
    return links


# --- The professional reports behind the plan --------------------------------------------------


def report_texts(version: PlanVersion) -> list[str]:
    """The words of the version's chosen reports, as the background worker read them; a
    report not read yet (or a scan with no text) has none to check."""
    return [
        text
        for text in version.reports.order_by("title", "id").values_list("extracted_text", flat=True)
        if text.strip()
    ]


@transaction.atomic
def choose_reports(
    *, actor: User, version: PlanVersion, document_ids: Sequence[str]
) -> PlanVersion:
    """Choose which of the case's documents are the professional reports the plan should
    follow; their recommendations are checked against Section F (SEND Regulations 2014 reg 6
    advice must be reflected in the plan, Code of Practice 9.69)."""
    version = PlanVersion.objects.select_for_update().select_related("case").get(pk=version.pk)
    _require_family(actor, version)
    wanted = {str(value) for value in document_ids}
    documents = [
        document for document in case_documents(version.case) if str(document.id) in wanted
    ]
    if len(documents) != len(wanted):
        raise DomainError("Select documents from this case", field="reports")
    before = sorted(str(pk) for pk in version.reports.values_list("id", flat=True))
    after = sorted(str(document.id) for document in documents)
    if before == after:
        return version
    version.reports.set(documents)
    record_event(
        actor=actor,
        action=Action.PLAN_REPORTS_CHOSEN,
        obj=version,
        organisation=version.case.organisation,
        case_id=version.case_id,
        changes={"reports": {"old": len(before), "new": len(after)}},
        detail={"reports": after},
    )
    return version


# --- Annotations -------------------------------------------------------------------------------


def locate_passage(section_text: str, passage: str) -> tuple[int, int] | None:
    """Where the passage sits in the section: exactly, or with its spaces and line breaks
    differing (copied from a PDF or a web page). None when it is not there."""
    passage = passage.strip()
    if not passage:
        return None
    found = section_text.find(passage)
    if found >= 0:
        return found, found + len(passage)
    words = passage.split()
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    match = pattern.search(section_text)
    if match is None:
        match = re.compile(pattern.pattern, re.IGNORECASE).search(section_text)
    return (match.start(), match.end()) if match else None


def case_documents(case: Case) -> QuerySet[Document]:
    """The current documents on the case, which an annotation can cite as evidence."""
    return (
        Document.objects.filter(cases=case, is_current=True)
        .order_by("-uploaded_at", "id")
        .only("id", "title", "file_name", "document_date", "uploaded_at")
    )


@dataclass(frozen=True)
class AnnotationContent:
    section: str
    passage: str
    concern: str
    proposed_wording: str
    status: str
    evidence_ids: Sequence[str] = ()


def _checked(
    version: PlanVersion, content: AnnotationContent
) -> tuple[str, int | None, int | None, str, str, str, list[Document]]:
    if content.section not in SECTIONS:
        raise DomainError("Select the section", field="section")
    text = version.section_texts()[content.section]
    passage = _clean(content.passage)
    start: int | None = None
    end: int | None = None
    if passage:
        span = locate_passage(text, passage)
        if span is None:
            raise DomainError(
                f"The passage must be copied from Section {content.section} of this version, "
                "word for word",
                field="passage",
            )
        start, end = span
        passage = text[start:end]
    concern = _clean(content.concern)
    if not concern:
        raise DomainError("Enter your concern", field="concern")
    if len(concern) > CONCERN_LENGTH:
        raise DomainError(
            f"Your concern must be {CONCERN_LENGTH:,} characters or fewer", field="concern"
        )
    wording = _clean(content.proposed_wording)
    if len(wording) > WORDING_LENGTH:
        raise DomainError(
            f"The proposed wording must be {WORDING_LENGTH:,} characters or fewer",
            field="proposed_wording",
        )
    if content.status not in AnnotationStatus.values:
        raise DomainError("Select where the concern stands", field="status")
    wanted = set(dict.fromkeys(str(value) for value in content.evidence_ids))
    documents = [
        document for document in case_documents(version.case) if str(document.id) in wanted
    ]
    if len(documents) != len(wanted):
        raise DomainError("Select documents from this case", field="evidence")
    return passage, start, end, concern, wording, content.status, documents


@transaction.atomic
def add_annotation(*, actor: User, version: PlanVersion, content: AnnotationContent) -> Annotation:
    version = PlanVersion.objects.select_for_update().select_related("case").get(pk=version.pk)
    _require_family(actor, version)
    _require_confirmed(version)
    passage, start, end, concern, wording, status, documents = _checked(version, content)
    now = timezone.now()
    annotation = Annotation.objects.create(
        created_at=now,
        updated_at=now,
        version=version,
        section=content.section,
        start=start,
        end=end,
        passage=passage,
        concern=concern,
        proposed_wording=wording,
        status=status,
        created_by=actor,
    )
    annotation.evidence.set(documents)
    record_event(
        actor=actor,
        action=Action.ANNOTATION_ADDED,
        obj=annotation,
        organisation=version.case.organisation,
        case_id=version.case_id,
        detail={
            "version": str(version.id),
            "section": annotation.section,
            "status": status,
            "whole_section": start is None,
            "evidence": [str(document.id) for document in documents],
        },
    )
    return annotation


@transaction.atomic
def change_annotation(
    *, actor: User, annotation: Annotation, content: AnnotationContent
) -> Annotation:
    """Change an annotation: its words, its evidence or where it stands. The audit event keeps
    the old and new status and which parts changed (never the words themselves)."""
    annotation = (
        Annotation.objects.select_for_update()
        .select_related("version__case__organisation")
        .get(pk=annotation.pk)
    )
    version = annotation.version
    _require_family(actor, version)
    passage, start, end, concern, wording, status, documents = _checked(version, content)
    before_evidence = sorted(str(pk) for pk in annotation.evidence.values_list("id", flat=True))
    after_evidence = sorted(str(document.id) for document in documents)
    changed = [
        name
        for name, old, new in (
            ("section", annotation.section, content.section),
            ("passage", annotation.passage, passage),
            ("concern", annotation.concern, concern),
            ("proposed_wording", annotation.proposed_wording, wording),
            ("evidence", before_evidence, after_evidence),
        )
        if old != new
    ]
    old_status = annotation.status
    if not changed and old_status == status:
        return annotation
    annotation.section = content.section
    annotation.start, annotation.end, annotation.passage = start, end, passage
    annotation.concern, annotation.proposed_wording = concern, wording
    annotation.status = status
    annotation.updated_at = timezone.now()
    annotation.save()
    annotation.evidence.set(documents)
    changes = {}
    if old_status != status:
        changes["status"] = {
            "old": AnnotationStatus(old_status).label,
            "new": AnnotationStatus(status).label,
        }
    record_event(
        actor=actor,
        action=Action.ANNOTATION_CHANGED,
        obj=annotation,
        organisation=version.case.organisation,
        case_id=version.case_id,
        changes=changes,
        detail={"version": str(version.id), "changed": changed, "evidence": after_evidence},
    )
    return annotation


def annotations_of(version: PlanVersion) -> list[Annotation]:
    return list(
        Annotation.objects.filter(version=version)
        .select_related("created_by")
        .prefetch_related("evidence")
        .order_by("section", "start", "created_at", "id")
    )


# --- Comments ----------------------------------------------------------------------------------

Subject = Literal["flag", "annotation", "note"]


@transaction.atomic
def add_comment(
    *,
    actor: User,
    case: Case,
    body: str,
    version: PlanVersion | None = None,
    flag_key: str = "",
    annotation: Annotation | None = None,
    entry: Entry | None = None,
) -> Comment:
    """A comment on one flag, annotation or note of a case the commenter sees. It is their
    own record: it changes nothing of what it is about."""
    if not can_comment(actor, case):
        raise NotPermittedError
    subjects = [version is not None and bool(flag_key), annotation is not None, entry is not None]
    if subjects.count(True) != 1:
        raise DomainError("A comment is about one flag, annotation or note")
    for owner in (version, annotation.version if annotation else None, entry):
        if owner is not None and owner.case_id != case.id:
            raise NotPermittedError
    if entry is not None and not entry.is_final:
        raise NotPermittedError  # a draft is its author's alone
    if version is not None and flag_key:
        from caseledger.ehcp.services import plan_flag  # services builds on this module

        if plan_flag(version, flag_key) is None:
            raise DomainError("This flag is not one of the plan version's current flags")
    body = _clean(body)
    if not body:
        raise DomainError("Enter your comment", field="body")
    if len(body) > COMMENT_LENGTH:
        raise DomainError(
            f"Your comment must be {COMMENT_LENGTH:,} characters or fewer", field="body"
        )
    comment = Comment(
        case=case,
        version=version if annotation is None and entry is None else None,
        flag_key=flag_key if annotation is None and entry is None else "",
        annotation=annotation,
        entry=entry,
        body=body,
        author=actor,
    )
    comment.save(force_insert=True)
    subject = "flag" if comment.flag_key else "annotation" if annotation else "note"
    record_event(
        actor=actor,
        action=Action.COMMENT_ADDED,
        obj=comment,
        organisation=case.organisation,
        case_id=case.id,
        detail={
            "on": subject,
            "subject": str(
                (annotation.id if annotation else entry.id if entry else flag_key) or ""
            ),
        },
    )
    return comment


def comments_on(
    *,
    version: PlanVersion | None = None,
    flag_keys: Iterable[str] = (),
    annotation_ids: Iterable[object] = (),
    entry: Entry | None = None,
) -> list[Comment]:
    if entry is not None:
        found = Comment.objects.filter(entry=entry)
    elif version is not None:
        found = Comment.objects.filter(version=version, flag_key__in=list(flag_keys))
    else:
        found = Comment.objects.filter(annotation_id__in=list(annotation_ids))
    return list(found.select_related("author", "author__organisation").order_by("created_at"))


# --- The working document ----------------------------------------------------------------------


def working_document(version: PlanVersion, *, prepared_on: str) -> WorkingDocument:
    """The version laid out as a tribunal working document: the council's wording, with the
    family's proposed wording (from annotations that propose any) in bold after the words
    struck through; each concern as a note."""
    texts = version.section_texts()
    changes: dict[str, list[Change]] = {}
    for annotation in annotations_of(version):
        text = texts[annotation.section]
        start = annotation.start if annotation.start is not None else 0
        end = annotation.end if annotation.end is not None else len(text)
        if not annotation.proposed_wording:
            # A concern with no wording proposed strikes nothing: it is a note at the passage.
            start = end
        status = annotation.get_status_display().lower()
        changes.setdefault(annotation.section, []).append(
            Change(
                start=start,
                end=end,
                proposed=annotation.proposed_wording,
                note=f"({status}) {annotation.concern}",
            )
        )
    case = version.case
    kind = "draft" if version.kind == PlanKind.DRAFT else version.get_kind_display().lower()
    return WorkingDocument(
        title=f"Working document: {version.get_kind_display()} for {case.child.display_name}",
        subtitle_lines=[
            f"The {kind} issued {version.issued_on:%-d %B %Y}, case {case.reference}",
            f"Prepared {prepared_on}",
        ],
        sections=[
            WorkingSection(
                key=key,
                title=f"Section {key}: {title}",
                council_text=texts[key],
                changes=changes.get(key, ()),
            )
            for key, title in SECTIONS.items()
        ],
    )
