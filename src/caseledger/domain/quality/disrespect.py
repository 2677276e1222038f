"""disrespectful: derogatory, blaming or dismissive words about the child, the family or
colleagues, and criticism of other teams (Appendix A: "Do not make disrespectful comments
about the person or about colleagues … Don't criticise other teams, systems or processes").

Someone's own words in quotation marks are what they said, and are not flagged.
"""

from __future__ import annotations

import re

from caseledger.domain.quality.text import inside, lowered, near

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
        r"typical of (?:this|the|that|these|those|his|her|their) (?:\w+ )?(?:family|families|"
        r"team|service|services|lot|people|agency|department|school|mum|dad|mother|father|"
        r"parents?|kids?|teenagers?|boys?|girls?|type|sort|kind)"
        r"|this family always|these people|people like (?:her|him|them|that|this)",
        ("Record this event on its own terms."),
    ),
    (
        r"(?:couldn['’]t|can['’]t|cannot|can not|could not|wouldn['’]t|would not|won['’]t|"
        r"will not|never)(?: even| really| ever)? be bothered",
        _DESCRIBE,
    ),
    (
        r"hysterical|whing(?:e)?ing|whingers?|ranted|ranting|stroppy|gobby|mouthy|"
        r"bolshy|sulk(?:ed|ing|y)|drama queen|playing the victim|played the victim|sob story|"
        r"(?:being|so|very|really|overly|over|over-|typically|totally) ?dramatic|"
        r"melodramatic|overdramatic|histrionic|precious about|"
        r"throwing (?:a |her |his )?tantrums?|tantrums? again|"
        r"pointless|shambles|shambolic|waste of space|(?:a |an )?(?:total |complete |utter )?"
        r"(?:waster|no-hoper|loser|dead ?beat|deadbeat|lowlife|low-life)s?|"
        r"ungrateful|(?:a )?liability|gormless|dim|dopey|a bit slow|mardy|moody cow|cow|"
        r"(?:silly|stupid|daft) (?:girl|boy|woman|man|cow|mare)|snowflakes?|thick|"
        r"lippy|whin(?:ing|ed|y|er|ers)|moan(?:ing|ed|er|ers)(?: again| on)?|mouth(?:ing|ed) off|"
        r"off (?:his|her|their) (?:head|face|trolley|rocker)|hormonal|pikeys?|gypp?os?|"
        r"over-?emotional|emotional wreck|gobshite",
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

# Strings one of which every match of the _WORDS pattern at the same index contains: each
# pattern is tried only near them (the note is read as the author types).
_WORD_TRIGGERS: tuple[tuple[str, ...], ...] = (
    ("laz", "layabout", "dosser"),
    ("feckless", "for nothing", "for-nothing", "waste of space", "lost cause", "beyond help"),
    ("attention",),
    ("kick",),
    ("drugg", "junk", "crackhead", "smackhead", "alkie", "drunk"),
    ("typical", "family always", "these people", "people like"),
    ("bothered",),
    (
        "hysteric",
        "whing",
        "ranted",
        "ranting",
        "stroppy",
        "gobby",
        "mouthy",
        "bolshy",
        "sulk",
        "drama",
        "victim",
        "sob story",
        "dramatic",
        "histrionic",
        "precious about",
        "tantrum",
        "pointless",
        "shambl",
        "waste of space",
        "waster",
        "no-hoper",
        "loser",
        "dead",
        "lowlife",
        "low-life",
        "ungrateful",
        "liability",
        "gormless",
        "dim",
        "dopey",
        "slow",
        "mardy",
        "cow",
        "silly",
        "stupid",
        "daft",
        "snowflake",
        "thick",
        "lippy",
        "whin",
        "moan",
        "mouth",
        "off his",
        "off her",
        "off their",
        "hormonal",
        "pikey",
        "gyp",
        "emotional",
        "gobshite",
    ),
    (
        "feral",
        "scrounger",
        "sponger",
        "chav",
        "scum",
        "nutter",
        "psycho",
        "retard",
        "slapper",
        "stupid",
        "idiot",
        "pathetic",
        "nightmare",
        "problem family",
        "brat",
    ),
    ("naughty",),
    ("hopeless",),
    ("useless", "incompetent", "clueless"),
    ("waste of", "pointless", "another excuse", "usual excuse"),
)

# Rarer wording, each group tried only when one of its trigger strings is in the note (the
# note is read as the author types, so each check must stay cheap).
# (triggers, pattern, suggestion)
_GATED_WORDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    # Dismissive asides about the family or the work.
    (
        ("not worth", "no point", "surprise", "as per", "here we go"),
        r"not worth (?:trying|bothering|the (?:effort|bother|hassle))|"
        r"no point (?:in )?(?:trying|bothering|visiting|calling)|"
        r"surprise,? surprise|as per usual|what a surprise|no surprises? there|"
        r"here we go again",
        "Record what was tried and what happened, and what you will do next.",
    ),
    # Labels for how a person behaves, instead of what they did.
    (
        (
            "off on one",
            "plot",
            "threw",
            "throw",
            "off against",
            "mess",
            "muck",
            "rings",
            "wool",
            "flyer",
            "wast",
            "hoard",
            "troublemaker",
            "thug",
            "yob",
            "lout",
            "vile",
            "nasty",
            "evil",
            "disgrace",
        ),
        r"(?:went|goes|go|going) off on one|lost the plot|"
        r"thr(?:ew|ows?|owing) (?:a |another |one of (?:his|her|their) )?"
        r"(?:strop|wobbly|hissy fit|paddy)|"
        r"play(?:s|ed|ing)? (?:\w+ ){1,2}off against|"
        r"(?:mess|muck)(?:es|ed|ing)? (?:professionals|services|agencies|people|everyone|us|"
        r"staff|workers|the \w+) (?:about|around)|"
        r"run(?:s|ning)? rings round|pull(?:s|ed|ing)? the wool|"
        r"frequent flyers?|wast(?:es|ed|ing) (?:(?:my|our|everyone['’]s|people['’]s|"
        r"professionals['’]?|police|hospital|ambulance|the|staff|their|services['’]?|"
        r"school|a&e) ){1,2}time|"
        r"hoarders?|troublemakers?|thugs?|yobs?|louts?|"
        r"vile|nasty piece of work|evil|a disgrace|disgraceful",
        _DESCRIBE,
    ),
    # How a home looks, in words that insult the people who live there.
    (
        ("sty", "hovel", "doss", "crack", "bomb", "complete", "total", "absolute", "dump", "tip"),
        r"pig ?sty|hovel|doss ?house|crack den|bomb ?site|(?:complete |total |"
        r"absolute |right )(?:tip|dump)",
        "Describe what you saw: the state of the rooms, food, bedding and hazards.",
    ),
    # Sexualised and victim-blaming words for children at risk of exploitation.
    (
        (
            "promisc",
            "sleep",
            "slag",
            "slut",
            "rent boy",
            "prostitut",
            "at risk",
            "lifestyle",
            "asked for",
            "brought it",
        ),
        r"promiscuous|sleep(?:s|ing)? around|slags?|sluts?|rent boys?|"
        r"prostitut(?:ing|es?) (?:herself|himself|themselves)|"
        r"put(?:s|ting)? (?:herself|himself|themselves) at risk|lifestyle choices?|"
        r"asked for it(?=\s*(?:[.!,;)]|$|\s(?:really|tbh|though|by|dressed|wearing|going)))|"
        r"brought it on (?:herself|himself|themselves)",
        "Children cannot consent to their own exploitation: describe what happened to the "
        "child and who harmed them.",
    ),
    # Insults about ability or mental health.
    (
        (
            "thick",
            "nutcase",
            "loon",
            "loop",
            "psycho",
            "schiz",
            "spastic",
            "mong",
            "simple-",
            "half",
            "moron",
            "imbecil",
            "mental",
        ),
        r"thick as|nutcases?|loony|loopy|psychos?|schizo|spastic|mong|simple-minded|"
        r"half-?wit|moron(?:s|ic)?|imbeciles?|gone mental|mental (?:case|one)",
        _DESCRIBE,
    ),
    # A parent judged as a whole, rather than what they did.
    (
        (
            "poor ",
            "bad ",
            "terrible",
            "useless",
            "awful",
            "rubbish",
            "hopeless",
            "crap",
            "appalling",
            "dreadful",
        ),
        r"(?:is|was|are|were|'s|’s) (?:a |an )?(?:very |really )?(?:poor|bad|terrible|"
        r"useless|awful|rubbish|hopeless|crap|appalling|dreadful) "
        r"(?:parents?|mother|father|mum|dad|carers?)",
        _DESCRIBE,
    ),
    # Sneering asides about how a person or service always is.
    (
        ("as usual", "as per", "yet another", "nothing", "even bother"),
        r"(?:saying|said|did|doing|done|contributed|offered|added) (?:absolutely )?nothing,? "
        r"(?:as usual|as per usual|again)|(?:late|drunk|rude|moaning|complaining|shouting) "
        r"(?:again )?as (?:per )?usual|yet another (?:\w+ )?(?:referral|excuse|complaint|call|"
        r"no-show|drama|crisis|tantrum|sob story|story|lie|meeting)|"
        r"(?:did|does|do)(?:n['’]t| not) even bother(?: to \w+(?: \w+){0,3})?|"
        r"never even bother(?:ed|s)?(?: to \w+(?: \w+){0,3})?|"
        r"(?:have|has|had) done (?:absolutely |precisely |literally )?nothing"
        r"(?: (?:for|to help) (?:this|the) (?:family|child|children|\w+)(?: for (?:months|weeks|"
        r"years))?)?",
        "Record the facts of what was asked, of whom and when, and what happened.",
    ),
    # A person summed up with a sneer.
    (
        ("usual", "little", "scruff"),
        r"(?:her|his|their) usual (?:\w+ )?self|"
        r"(?:a |the )?little (?:liar|madam|sod|git|monster|terror|horror|brat|toerag|so-and-so)s?|"
        r"scruffs?",
        _DESCRIBE,
    ),
    (
        ("mess", "shambles", "joke", "farce", "disaster", "car crash"),
        r"(?:such a|a complete|a total|an absolute|a right|an utter) "
        r"(?:mess|shambles|joke|farce|disaster|car crash)",
        "Record the facts of what was planned and what happened.",
    ),
)
# "Typical." as a sentence of its own: a sneer, not a record.
_TYPICAL = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:how |so |just |that['’]s |that is )?typical"
    r"(?: of (?:him|her|them|that (?:\w+ )?(?:team|service|lot|school|family|agency)|"
    r"the (?:\w+ )?(?:team|service|school|police)))?[.!]+"
    r"(?=\s|$)"
)
_TEAMS = (
    r"(?:camhs|the school|school|the duty team|duty|the police|police|health|the health visitor|"
    r"health visiting|the health visiting team|social services|the (?:\w+ )?team|edt|"
    r"housing|the front door|mash|the gp|the hospital|legal|the nursery|the college|"
    r"the previous (?:worker|social worker|team)|the team|they|edt|the iro|the court|"
    r"children's services|social care|the council|the la|the academy|the trust|management|"
    r"my manager|the manager|the (?:previous|last|old|former) (?:\w+ )?(?:worker|team|manager|"
    r"social worker|practitioner)|the (?:social worker|worker|officer|teacher|nurse|doctor|"
    r"health visitor|senco|dsl|head|headteacher|gp|iro|camhs worker)|"
    r"the (?:previous|last|old) (?:\w+ )?(?:plan|assessment))"
)
# Criticism of another team: a team, then what it is said to have failed to do.
_CRITICISM = re.compile(
    r"\b(?:failed|let (?:him|her|them|the family|the child|us) down|did nothing|"
    r"(?:did|does|do|has|have|had)(?:n['’]t| not| never) (?:even )?"
    r"(?:bother(?:ed)?|read|look(?:ed)? at|"
    r"check(?:ed)?|listen(?:ed)?|follow(?:ed)? (?:it|this|the plan) up)|never (?:read|checked)|"
    r"done nothing|do nothing|does nothing|dropped the ball|sat on|lost|ignored|"
    r"never (?:bother|respond|reply|replies|call|calls)|couldn['’]t care less|are a joke|"
    r"is a joke)\b(?: (?:again|as usual|yet again|the referral|it|this|everything|"
    r"to do anything))?"
)
_TEAM_BEFORE = re.compile(
    rf"\b{_TEAMS},? (?:(?:was|were|is|are) \w+ and )?(?:have |has |had )?"
    r"(?:as usual,? |yet again |once again |again )?"
    r"(?:clearly |obviously |just |simply |still |completely |totally |never )?$"
)
_CRITICISM_ALONE = re.compile(
    r"(?<![a-z])(?:failed (?:again|yet again|as usual)|as usual,? did nothing|"
    r"did nothing as usual|dropped the ball|couldn['’]t care less|no help (?:at all|whatsoever))"
    r"\b"
)
# The patterns run on the note in lower case (text.lowered), without re.IGNORECASE.
_WORD_PATTERNS = tuple(
    (triggers, re.compile(rf"\b(?:{pattern})\b"), suggestion)
    for triggers, (pattern, suggestion) in zip(_WORD_TRIGGERS, _WORDS, strict=True)
)
_CRITICISM_TRIGGERS = (
    "fail",
    "let ",
    "nothing",
    "bother",
    "read",
    "look",
    "check",
    "listen",
    "follow",
    "never",
    "dropped",
    "sat on",
    "lost",
    "ignored",
    "care less",
    "joke",
)
_CRITICISM_ALONE_TRIGGERS = ("fail", "nothing", "dropped", "care less", "no help")
_GATED = tuple(
    (triggers, re.compile(rf"\b(?:{pattern})\b"), suggestion)
    for triggers, pattern, suggestion in _GATED_WORDS
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


_MERGE_GAP = 20
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n]| and | but ")


