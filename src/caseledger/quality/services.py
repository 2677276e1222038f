"""The recording-quality assistant applied to a case's notes, and an organisation's choices.

Recording rule 12 (PRODUCT.md) and the council's guidance (seeds 003, 004): no confidential
information about other people, facts apart from opinions, respectful plain English with no
unexplained jargon, checked for spelling, concise and not repetitive; rule 11: emails are
stored as documents, never pasted. The analyser (`caseledger.domain.quality`) is pure; this
module gives it what only the database knows — the case's known people and the
organisation's settings — and keeps, with every finalised note, the findings that stood.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.quality import CODE_NAMES, CODES, AnalyserConfig, Finding, analyse
from caseledger.ledger.models import Entry
from caseledger.people.models import Child, Professional, RelatedAdult
from caseledger.quality.models import NoteFinding, QualitySettings

# Rule 11: a pasted email blocks finalising unless the organisation says otherwise. The rule
# is the council's recording policy: a family's own notes are its private narrative, and a
# family has no admin to change the settings, so there every finding is advice.
DEFAULT_BLOCKING = ("pasted_email",)
ADVICE_ONLY_KINDS = frozenset({Organisation.Kind.FAMILY, Organisation.Kind.ADVOCACY})
DEFAULT_GUIDE_LENGTH = 400
FEWEST_GUIDE_WORDS = 50
MOST_GUIDE_WORDS = 5000
MAX_GLOSSARY_ENTRIES = 500
MAX_LEXICON_WORDS = 2000

# Findings about the note as a whole: the check page links them to the note, not a passage.
WHOLE_NOTE_CODES = frozenset({"too_long"})

# What the author is asked to confirm to finalise despite a blocking finding.
CONFIRMATIONS: dict[str, str] = {
    "pasted_email": "I have checked: this is not a pasted email",
    "third_party_info": "I have checked: these details are needed in this note",
    "opinion_as_fact": "I have checked: these are facts, or opinions with their evidence",
    "jargon": "I have checked: these terms are explained or will be understood",
    "disrespectful": "I have checked: this wording is respectful",
    "spelling": "I have checked the spelling",
    "repetition": "I have checked: nothing is repeated needlessly",
    "too_long": "I have checked: this note needs its length",
}


@dataclass(frozen=True)
class Settings:
    """An organisation's assistant settings, defaults filled in."""

    enabled: tuple[str, ...]
    blocking: tuple[str, ...]
    glossary: dict[str, str]
    lexicon: tuple[str, ...]
    guide_length_words: int

    @classmethod
    def defaults(cls, kind: str = Organisation.Kind.LOCAL_AUTHORITY) -> Settings:
        return cls(
            enabled=CODES,
            blocking=() if kind in ADVICE_ONLY_KINDS else DEFAULT_BLOCKING,
            glossary={},
            lexicon=(),
            guide_length_words=DEFAULT_GUIDE_LENGTH,
        )


def settings_of(organisation: Organisation) -> Settings:
    row = QualitySettings.objects.filter(organisation=organisation).first()
    if row is None:
        return Settings.defaults(organisation.kind)
    return Settings(
        enabled=tuple(code for code in CODES if code in row.enabled_codes),
        blocking=tuple(code for code in CODES if code in row.blocking_codes),
        glossary=dict(row.glossary),
        lexicon=tuple(row.lexicon),
        guide_length_words=row.guide_length_words,
    )


def known_names_of(case: Case, *, author: User | None = None) -> tuple[str, ...]:
    """The people linked to the case, whose names a note may use (rule 12 is about others):
    the child and their brothers and sisters, the adults and professionals around the child,
    and the staff allocated to the case and writing the note."""
    child = case.child
    names: list[str] = []
    children = [child]
    if child.household_id is not None:
        children = list(Child.objects.filter(household_id=child.household_id))
    for each in children:
        names += [f"{each.first_names} {each.last_name}", each.preferred_name]
    child_ids = [each.id for each in children]
    names += RelatedAdult.objects.filter(child_id__in=child_ids).values_list("full_name", flat=True)
    names += Professional.objects.filter(child_id__in=child_ids).values_list("full_name", flat=True)
    allocated = (case.allocated_worker_id, case.allocated_manager_id)
    staff_ids = [staff for staff in allocated if staff is not None]
    names += User.objects.filter(pk__in=staff_ids).values_list("full_name", flat=True)
    if author is not None:
        names.append(author.full_name)
    return tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def config_for(
    organisation: Organisation, *, known_names: Sequence[str] = (), settings: Settings | None = None
) -> AnalyserConfig:
    chosen = settings or settings_of(organisation)
    return AnalyserConfig(
        enabled=frozenset(chosen.enabled),
        glossary=chosen.glossary,
        lexicon=frozenset(chosen.lexicon),
        guide_length_words=chosen.guide_length_words,
        known_names=tuple(known_names),
    )


