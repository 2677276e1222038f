"""The recording-quality analyser: reads a case note and says what a recording auditor would
say about it, against the council's recording policy (PRODUCT.md, recording rules 11 and 12,
and the case-recording guidance). Advice, not a gate: the quality app decides what blocks.
Pure Python: no Django.
"""

from __future__ import annotations

from caseledger.domain.quality.disrespect import find_disrespect
from caseledger.domain.quality.emails import MESSAGE as EMAIL_MESSAGE
from caseledger.domain.quality.emails import SUGGESTION as EMAIL_SUGGESTION
from caseledger.domain.quality.emails import find_pasted_emails
from caseledger.domain.quality.findings import AnalyserConfig, Finding
from caseledger.domain.quality.glossary import DEFAULT_GLOSSARY
from caseledger.domain.quality.jargon import find_jargon
from caseledger.domain.quality.opinion import MESSAGE as OPINION_MESSAGE
from caseledger.domain.quality.opinion import SUGGESTION as OPINION_SUGGESTION
from caseledger.domain.quality.opinion import find_opinions
from caseledger.domain.quality.repetition import MESSAGE as REPETITION_MESSAGE
from caseledger.domain.quality.repetition import SUGGESTION as REPETITION_SUGGESTION
from caseledger.domain.quality.repetition import find_repetition
from caseledger.domain.quality.spelling import find_spelling
from caseledger.domain.quality.text import WORD, Sentences, quoted_spans
from caseledger.domain.quality.third_party import find_third_party

# "Far longer" than the guide: more than this many times its length.
TOO_LONG_FACTOR = 2

_DEFAULT_CONFIG = AnalyserConfig()


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def analyse(text: str, config: AnalyserConfig = _DEFAULT_CONFIG) -> list[Finding]:
    """The findings for `text`, sorted by where they start, then by code."""
    if not text.strip():
        return []
    enabled = config.enabled
    findings: list[Finding] = []
    sentences = Sentences(text)
    quoted = quoted_spans(text)

    emails = (
        find_pasted_emails(text)
        if "pasted_email" in enabled or "third_party_info" in enabled
        else []
    )
    for start, end in emails if "pasted_email" in enabled else ():
        findings.append(Finding("pasted_email", start, end, EMAIL_MESSAGE, EMAIL_SUGGESTION))

    def in_email(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in emails)

    if "third_party_info" in enabled:
        # Other people's details in a pasted email are still in the child's record.
        findings.extend(
            Finding("third_party_info", d.start, d.end, d.message, d.suggestion)
            for d in find_third_party(text, config.known_names, sentences, emails)
        )
    if "opinion_as_fact" in enabled:
        for start, end in _merge(find_opinions(text, sentences, quoted)):
            if not in_email(start, end):
                findings.append(
                    Finding("opinion_as_fact", start, end, OPINION_MESSAGE, OPINION_SUGGESTION)
                )
    if "jargon" in enabled:
        glossary = {**DEFAULT_GLOSSARY, **config.glossary}
        lexicon = frozenset(word.lower() for word in config.lexicon)
        # Jargon in a pasted email is still unexplained to the reader of the record.
        findings.extend(
            Finding("jargon", start, end, message, suggestion)
            for start, end, message, suggestion in find_jargon(text, glossary, lexicon)
        )
    if "disrespectful" in enabled:
        for start, end, message, suggestion in find_disrespect(text, quoted):
            if not in_email(start, end):
                findings.append(Finding("disrespectful", start, end, message, suggestion))
    if "spelling" in enabled:
        lexicon = frozenset(word.lower() for word in config.lexicon)
        for start, end, message, suggestion in find_spelling(text, lexicon, sentences):
            if not in_email(start, end):
                findings.append(Finding("spelling", start, end, message, suggestion))
    if "repetition" in enabled:
        for start, end in find_repetition(text, sentences):
            if not in_email(start, end):
                findings.append(
                    Finding("repetition", start, end, REPETITION_MESSAGE, REPETITION_SUGGESTION)
                )
    if "too_long" in enabled:
        words = count_words(text)
        if words > TOO_LONG_FACTOR * config.guide_length_words:
            findings.append(
                Finding(
                    "too_long",
                    0,
                    len(text),
                    f"This note is {words:,} words long; the guide is "
                    f"{config.guide_length_words:,}. Case notes should be thorough and concise "
                    "(the council's recording guidance, point 8): link to the assessment, "
                    "report or minutes for the detail.",
                    "Keep what happened, what was decided and what happens next; link to the "
                    "document that holds the rest.",
                )
            )
    findings.sort(key=lambda finding: (finding.start, finding.code, finding.end))
    return findings


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans of one code, as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


__all__ = ["analyse", "count_words"]