def find_disrespect(text: str, quoted: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, message, suggestion) of each derogatory or blaming phrase."""
    found: list[tuple[int, int, str, str]] = []
    lowered_text = lowered(text)
    for triggers, pattern, suggestion in _WORD_PATTERNS + _GATED:
        found.extend(
            (match.start(), match.end(), MESSAGE, suggestion)
            for match in near(pattern, lowered_text, triggers)
            if not inside(quoted, match.start(), match.end())
        )
    taken: list[tuple[int, int]] = []
    for match in near(_CRITICISM, lowered_text, _CRITICISM_TRIGGERS):
        if match.start() and text[match.start() - 1].isalpha():
            continue
        team = _TEAM_BEFORE.search(lowered_text, max(0, match.start() - 60), match.start())
        if team and not inside(quoted, team.start(), match.end()):
            taken.append((team.start(), match.end()))
    for match in near(_CRITICISM_ALONE, lowered_text, _CRITICISM_ALONE_TRIGGERS):
        if not any(s < match.end() and match.start() < e for s, e in taken) and not inside(
            quoted, match.start(), match.end()
        ):
            taken.append((match.start(), match.end()))
    found.extend(
        (match.start(), match.end(), MESSAGE, _DESCRIBE)
        for match in (_TYPICAL.finditer(lowered_text) if "ypical" in lowered_text else ())
        if not inside(quoted, match.start(), match.end())
    )
    found.extend((start, end, TEAM_MESSAGE, TEAM_SUGGESTION) for start, end in taken)
    # Overlapping phrases are one finding ("yet another pointless referral").
    # So are phrases a few words apart in one clause ("didn't bother turning up as per usual").
    merged: list[tuple[int, int, str, str]] = []
    for start, end, message, suggestion in sorted(found):
        if merged and (
            start < merged[-1][1]
            or (
                start - merged[-1][1] <= _MERGE_GAP
                and not _CLAUSE_BREAK.search(text, merged[-1][1], start)
            )
        ):
            last = merged[-1]
            merged[-1] = (last[0], max(end, last[1]), last[2], last[3])
        else:
            merged.append((start, end, message, suggestion))
    return merged