@dataclass(frozen=True)
class Review:
    """What the assistant found in a note's text, and which findings stop it being finalised."""

    findings: list[Finding]
    blocking_codes: frozenset[str]

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.code in self.blocking_codes]

    @property
    def advice(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.code not in self.blocking_codes]

    def unconfirmed(self, confirmed: Iterable[str]) -> list[str]:
        """Blocking codes found and not confirmed by the author, in CODES order."""
        found = {finding.code for finding in self.blocking}
        return [code for code in CODES if code in found and code not in set(confirmed)]


def review_note(case: Case, body: str, *, author: User | None = None) -> Review:
    settings = settings_of(case.organisation)
    config = config_for(
        case.organisation, known_names=known_names_of(case, author=author), settings=settings
    )
    return Review(findings=analyse(body, config), blocking_codes=frozenset(settings.blocking))


def blocking_message(code: str) -> str:
    if code == "pasted_email":
        return "Store the email as a document, or confirm the text is not an email"
    return f"Put right what the assistant found ({CODE_NAMES[code].lower()}), or confirm it"


def check_can_finalise(review: Review, confirmed: Iterable[str]) -> None:
    """A blocking finding stops finalising until resolved or confirmed by the author."""
    missing = review.unconfirmed(confirmed)
    if missing:
        raise DomainError(blocking_message(missing[0]), field=f"confirm_{missing[0]}")


def record_findings(
    *, actor: User, entry: Entry, review: Review, confirmed: Iterable[str]
) -> list[NoteFinding]:
    """Keep the findings that stood when the note was finalised, with it, in the finaliser's
    transaction. A blocking finding the author confirmed is kept as resolved, with what they
    confirmed; the rest are the "finalised notes with unresolved findings" of the dashboards."""
    assert entry.finalised_at is not None
    # Only a blocking finding is confirmed away: advice cannot be marked resolved by sending
    # a confirmation the page never offered (the dashboards count what is left).
    confirmed_codes = set(confirmed) & review.blocking_codes
    rows = [
        NoteFinding(
            entry=entry,
            organisation_id=entry.case.organisation_id,
            case_id=entry.case_id,
            author=actor,
            finalised_at=entry.finalised_at,
            code=finding.code,
            start=finding.start,
            end=finding.end,
            message=finding.message,
            suggestion=finding.suggestion or "",
            resolved=finding.code in confirmed_codes,
            resolution_reason=CONFIRMATIONS[finding.code]
            if finding.code in confirmed_codes
            else "",
        )
        for finding in review.findings
    ]
    NoteFinding.objects.bulk_create(rows)
    return rows


# --- Settings ----------------------------------------------------------------------------------


def can_change_settings(user: User, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_organisation_admin
        and user.organisation_id == organisation.pk
    )


def parse_glossary(text: str) -> dict[str, str]:
    """One abbreviation a line, "CIN = child in need" (or a colon, or a tab)."""
    glossary: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for separator in ("=", ":", "\t"):
            if separator in line:
                term, expansion = (part.strip() for part in line.split(separator, 1))
                break
        else:
            term, expansion = line, ""
        if not term or not expansion:
            raise DomainError(
                f"Line {number} of the glossary must be an abbreviation, an equals sign and "
                'what it stands for, like "CIN = child in need"',
                field="glossary",
            )
        if len(term) > 20 or len(expansion) > 200:
            raise DomainError(
                f"Line {number} of the glossary is too long: abbreviations must be 20 "
                "characters or fewer and what they stand for 200 or fewer",
                field="glossary",
            )
        glossary[term] = expansion
    if len(glossary) > MAX_GLOSSARY_ENTRIES:
        raise DomainError(
            f"The glossary can have up to {MAX_GLOSSARY_ENTRIES} abbreviations", field="glossary"
        )
    return glossary


