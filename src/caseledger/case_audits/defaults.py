"""The checklist every organisation starts from, drawn from the council's recording policy.

Each question is one of the recording rules in PRODUCT.md, asked of a case as a whole. An
organisation admin changes the words, adds questions, and stops asking any of them.
"""

from __future__ import annotations

# (question, guidance for the auditor)
DEFAULT_QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        "Case notes are finalised within the recording limit",
        "Rule 2: notes are written as soon as possible and finalised within the "
        "organisation's recording limit of the event.",
    ),
    (
        "Visits record whether the child was seen and seen alone",
        "Rule 7: every visit note says whether the child was seen, and whether seen alone.",
    ),
    (
        "Notes keep facts apart from opinions, and opinions are backed by evidence",
        "Rule 12: an opinion is marked as one and says what it rests on.",
    ),
    (
        "Emails are stored as documents, not pasted",
        "Rule 11: the email is stored in the evidence vault and the note summarises it.",
    ),
    (
        "Significant events are marked significant",
        "Rule 8: police involvement, a protection order, a death in the family and the like "
        "stand out in the chronology.",
    ),
    (
        "The child's voice and lived experience are recorded",
        "What the child said, did and felt, in their own words where possible, and what daily "
        "life is like for them.",
    ),
    (
        "Notes are respectful and in plain English",
        "Rule 12: no unexplained jargon or abbreviations; concise; written as if the child "
        "will read it one day.",
    ),
)
