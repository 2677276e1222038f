"""disrespectful: derogatory, blaming or dismissive words about the child, the family or
colleagues, and criticism of other teams (Appendix A: "Do not make disrespectful comments
about the person or about colleagues … Don't criticise other teams, systems or processes").

Someone's own words in quotation marks are what they said, and are not flagged.
"""

from __future__ import annotations

import re

from caseledger.domain.quality.text import inside

_DESCRIBE = "Describe what the person did or said instead."

# (pattern, suggestion)
_WORDS: tuple[tuple[str, str], ...] = (
    (r"lazy|laziness|layabouts?|dossers?", _DESCRIBE),
    (r"feckless|good[- ]for[- ]nothing|waste of space|lost cause|beyond help", _DESCRIBE),
    (
        r"attention[- ]seek(?:ing|er|ers)",
        "Describe the behaviour; the child may be seeking connection.",
    ),
    (
        r"kick(?:ed|ing|s)? off",
        "Describe what happened, for example 'shouted and threw a chair'.",
    ),
    (
        r"druggies?|junkies?|crackheads?|smackheads?|alkies?|a drunk|the drunk",
        ("Use person-first words, for example 'a person who uses drugs'."),
    ),
    (
        r"typical of (?:this|the|that) family|this family always|these people",
        ("Record this event on its own terms."),
    ),
    (r"(?:could|can|would)(?:n['’]t| not) be bothered", _DESCRIBE),
    (
        r"hysterical|whing(?:e)?ing|whingers?|ranted|ranting|stroppy|gobby|mouthy|"
        r"bolshy|sulk(?:ed|ing|y)|drama queen|playing the victim|played the victim|sob story",
        _DESCRIBE,
    ),
    (
        r"feral|scroungers?|spongers?|chavs?|scum|nutters?|psycho|retarded|slappers?|"
        r"stupid|idiots?|pathetic|a nightmare|nightmare family|problem family|brats?|spoilt brat",
        _DESCRIBE,
    ),
    (r"naughty", "Describe the behaviour and what was happening for the child."),
    (r"(?<!feel )(?<!feels )(?<!felt )(?<!feeling )hopeless", _DESCRIBE),
    (
        r"useless|incompetent|clueless",
        (
            "Record the facts of what was asked and what happened; raise concerns about "
            "another team with your manager, not in the note."
        ),
    ),
    (r"waste of (?:my )?time|pointless visit|yet another excuse|usual excuses?", _DESCRIBE),
)
_TEAMS = (
    r"(?:CAMHS|the school|school|the duty team|duty|the police|police|health|the health visitor|"
    r"housing|the front door|MASH|the GP|the hospital|legal|the nursery|the college|"
    r"the previous (?:worker|social worker|team)|the team|they|EDT|the IRO|the court|"
    r"children's services|social care|the council|the LA|the academy|the trust|management|"
    r"my manager|the manager)"
)
# Criticism of another team: a team, then what it is said to have failed to do.
_CRITICISM = re.compile(
    r"(?=[a-z])(?:failed|let (?:him|her|them|the family|the child|us) down|did nothing|"
    r"done nothing|do nothing|does nothing|dropped the ball|sat on|lost|ignored|"
    r"never (?:bother|respond|reply|replies|call|calls)|couldn['’]t care less|are a joke|"
    r"is a joke)\b(?: (?:again|as usual|yet again|the referral|it|this|everything|"
    r"to do anything))?",
    re.IGNORECASE,
)
_TEAM_BEFORE = re.compile(
    rf"\b{_TEAMS},? (?:have |has )?(?:as usual,? |yet again |once again |again )?$",
    re.IGNORECASE,
)
_CRITICISM_ALONE = re.compile(
    r"(?<![A-Za-z])(?=[a-z])(?:failed (?:again|yet again|as usual)|as usual,? did nothing|"
    r"did nothing as usual|dropped the ball|couldn['’]t care less|no help (?:at all|whatsoever))"
    r"\b",
    re.IGNORECASE,
)
_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(?=[a-z])(?:"
    + "|".join(f"(?P<w{i}>{p})" for i, (p, _) in enumerate(_WORDS))
    + r")\b",
    re.IGNORECASE,
)
TEAM_SUGGESTION = (
    "Record the facts of what was asked, of whom and when, and what happened; raise "
    "concerns about another team with your manager, not in the note."
)
MESSAGE = (
    "Case notes must be professional and respectful of the child, the family and colleagues, "
    "who may read them (recording rule 12)."
)
TEAM_MESSAGE = (
    "Case notes must not criticise other teams, systems or processes (recording rule 12 and "
    "the council's guidance): record the facts instead."
)


def find_disrespect(text: str, quoted: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, message, suggestion) of each derogatory or blaming phrase."""
    found: list[tuple[int, int, str, str]] = []
    for match in _PATTERN.finditer(text):
        if inside(quoted, match.start(), match.end()):
            continue
        for index, (_, suggestion) in enumerate(_WORDS):
            if match.group(f"w{index}"):
                found.append((match.start(), match.end(), MESSAGE, suggestion))
                break
    taken: list[tuple[int, int]] = []
    for match in _CRITICISM.finditer(text):
        if match.start() and text[match.start() - 1].isalpha():
            continue
        team = _TEAM_BEFORE.search(text, max(0, match.start() - 60), match.start())
        if team and not inside(quoted, team.start(), match.end()):
            taken.append((team.start(), match.end()))
    for match in _CRITICISM_ALONE.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in taken) and not inside(
            quoted, match.start(), match.end()
        ):
            taken.append((match.start(), match.end()))
    found.extend((start, end, TEAM_MESSAGE, TEAM_SUGGESTION) for start, end in taken)
    return sorted(found)