def glossary_text(glossary: Mapping[str, str]) -> str:
    return "\n".join(f"{term} = {expansion}" for term, expansion in sorted(glossary.items()))


def parse_lexicon(text: str) -> list[str]:
    """Words the spelling check accepts: one a line, or separated by commas."""
    words = [word.strip() for line in text.splitlines() for word in line.split(",")]
    words = list(dict.fromkeys(word for word in words if word))
    too_long = next((word for word in words if len(word) > 60 or " " in word), None)
    if too_long is not None:
        raise DomainError(
            f"Enter one word at a time: “{too_long[:60]}” is not a single word", field="lexicon"
        )
    if len(words) > MAX_LEXICON_WORDS:
        raise DomainError(
            f"The word list can have up to {MAX_LEXICON_WORDS} words", field="lexicon"
        )
    return sorted(words, key=str.casefold)


@transaction.atomic
def change_settings(
    *,
    actor: User,
    organisation: Organisation,
    enabled: Sequence[str],
    blocking: Sequence[str],
    glossary: Mapping[str, str],
    lexicon: Sequence[str],
    guide_length_words: int,
) -> QualitySettings:
    """An organisation admin chooses which checks run and which block finalising, the
    organisation's glossary and word list, and its guide length for a case note."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not can_change_settings(actor, organisation):
        raise NotPermittedError
    unknown = (set(enabled) | set(blocking)) - set(CODES)
    if unknown:
        raise DomainError("Select checks from the list", field="enabled")
    if set(blocking) - set(enabled):
        raise DomainError(
            "A check can only stop a note being finalised if it runs: select it in both lists",
            field="blocking",
        )
    if not FEWEST_GUIDE_WORDS <= guide_length_words <= MOST_GUIDE_WORDS:
        raise DomainError(
            f"Enter a guide length from {FEWEST_GUIDE_WORDS} to {MOST_GUIDE_WORDS} words",
            field="guide_length_words",
        )
    before = settings_of(organisation)
    row, _ = QualitySettings.objects.get_or_create(
        organisation=organisation,
        defaults={
            "enabled_codes": list(before.enabled),
            "blocking_codes": list(before.blocking),
        },
    )
    row.enabled_codes = [code for code in CODES if code in enabled]
    row.blocking_codes = [code for code in CODES if code in blocking]
    row.glossary = dict(glossary)
    row.lexicon = list(lexicon)
    row.guide_length_words = guide_length_words
    row.updated_at = timezone.now()
    row.updated_by = actor
    row.save()
    record_event(
        actor=actor,
        action=Action.QUALITY_SETTINGS_CHANGED,
        obj=row,
        organisation=organisation,
        detail={
            "enabled": row.enabled_codes,
            "blocking": row.blocking_codes,
            "glossary_terms": len(row.glossary),
            "lexicon_words": len(row.lexicon),
            "guide_length_words": row.guide_length_words,
        },
    )
    return row


# --- Showing findings ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownFinding:
    """A finding as the note's pages list it: numbered, with the anchor of its mark."""

    number: int
    finding: Finding
    name: str
    excerpt: str
    blocking: bool

    @property
    def anchor(self) -> str:
        return f"finding-{self.number}"


EXCERPT_LENGTH = 80


def shown(review: Review, text: str) -> list[ShownFinding]:
    rows = []
    for number, finding in enumerate(review.findings, start=1):
        excerpt = " ".join(text[finding.start : finding.end].split())
        if len(excerpt) > EXCERPT_LENGTH:
            excerpt = excerpt[: EXCERPT_LENGTH - 1].rstrip() + "…"
        rows.append(
            ShownFinding(
                number=number,
                finding=finding,
                name=CODE_NAMES[finding.code],
                excerpt=excerpt,
                blocking=finding.code in review.blocking_codes,
            )
        )
    return rows
