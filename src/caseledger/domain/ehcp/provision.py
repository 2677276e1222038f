"""Is a provision statement specified and quantified?

CFA 2014 s.37(2) requires an EHC plan to specify the provision; Code of Practice 9.69 says
"provision must be detailed and specific and should normally be quantified, for example, in
terms of the type, hours and frequency of support and level of expertise". A statement is
flagged for wording that commits to nothing enforceable (`vague_language`, on the phrase) and
for not saying what, how often, for how long and by whom (`unquantified`, with what is
missing). The phrases are the red flags IPSEA and parents' guides list; they are heuristics:
some are vague wherever they appear ("as appropriate", "up to"), others only when the
statement does not pin the provision down ("access to the sensory room for 15 minutes at each
transition, supervised by his teaching assistant" is specific). "What" is a kind of provision
(a therapy, a session, a named programme, a place, equipment); "support", "intervention" and
the like count only when something says what they are ("maths support", not "support for his
needs"). "By whom" is a role or a qualification ("a Level 3 TA", "HCPC-registered"), not
"trained staff" and not whoever only advised, decides, arranges or reviews. Health and social
care provision (Sections G and H) is read the same way: feeds, medication, personal care and
short breaks are provision, and care workers, personal assistants and a service named by its
profession ("the community physiotherapy service") are providers. Provision whose content is
in another document ("the sensory diet set out in the OT report") or is still to be decided
("a timetable to be determined by the Head of Year") does not say what it is. A numbered list
in one statement is as vague as its weakest item. Pure Python: no Django.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

COMPONENTS: tuple[str, ...] = ("what", "frequency", "duration", "provider")

CODE_OF_PRACTICE = (
    "Code of Practice 9.69: provision must be detailed and specific and should normally be "
    "quantified (type, hours and frequency of support, and level of expertise)"
)
CLARKE = (
    "L v Clarke and Somerset CC [1998] ELR 129: so specific and so clear as to leave no room "
    "for doubt as to what has been decided is necessary"
)
NORTH_EAST_LINCOLNSHIRE = (
    "EC v North East Lincolnshire [2015] UKUT 648 (AAC): it should be clear who, what, when "
    "and how long"
)
EAST_SUSSEX = (
    "East Sussex CC v TW [2016] UKUT 528 (AAC): flexibility is no excuse for a lack of "
    "specificity; \u201copportunities\u201d and \u201cprogrammes tailored to need\u201d are "
    "unlikely to be lawful"
)
GREENWICH = (
    "C v SENT and LB Greenwich [1999] ELR 5: the local authority cannot leave the decision on "
    "provision to someone else"
)
REDBRIDGE = (
    "LB Redbridge v HO [2020] UKUT 323 (AAC): where detail can reasonably be given it must be, "
    "including what the provision is"
)


@dataclass(frozen=True)
class ProvisionFlag:
    """`statement[start:end]` is what the flag is about; `missing` only for `unquantified`."""

    code: str
    start: int
    end: int
    message: str
    missing: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Item:
    """One provision, need or outcome: `text` is tidied; `start`/`end` locate it in the
    section; `heading` is the sub-heading it sits under ("Communication and interaction")."""

    text: str
    start: int
    end: int
    heading: str = ""


# Statements are matched in lower case (ASCII letters only, so offsets do not move) by patterns
# whose letters are lowered too: several times faster than re.IGNORECASE on a long plan.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _caseless(pattern: str) -> re.Pattern[str]:
    """`pattern` for text in lower case: its letters lowered, but not escapes such as `\\S`."""
    return re.compile(
        re.sub(
            r"\\.|[A-Z]+",
            lambda match: match[0] if match[0][0] == "\\" else _lower(match[0]),
            pattern,
        )
    )


# --- Vague wording ---------------------------------------------------------------------------

_UNITS: tuple[str, ...] = ("zero", "one", "two", "three", "four", "five", "six", "seven")
_UNITS += ("eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")
_UNITS += ("sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORD = (
    rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[1:10])}))?|{'|'.join(reversed(_UNITS[1:]))}"
)
# "a group of up to four pupils", "in groups of up to 6" cap the group, not the provision
# (SB v Herefordshire [2018] UKUT 141 (AAC)); "at intervals of up to 6 months" caps the gap
# between sessions, which is a floor on how often.
_GROUP_CAP = (
    r"(?<!groups of )(?<!group of )(?<!classes of )(?<!class of )(?<!sizes of )(?<!size of )"
    r"(?<!intervals of )(?<!interval of )"
    rf"up to(?! (?:\d+|{_NUMBER_WORD}) (?:other |more )?(?:pupils|children|students|peers|"
    r"others|learners|young people|group members|in (?:the|a|each) group|per group|"
    r"per adult)\b)"
    # "from the start of Year 7 up to the end of Year 9", "up to age 5": the end of a span
    r"(?! (?:and including|the (?:end|start|beginning|age|date)|age|year|yr|ks|key stage|"
    r"date)\b)"
)

# (pattern, why) — vague wherever they appear.
_ALWAYS_VAGUE: tuple[tuple[str, str], ...] = (
    (r"as (?:and when|appropriate|required|needed|necessary|advised|directed)", "conditional"),
    (
        r"(?:where|when|if|wherever|whenever) (?:possible|appropriate|needed|required|necessary)"
        r"|(?:where|when|if) (?:available)|subject to (?:availability|review|funding)"
        r"|at times of need|when (?:she|he|they) (?:feels?|needs?|becomes?)"
        r"|(?:if|when|where|should) (?:she|he|they) (?:wish(?:es)?|wants?|chooses?|requests?"
        r"|asks?)|(?:for )?as long as (?:is |it is )?(?:clinically |educationally )?"
        r"(?:indicated|needed|necessary|required|appropriate)|clinically indicated"
        r"|deemed (?:appropriate|necessary)|(?:depending|dependent|depends) (?:on|upon)"
        r"|needs[- ]led|according to (?:his|her|their|[\w'\u2019]+['\u2019]s?) (?:needs?|progress)"
        # "where practicable", "as far as possible", "staffing permitting", "if time allows"
        r"|(?:where|when|if|wherever|whenever) (?:practicable|feasible|reasonably practicable)"
        r"|as far as (?:possible|practicable|is practicable|reasonably practicable)"
        r"|(?:staffing|staff|time|resources|funding|budget|capacity)(?: levels?)? "
        r"(?:permitting|allowing|permits?|allows?)|(?:when|where|if) (?:staff|staffing|"
        r"resources|time|funding|a (?:place|space)) (?:is |are )?(?:available|allows?|permits?)"
        r"|on request|in due course|at (?:a later date|some point)"
        # "if the Y6 TA can be released", "unless staffing does not allow it"
        r"|(?:if|when|where|unless|provided(?: that)?|providing|so long as) (?:[\w'\u2019-]+ )"
        r"{1,5}?(?:can be (?:released|spared|freed|found|covered)|(?:is|are) (?:available|free)"
        r"|(?:does|do) not (?:allow|permit))",
        "conditional",
    ),
    (_GROUP_CAP, "ceiling"),
    (r"(?<!\d )(?<![Ii]n )\b(?:may|might|could|should|ideally)\b(?! \d)", "permissive"),
    (r"frequent(?:ly)?|ongoing|from time to time|occasional(?:ly)?|on occasions?", "frequency"),
    (
        # "in most weeks", "on most days", "the majority of sessions", "about 20 minutes"
        r"typically|usually|normally|generally|approximately|as a (?:general )?rule|roughly"
        r"|circa|in the region of|or so|more or less|give or take"
        r"|(?:in |on |for |during )?(?:most|the majority of(?: the)?) (?:[\w-]+ )?"
        r"(?:days|weeks|fortnights|months|terms|half[- ]terms|sessions|lessons|mornings|"
        r"afternoons|evenings|occasions)"
        # "about 20 minutes", "around three times a week"; not "talk about two worries"
        rf"|(?:about|around|approx\.?|c\.)(?= (?:\d+(?:\.\d+)?|{_NUMBER_WORD}|an?|half an?)"
        r"(?: |-)?(?:minutes?|mins?|hours?|hrs?|h\b|sessions?|times|days?|weeks?|x\b|%))",
        "approximate",
    ),
    (r"opportunit(?:y|ies)", "opportunity"),
    (r"would benefit from|may benefit from|benefit from", "permissive"),
    (r"encouraged to|(?:aim|aims|try|tries) to", "permissive"),
    # A recommendation copied from a report is not yet provision: "It is recommended that",
    # "the following are suggested", "hopefully". "Recommended by the OT" says who advised,
    # and "the OT recommends, and this plan specifies" adopts it.
    (
        r"it is (?:recommended|suggested|advised|proposed|hoped) that|"
        r"(?:is|are) (?:recommended|suggested|proposed)(?! (?:by|in|to|for)\b)|"
        r"(?:we|i) (?:would )?(?:recommend|suggest)|recommends? that|suggests? that|hopefully",
        "permissive",
    ),
    (
        r"or (?:a |an |any |another |some )?(?:similar|equivalent|comparable|alternative)"
        r"|such as|e\.g\.|etc\.?|and so on",
        "open list",
    ),
    # A range leaves the amount undecided: "10\u201315 min", "between 10 and 20 minutes", "two
    # or three times a week"; not "one-to-one sessions".
    (
        rf"(?:between (?:\d+|{_NUMBER_WORD}) and|(?!(?:1|one)[- ]to[- ](?:1|one)\b)"
        rf"(?:\d+ ?(?:-|\u2013|to|or)|(?:{_NUMBER_WORD}) ?(?:\u2013| to| or)))"
        rf" ?(?:\d+|{_NUMBER_WORD}) (?:minutes?|mins?|hours?|hrs?|times|sessions?)",
        "approximate",
    ),
    (r"a range of|a variety of|a level of|some|part of the (?:day|week)", "amount"),
    (r"tailored to|flexible|flexibly", "flexible"),
    (
        r"(?:to be|will be) (?:determined|decided|agreed|confirmed|considered|arranged)"
        r"|(?:will|to) decide|TBC|TBA"
        r"|(?:to )?consider(?:s|ed)?|at the discretion of|(?:frequency|level|amount) to be"
        # "drawn up by his tutor", "to be worked out with the family"
        r"|(?:to be|will be|is to be|are to be) (?:drawn up|devised|worked out|put together)"
        # Left to someone else to find: "art therapy, to be sourced by the family"
        r"|(?:to be|will be|is to be|are to be) (?:sourced|found|identified|secured|procured)"
        r"|(?:family|parents?|carers?) (?:will|to|must|should|can) (?:source|find|fund|buy|"
        r"purchase)",
        "delegated",
    ),
    (
        r"in line with|in accordance with|as per|as (?:outlined|set out|described|detailed|"
        r"specified|listed) in|as recommended "
        r"(?:in|by)|the recommendations (?:of|in|from) (?:the |his |her |their )?(?:[\w'-]+ )"
        r"{0,4}?(?:reports?|assessments?)",
        "elsewhere",
    ),
    (r"(?<!\w)appropriate(?!ly)", "conditional"),
)
# Vague unless the statement itself says what, how often, how long and by whom: "access to
# the sensory room for 15 minutes at each transition, supervised by his teaching assistant",
# "support from a qualified Teacher of the Deaf for 1 hour per week" and "four times a week,
# in addition to his regular English lessons" are specific.
_VAGUE_UNLESS_QUANTIFIED: tuple[tuple[str, str], ...] = (
    (r"access(?:es)? to|will access|to access", "access"),
    (r"support (?:from|with)|supported (?:to|with|by)|help with", "support"),
    (r"small[- ]groups?", "small group"),
    (r"key adult|adult support|additional support|extra support", "support"),
    (r"(?:will be|to be|is) (?:reviewed|monitored)|monitor(?:ed|ing)?", "review"),
    (r"input", "input"),
    (r"regular(?:ly)?|periodic(?:ally)?", "frequency"),
)
_WHY = {
    "conditional": "makes the provision depend on someone's later judgement",
    "ceiling": "sets only a ceiling, so none at all would comply",
    "permissive": "is permissive, not a commitment to provide",
    "frequency": "does not say how often",
    "approximate": "hedges the amount, so it is not a commitment to provide",
    "opportunity": "offers an opportunity rather than provision",
    "open list": "leaves the list of provision open",
    "amount": "does not say how much",
    "flexible": "leaves the provision open to change",
    "delegated": "leaves the decision to someone else",
    "elsewhere": "refers to another document instead of stating the provision",
    "access": "gives access without saying how much will be provided",
    "support": "names support without saying what it is, how often, how long or by whom",
    "small group": "does not say the size of the group",
    "review": "promises review or monitoring, not provision",
    "input": "names input without saying what it is",
}
_CASE_FOR = {
    "delegated": GREENWICH,
    "opportunity": EAST_SUSSEX,
    "flexible": EAST_SUSSEX,
}


def _compile(patterns: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(_caseless(rf"(?<![\w-])(?:{p})(?![\w-])"), why) for p, why in patterns]


_ALWAYS = _compile(_ALWAYS_VAGUE)
_UNLESS = _compile(_VAGUE_UNLESS_QUANTIFIED)
# "Two structured opportunities each day", "3 opportunities a week": a counted opportunity is
# a session, not an offer (East Sussex CC v TW is about opportunities nobody has counted).
_COUNTED = _caseless(rf"(?<![\w-])(?:\d+|{_NUMBER_WORD})(?: [\w-]+)? $")


def _counted(lower: str, start: int) -> bool:
    return bool(_COUNTED.search(lower, max(0, start - 30), start))


# "Should a session be missed, it will be made up": "should" opening a clause before its
# subject is "if", not permission, and a make-up clause is not a hedge.
_CLAUSE_OPENS = re.compile(r"(?:^|[.;:!?(,\u2013\u2014-])\s*$")
_INVERTED_SUBJECT = re.compile(r"should\s+(?:a|an|the|any|this|that|one|either)\s")


def _inverted(lower: str, start: int) -> bool:
    return bool(
        _INVERTED_SUBJECT.match(lower, start)
        and _CLAUSE_OPENS.search(lower, max(0, start - 3), start)
    )


# "May" the month ("in May 2026", "by 3 May") is not permission.
_MONTH_MAY = re.compile(
    r"\b(?:in|by|from|until|of|\d{1,2}(?:st|nd|rd|th)?)\s+May\b|\bMay\s+\d"
    # "May\u2013July", "March to May"
    r"|\bMay\s*(?:-|\u2013|\u2014|to|until)\s*[A-Z][a-z]+|[a-z]\s*(?:-|\u2013|\u2014)\s*May\b"
)

# --- How often and how long ------------------------------------------------------------------

# The components are read from the statement with numbers in figures ("three" → "3"), which
# keeps the patterns short and fast. "One-to-one" stays as it is.
_NUMBER_WORDS = re.compile(rf"(?<![\w-])(?:{_NUMBER_WORD})(?![\w])(?!-to-)", re.IGNORECASE)
_NUMBER_VALUES = {word: value for value, word in enumerate(_UNITS)} | {
    word: 10 * value for value, word in enumerate(_TENS, 2)
}


def _in_figures(statement: str) -> str:
    return _NUMBER_WORDS.sub(
        lambda match: str(
            sum(_NUMBER_VALUES[word] for word in re.split(r"[- ]", match.group(0).lower()))
        ),
        statement,
    )


_COUNT = r"\d+(?:\.\d+)?"
# "an hour", "half a day"
_NUMBER = rf"(?:{_COUNT}|half|a|an)"
_CALENDAR = r"(?:(?:school |working )?(?:day|week|wk|fortnight|month|term|half[- ]term|year|yr))"
_PERIOD = (
    rf"(?:{_CALENDAR}|academic year|calendar month|session|lesson|morning|afternoon|evening|"
    r"night|weekend|hour)"
)
_PER = r"(?:a|an|per|each|every|in (?:a|each|every))"
# "Mon, Wed, Fri", "Tues & Thurs"; Section H provision runs at weekends too.
_WEEKDAY = (
    r"(?:mon(?:days?)?|tue(?:s(?:days?)?)?|wed(?:nesdays?)?|thu(?:r(?:s(?:days?)?)?)?|"
    r"fri(?:days?)?|saturdays?|sundays?)(?![\w-])"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
# The unstructured parts of the school day: "at break and lunch", "at every unstructured time".
_BREAKS = (
    r"(?:break(?: ?times?)?|breaks|lunch ?times?|lunch(?:es)?|play ?times?|"
    r"(?:unstructured|social|free) (?:times?|periods?))"
    r"(?! (?:hall|queue|club|room|box|menu|supervisors?|staff))"
)
# What recurs in a school day or year, so that "every …" or "each …" of it is a frequency.
_OCCASION = (
    rf"(?:{_BREAKS}|transitions?|changes? of (?:lesson|activity|room|routine|teacher)|"
    r"registrations?|assembl(?:y|ies)|tutor times?|arrivals?|departures?|meal ?times?|"
    r"visits?|lessons?|classes|periods?|trips?|outings?|appointments?|mornings?|afternoons?)"
)
# A span says both how often and how long: "throughout the school day", "in every lesson",
# "at break and lunchtimes".
_SPAN = _caseless(
    r"(?<![\w-])(?:(?:throughout|for the whole of|the whole of|for all of|all of|across|during) "
    r"(?:the|every|each) (?:school |working )?(?:day|week)|all day|full[- ]time|at all times|"
    r"(?:for|throughout|during|across) the (?:full|whole|entire) (?:school |working )?"
    r"(?:day|week)|"
    r"(?:in|for|during|across|throughout) (?:all|every|each) (?:[\w-]+ ){0,2}?"
    r"(?:lessons?|sessions?|classes)|"
    r"(?:every|each|all) (?:[\w-]+ )?lessons?|(?:every|each) (?:school )?day|"
    r"(?:every|each) weekday|"
    rf"(?:at|during|throughout) (?:all |every |each |the )?{_BREAKS}"
    rf"(?:,? (?:and|or|&) (?:all |every |each |the )?{_BREAKS})*)\b",
)
_FREQUENCY = _caseless(
    rf"(?<![\w:/-])(?:daily|weekly|fortnightly|monthly|termly|half[- ]termly|annually|yearly|"
    rf"hourly|twice|thrice|once|bi-?weekly|bi-?monthly|{_COUNT} times|"
    # "three sessions a fortnight", "20 mins/wk", "2 hrs pw", "five minutes a lesson"
    rf"(?:per|each|every|in (?:a|each|every)) {_PERIOD}|"
    rf"(?<!half )(?<!for )(?<!within )(?:a|an) {_CALENDAR}|"
    rf"(?:{_COUNT}|a|an) (?:[\w-]+ ){{0,2}}?(?:minutes?|mins?|times|sessions?|breaks?|"
    rf"check-ins?) (?:a|an) (?:session|lesson|morning|afternoon|hour)|"
    rf"(?:every|each) (?:{_NUMBER} )?(?:[\w-]+ )?{_PERIOD}s?|"
    rf"(?:on |every )?alternate (?:days|weeks|mornings|afternoons|lessons|sessions)|"
    rf"every other (?:day|week|fortnight|lesson|session|morning|afternoon)|"
    rf"every {_COUNT}(?: ?(?:-|\u2013|to) ?{_COUNT})? (?:minutes|mins|hours)|{_WEEKDAY}|"
    # "at intervals of no more than 6 months": the longest gap fixes how often
    rf"intervals? of (?:no more than |not more than |not exceeding |no longer than |at most |"
    rf"up to )?(?:{_COUNT}|a|an|one) (?:[\w-]+ )?(?:days?|weeks?|months?|terms?|years?)|"
    # "six transition visits … during the summer term", "4 half-day sessions in the year"
    rf"(?:{_COUNT}|a|an)(?: [\w-]+){{0,3}} (?:sessions?|visits?|blocks?|meetings?|"
    rf"consultations?|appointments?|lessons?|observations?|reviews?|check-ins?|hours?|days?|"
    rf"half[- ]days?)\b[^.;]{{0,90}}?\b(?:over|across|in|during|within|throughout) "
    # "… during the first half of the autumn term"
    rf"(?:the |a |an |each |every |this |one )?(?:[\w-]+ ){{0,5}}?"
    rf"(?:term|year|weeks?|months?|half[- ]term|placement))\b|"
    # "4 x half-day visits, June\u2013July of Y6", "six sessions between March and May"
    rf"(?:{_COUNT}|a|an)(?: [\w-]+){{0,3}} (?:sessions?|visits?|blocks?|meetings?|lessons?|"
    rf"appointments?|days?|half[- ]days?)\b[^.;]{{0,90}}?(?<![\w-])(?:(?:from|between) )?"
    rf"{_MONTH} ?(?:-|\u2013|\u2014|to|and|until) ?{_MONTH}\b"
    # "20 min/week", "3x/wk", "2 hrs pw"; not "session/lesson"
    rf"|(?<=[\dsxnr])(?:(?<=[\dsx])|(?<=min)|(?<=hr)|(?<=hour))(?: ?/ ?{_PERIOD}\b| p/?w\b)",
)
# "At each transition", "after every break", "in all lessons": as often as the occasion. What
# happens at a fixed point of every school day is daily: "before registration", "at the end
# of the school day", "on arrival at school", "her morning routine".
_RECURRING = _caseless(
    rf"(?<![\w-])(?:(?:every|each|all) (?:[\w-]+ ){{0,2}}?{_OCCASION}|"
    rf"(?:before|after) (?:each|every)|"
    r"(?:at|before|after|during|by|until) (?:the )?(?:start|beginning|end|close) of (?:the |each "
    r"|every )?(?:school |working )?day|"
    r"(?:at|before|after|during|by) (?:morning |afternoon |am |pm )?registration|"
    r"on arrival (?:at|in) (?:school|class|college|the classroom|the setting)|"
    r"at (?:home|going[- ]home|hometime|bed) ?time|at (?:drop[- ]off|pick[- ]up|bedtime)|"
    r"(?:morning|bedtime|evening|daily|arrival|start[- ]of[- ](?:the[- ])?day|"
    r"end[- ]of[- ](?:the[- ])?day|home[- ]time) routines?)\b",
)
# "Some sessions each week", "several times a week": a rate with no number.
_INDEFINITE = _caseless(
    r"\b(?:some|several|a few|a number of|various|occasional|many|multiple)(?: [\w:-]+)? $",
)
# "Regular movement breaks throughout the day", "opportunities to practise throughout the
# day": the span says when, and the hedge leaves how often (and for how long) open.
# "Reviewed regularly" is not about the provision; counted opportunities are sessions. A
# condition on a span ("at lunchtimes when required") is a hedge only: the span still says
# when and for how long.
_FREQUENCY_HEDGE = _caseless(
    r"\b(?<!reviewed )(?<!monitored )(?:regular(?:ly)?|frequent(?:ly)?|periodic(?:ally)?|"
    r"occasional(?:ly)?|from time to time|opportunit(?:y|ies))\b"
    r"(?! (?:review|monitor|assess|check|update))",
)


def _frequency_hedged(lower: str) -> bool:
    return any(
        not (match.group(0).startswith("opportunit") and _counted(lower, match.start()))
        for match in _FREQUENCY_HEDGE.finditer(lower)
    )


# "Four mornings a week" and "three days a week" say how long when the provision fills them
# ("Forest School one afternoon a week", "college three days a week"); when it comes in
# sessions or lessons ("Attention Autism sessions four mornings a week") they say only which
# days, and a session's length is still to be stated.
_DAY_PARTS = _caseless(
    rf"(?<![\w:/-])(?:a|an|{_COUNT}) (?:days?|mornings?|afternoons?|evenings?) {_PER} "
    r"(?:week|fortnight|month|term|half[- ]term)\b",
)
_SESSION_UNIT = _caseless(
    r"\b(?:sessions?|lessons?|check[- ]?ins?|periods?|visits?|appointments?|slots?|meetings?)\b",
)
_DURATION = _caseless(
    # "Every 20 minutes" says how often, not how long.
    rf"(?<![\w:/-])(?:(?<!every )(?<!every other ){_NUMBER}[- ]?(?:minutes?|mins?|hours?|hrs?)|"
    rf"{_COUNT} ?h\b|{_COUNT} ?(?:-|\u2013|to) ?{_COUNT} ?(?:minutes?|mins?|hours?|hrs?)|"
    rf"half an hour|an hour(?: and a half)?|hour[- ]long|"
    rf"(?:half|full|whole)[- ]days?|half a day|a (?:full|whole) day|"
    rf"(?:a|{_COUNT}) (?:full|whole|half[- ])[- ]?days? {_PER} "
    rf"(?:week|fortnight|month|term|half[- ]term)|"
    rf"(?:a|{_COUNT}) (?:(?:double )?lessons?|periods?) {_PER} (?:week|fortnight|day)|"
    # "one overnight short break", "two nights a month"
    rf"overnight|(?:a|{_COUNT}) nights?|"
    # "from September 2026 to August 2027", "until July 2027"
    rf"(?:from|between) (?:\d{{1,2}}(?:st|nd|rd|th)? )?{_MONTH}(?: \d{{4}})? ?(?:-|\u2013|to|"
    rf"until|till|and) ?(?:\d{{1,2}}(?:st|nd|rd|th)? )?{_MONTH}(?: \d{{4}})?|"
    rf"(?:until|till|to the end of) (?:the end of )?(?:\d{{1,2}}(?:st|nd|rd|th)? )?"
    rf"{_MONTH} \d{{4}}|"
    rf"(?:for|over|across|throughout) (?:a |an |the |this |each |{_COUNT} )(?:[\w-]+ ){{0,2}}?"
    rf"(?:weeks?|terms?|months?|years?|half[- ]terms?|"
    rf"(?:[\w-]+[- ])?(?:week|term|month)s? (?:block|period|programme|course|cycle))|"
    rf"blocks? of {_COUNT} (?:[\w-]+ )?(?:weeks?|sessions?|months?)|"
    rf"{_COUNT}[- ]weeks?[- ](?:block|programme|course|period|cycle|intervention|placement)|"
    rf"(?:until|to|till) the end of (?:the )?(?:[\w-]+ ){{0,3}}?"
    rf"(?:term|year|key stage \d|ks\d|year \d+)|"
    rf"for the (?:rest|remainder|duration|length) of (?:the |this |his |her |their )?"
    rf"(?:[\w-]+ ){{0,2}}?(?:term|year|key stage|placement)|"
    # "9:00 to 10:30am", "8:45–3:15", "from 1pm"
    rf"\d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm)? ?(?:-|\u2013|\u2014|to|until|till) ?"
    rf"(?:(?:on )?(?:the )?(?:following )?{_WEEKDAY} )?\d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm)|"
    rf"\d{{1,2}}[.:]\d{{2}} ?(?:-|\u2013|\u2014|to|until|till) ?\d{{1,2}}[.:]\d{{2}}|"
    rf"from \d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm)?)\b",
)

# --- By whom ---------------------------------------------------------------------------------

# A role or a qualification: Code of Practice 9.69's "level of expertise". "Trained staff",
# "school staff", "an adult" and "a key adult" name nobody.
_ROLE = (
    r"speech (?:and|&) language therap(?:ists?|y assistants?)|SaLTs?|SLTs?|"
    r"occupational therap(?:ists?|y assistants?)|OTs?|physiotherap(?:ists?|y assistants?)|"
    r"physios?|psychotherapists?|therapists?|therapy assistants?|"
    r"educational psychologists?|EPs?|(?:assistant )?psychologists?|psychology assistants?|"
    r"psychiatrists?|paediatricians?|doctors?|clinicians?|audiologists?|orthoptists?|"
    r"dieti(?:t|c)ians?|nurses?|"
    r"teaching assistants?|TAs?|learning support assistants?|LSAs?|HLTAs?|"
    r"higher level teaching assistants?|classroom assistants?|"
    r"teachers? of (?:the )?(?:deaf|visually impaired|vision impaired|hearing impaired|"
    r"children and young people with (?:vision|hearing|multi-sensory) impairment)|"
    r"QTVIs?|QTODs?|ToDs?|QTMSIs?|teachers?|lecturers?|tutors?|instructors?|coach(?:es)?|"
    r"(?:assistant )?SENCOs?|SENDCOs?|NASENCOs?|INCOs?|inclusion (?:leads?|managers?)|"
    r"heads? of year|(?:pastoral|wellbeing|mental health|behaviour) (?:leads?|managers?|"
    r"workers?|officers?)|counsellors?|learning mentors?|mentors?|ELSAs?|"
    r"emotional literacy support assistants?|EMHPs?|practitioners?|key ?workers?|"
    r"key persons?|interveners?|intervenors?|(?:family |communication )?support workers?|"
    r"CSWs?|youth workers?|interpreters?|communicator[- ]guides?|note[- ]?takers?|"
    r"(?:midday|lunchtime|meal ?time)(?: meals)? supervisors?|supervisors?|"
    r"(?:habilitation|rehabilitation|mobility)(?: and independence)? (?:officers?|workers?)|"
    r"ROVIs?|play leaders?|facilitators?|"
    r"(?:specialist |advisory |outreach )+(?:teaching )?(?:service|team)|"
    # Health and social care: "a clinical scientist in audiology", "a physiotherapy
    # technician", "a specialist assessor", "a respite carer"; not "parents and carers"
    r"(?:clinical )?scientists?|technicians?|assessors?|nursery nurses?|childminders?|"
    r"(?:paid|respite|sessional|registered|foster|shared[- ]care|professional) carers?"
)
# A named NHS or council service whose name gives the profession ("the community
# physiotherapy service", "the paediatric audiology clinic"); "CAMHS" alone names no role.
# Searched for only when one of the nouns is there.
_SERVICE_NOUNS = ("service", "department", "clinic", "team")
_HEALTH_SERVICE = _caseless(
    r"(?<![\w-])(?:(?:community|paediatric|children['\u2019]?s?|nhs|local|hospital|school|"
    r"county|specialist|regional) )*(?:audiology|physiotherapy|occupational therapy|"
    r"speech (?:and|&) language therapy|therapy|therapies|dietetics?|nutrition and dietetics|"
    r"orthoptics?|orthotics?|nursing|continence|wheelchair|epilepsy|diabetes|"
    r"(?:educational )?psychology|habilitation) (?:service|department|clinic|team)s?\b",
)
# "A home care worker", "a personal assistant", "the family liaison officer", "a Forest School
# leader", "a qualified habilitation specialist", "the dyslexia specialist": a noun that names
# a job, with the word before it that says which job; so too "a travel trainer", "a job
# coach", "a Portage home visitor", "an approved Family Link carer" (not "family carers").
# (The noun must follow a space, which `_WORD_BEFORE` checks.)
_ROLE_NOUN = re.compile(
    r"(?:worker|assistant|officer|leader|specialist|trainer|coach|visitor|carer)s?\b"
)
# Words that make a carer or a visitor anyone at all: "his parents and carers", "family
# carers", "new trainers".
_NOT_A_JOB = frozenset({"family", "parent", "parents", "main", "unpaid", "young", "informal"})
_NOT_A_JOB |= {"new", "own", "school", "regular", "occasional", "other"}
_WORD_BEFORE = re.compile(r"(?<![\w-])([\w-]+) $")
_NOT_A_QUALIFIER = frozenset(
    {"a", "an", "the", "his", "her", "their", "its", "any", "some", "other", "all", "each"}
    | {"every", "and", "or", "of", "by", "with", "for", "to", "from", "staff"}
)
# "Specialist" is also an adjective ("a specialist teacher"): a noun only at the end of a
# phrase.
_SPECIALIST_NOUN = _caseless(
    r"\s*(?:[,.;:()]|$|\s(?:who|from|with|for|in|at|to|and|or|trained|qualified|holding|"
    r"registered|each|every|once|twice|will|\d))",
)


def _qualified_roles(lower: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for noun in _ROLE_NOUN.finditer(lower):
        word = _WORD_BEFORE.search(lower, max(0, noun.start() - 40), noun.start())
        if not word or word[1] in _NOT_A_QUALIFIER:
            continue
        if word[1] in _NOT_A_JOB and noun[0].startswith(("trainer", "coach", "visitor", "carer")):
            continue
        if noun[0].startswith("specialist") and not _SPECIALIST_NOUN.match(lower, noun.end()):
            continue
        spans.append((word.start(), noun.end()))
    return spans


_PROVIDER = _caseless(
    rf"(?<![\w-])(?:{_ROLE}|"
    # "an HCPC-registered professional"
    r"(?:HCPC|BACP|UKCP|NMC|GMC)[- ]registered (?:[\w-]+ ){0,2}?(?:professionals?|"
    r"practitioners?|clinicians?)|"
    # "staff trained in Team Teach", "a member of staff holding the NASENCO award", "an adult
    # who has completed accredited nurture group training"; not "who has completed training"
    r"(?:adult|member of staff|staff member|staff|person|people)s? "
    r"(?:(?:trained|qualified) (?:in|by|to|as)|(?:who (?:has|have|holds?)|holding|with|"
    r"having)(?: completed| achieved| gained| obtained)? (?:(?:a|an|the|current|recognised|"
    r"accredited)\s+)*(?:(?!(?:appropriate|relevant|suitable|necessary|adequate|required|some|"
    r"any|completed|achieved|gained|obtained)\b)[\w'\u2019-]+ ){1,5}?(?:qualifications?|"
    r"awards?|certificates?|diplomas?|degrees?|accreditation|training|NASENCO|NPQSENCO|QTS|"
    r"MQ|level \d+\b))|"
    # "Makaton-trained staff", "a trained Lego-based therapy facilitator"
    r"[\w]+-trained (?:adults?|staff|members? of staff|assistants?)|"
    r"(?:qualified|trained|registered|accredited|certified) (?:[\w-]+ ){0,3}?(?:leaders?|"
    r"workers?|officers?|assistants?|practitioners?|professionals?))\b",
)
# Named training ("Team Teach trained staff") and a named service or team ("the Children's
# Occupational Therapy Service"), read with their capitals.
_NAMED_TRAINING = re.compile(
    r"\b[A-Z][\w-]*(?: [A-Z][\w-]*)* trained (?:adults?|staff|members? of staff|assistants?)\b"
)
_NAMED_SERVICE = re.compile(
    r"\b(?!(?:The|A|An|This|That|Our|His|Her|Their)\s)"
    r"(?:[A-Z][\w'\u2019&-]*\s+(?:(?:and|&|for|of|the|with)\s+)?){1,6}(?:Service|Team)\b"
)
# "OT strategies", "SALT programme", "the EP's advice", "the educational psychologist's
# report": the name says whose advice it is, not who will deliver the provision.
_NOT_A_PERSON = _caseless(
    r"^(?:'s)?\s+(?:strateg|programme|advice|report|recommendation|target|input|"
    r"assessment|service|approach|activit|equipment|sessions?\b|therapy)",
)
_ABBREVIATION = re.compile(r"^(?:SaLTs?|SLTs?|OTs?|EPs?|TAs?|LSAs?|ELSAs?)$", re.IGNORECASE)
# Whoever reviews or monitors the provision, the plan or progress does not deliver it: "support
# at home will be reviewed by the Children with Disabilities Team". Reviewing a child's hearing
# aids or stretches is provision in itself, and is not caught.
_REVIEWER = re.compile(
    r"\b(?:support|provision|progress|package|arrangements?|plan|placement|programme)\b"
    r"[^.;]{0,40}?\b(?:will be|to be|is|are|being|be) (?:reviewed|monitored|evaluated) "
    r"by (?:the |a |an |his |her |their )?(?-i:[A-Z][\w'\u2019-]* )*$",
    re.IGNORECASE,
)
# "The SENCO will arrange a reading intervention": arranging it is not delivering it.
_ARRANGES = _caseless(
    r"^\s+(?:will|is to|are to|shall|to|must) (?:decide|determine|draw up|devise|work out|"
    r"commission)\b(?! and (?:then )?(?:deliver|run|teach|lead|provide|carry out))",
)
_SCHOOL_ROLE = re.compile(r"^(?:H?LTAs?|TAs?|LSAs?|ELSAs?)$", re.IGNORECASE)
_SESSIONS = re.compile(r"^\s+sessions?\b")
_POSSESSIVE_DOCUMENT = _caseless(
    r"^['\u2019]s?\s+(?:[\w-]+\s+)?(?:reports?|recommendations?|advice|assessments?|"
    r"targets|strateg|plan\b)",
)
# Who advised is not who delivers: "as advised by SALT", "recommended by the Autism
# Outreach Team", "the recommendations of the educational psychologist".
# Nor is whoever decides or arranges it ("to be determined by the Head of Year", "arranged by
# the Education Inclusion Service"), or advises alongside ("managed by school with advice from
# the continence service"). Advice that is itself the provision ("advice from the Sensory
# Support Service") and a programme someone devises or writes are theirs.
# The phrase is read backwards from the role: first the linking word and any article,
# describing or capitalised words ("by the Children's Occupational Therapy ", "by the
# specialist "), then what comes before it.
_ADVISER_TAIL = re.compile(
    r"\b((?i:by|with|of|from)) (?i:the |a |an |his |her |their )?"
    r"(?:(?!(?i:and|or|but|for|to|with|by|from|in|on|at|who|which|will|then)\b)"
    r"[\w'\u2019-]+ ){0,3}$"
)
_ADVISER = _caseless(
    r"(?:(?:recommended|advised|suggested|identified|requested|specified|determined|decided|"
    r"agreed|arranged|commissioned) (?:by|with)|(?:recommendations?|reports?) (?:of|from|by)|"
    # "will be drawn up by his tutor": a package still to be written names no one to deliver
    # it, though "a programme devised by the SALT" is the SALT's
    r"(?:to|will|shall) be (?:drawn up|devised|designed|planned|written|worked out|"
    r"put together) (?:by|with)|"
    r"(?:with|on|following|after|under) (?:the )?(?:advice|guidance) (?:of|from)|in line with)$",
)


# One of these is in every phrase `_ADVISER` knows.
_ADVISING_WORDS: tuple[str, ...] = (
    "recommend",
    "advise",
    "suggested",
    "identified",
    "requested",
    "specified",
)
_ADVISING_WORDS += ("determined", "decided", "agreed", "arranged", "commissioned", "report")
_ADVISING_WORDS += ("advice", "guidance", "in line with", "drawn up", "devised", "designed")
_ADVISING_WORDS += ("planned", "written", "worked out", "put together")


def _advised(before: str) -> bool:
    """Whether `before`, the words just before a role, say the role only advised or decided."""
    tail = _ADVISER_TAIL.search(before)
    return tail is not None and bool(_ADVISER.search(_lower(before), 0, tail.end(1)))


# "A programme to be carried out by school staff": whoever else is named, the people who
# deliver it are not identified by role or qualification.
_DELIVERED_BY = _caseless(
    r"\b(?:carried out|delivered|implemented|run|led|facilitated|done|undertaken|provided|"
    r"supported|overseen|taught|followed) by ([^,.;]{1,80})",
)
_NOBODY_NAMED = _caseless(
    r"^(?:(?:the|a|an|any|all|other|appropriate|suitable|available|familiar|trusted|named|"
    r"relevant|school|class|setting|college|nursery|trained|support|key|teaching)\s+)*"
    r"(?:staff|adults?|members? of staff|staff members?|school|setting|college|nursery|"
    r"parents?|carers?|family|someone|people|personnel|team)\b",
)

Providers = list[tuple[int, int, bool]]


def _providers(text: str, lower: str) -> Providers:
    """(start, end, delivers) for each role, qualification or named service in `text` (`lower`
    is `text` in lower case); `delivers` is false where it names only whose advice, report or
    strategies the provision follows."""
    found: Providers = []
    # Whether anyone in the statement could be only advising or reviewing, looked for first
    # because most statements have neither
    advises = any(word in lower for word in _ADVISING_WORDS)
    reviews = any(word in lower for word in ("review", "monitor", "evaluat"))
    spans = [match.span() for match in _PROVIDER.finditer(lower)]
    if any(noun in lower for noun in _SERVICE_NOUNS):
        spans += [match.span() for match in _HEALTH_SERVICE.finditer(lower)]
    spans += [
        (start, end)
        for start, end in _qualified_roles(lower)
        if not any(first < end and start < last for first, last in spans)
    ]
    for start, end in spans:
        role = lower[start:end]
        after = lower[end : end + 80]
        # "OT strategies" and "SALT sessions" may be run by others; "ELSA sessions" and "TA
        # sessions" are run by the ELSA or TA.
        adjective = (
            _ABBREVIATION.match(role)
            and _NOT_A_PERSON.match(after)
            and not (_SCHOOL_ROLE.match(role) and _SESSIONS.match(after))
        )
        delivers = not (
            adjective
            or _POSSESSIVE_DOCUMENT.match(after)
            or _ARRANGES.match(after)
            or (advises and _advised(text[max(0, start - 40) : start]))
            or (reviews and _REVIEWER.search(text[max(0, start - 90) : start]))
        )
        found.append((start, end, delivers))
    for pattern in (_NAMED_TRAINING, _NAMED_SERVICE):
        for match in pattern.finditer(text):
            start = match.start()
            only_advises = (advises and _advised(text[max(0, start - 40) : start])) or (
                reviews and _REVIEWER.search(text[max(0, start - 90) : start])
            )
            found.append((start, match.end(), not only_advises))
    return found


def _names_role(lower: str) -> bool:
    return bool(_PROVIDER.search(lower) or _HEALTH_SERVICE.search(lower) or _qualified_roles(lower))


def _has_provider(lower: str, providers: Providers) -> bool:
    if not any(delivers for _, _, delivers in providers):
        return False
    return not any(
        _NOBODY_NAMED.match(match[1]) and not _names_role(match[1])
        for match in _DELIVERED_BY.finditer(lower)
    )


# --- What ------------------------------------------------------------------------------------

# A kind of provision: a therapy, a named programme, a kind of session, a place or a piece of
# equipment. The area of need alone ("literacy", "social communication") is not provision.
_WHAT = _caseless(
    r"(?<!\w)(?:therap(?:y|ies)|sessions?|groups?|lessons?|tuition|tutoring|mentoring|"
    r"supervis(?:ion|ed|e|ing)|training|trains?|teach|taught|instruction|counselling|coaching|"
    r"check[- ]?ins?|check[- ]?outs?|breaks?|circuits?|practice|pre[- ]?teach\w*|"
    r"phonics|reading|spelling|handwriting|(?:touch[- ])?typing|keyboard skills|signing|"
    r"sign language|BSL|sign(?:s|ed)? (?:with|to)|accompan(?:y|ies|ied|iment)|"
    r"makaton|braille|consultations?|hydrotherapy|physiotherapy|exercises?|stretch(?:es|ing)|"
    r"curriculum|club|equipment|laptop|software|personal care|transport|"
    r"assessments?|assess|copy|work with|(?<!to )meet(?:s|ing)?|1:1|one[- ]to[- ]one|"
    r"(?<!reduced )(?<!part-time )timetables?|observations?|modelling|modelled|scaffold\w*|"
    r"prompt(?:s|ing)?|scrib(?:e|ing)|"
    r"social stor(?:y|ies)|comic strip conversations|intensive interaction|attention autism|"
    r"zones of regulation|colourful semantics|precision teaching|lexia|numicon|"
    r"toe by toe|sounds[- ]write|read write inc|catch[- ]up|"
    r"(?:sensory|quiet|safe|calm|low[- ]stimulus|nurture|break[- ]?out) "
    r"(?:space|room|area|base|zone|corner|diet)s?|workstations?|time[- ]out|"
    r"time away from|word mats?|writing slopes?|pencil grips?|overlays?|ear defenders|"
    r"radio aids?|hearing aids?|communication (?:aids?|books?|boards?|devices?|passports?)|"
    r"AAC|PECS|visual (?:timetables?|schedules?|supports?|prompts?)|now[- ]and[- ]next|"
    r"task (?:boards?|checklists?|lists?)|fidget\w*|wobble cushions?|large print|"
    r"magnifiers?|mobility|habilitation|toileting|feeding|swimming|rebound|"
    # Reading to or with someone: "Mabel will read to an adult daily"
    r"reads? (?:to|with|aloud)|"
    # Health and personal care (Sections F, G and H): "gastrostomy feeds", "buccal midazolam",
    # "help with his bedtime routine (bath, medication, hoist transfer)"
    r"(?:tube |pump |bolus |gastrostomy |nasogastric )?feeds|gastrostomy|suction(?:ing)?|"
    r"catheteri[sz]ation|stoma care|intimate care|continence care|medication|medicines?|"
    r"midazolam|auto-?injectors?|inhalers?|nebuli[sz]ers?|tracheostomy|"
    r"insulin|blood (?:glucose|sugar) (?:checks?|monitoring|testing)|"
    r"bath(?:s|ing)?|shower(?:s|ing)?|(?:un)?dressing|hoist(?:s|ing)?|"
    r"transfers? (?:to|from|into|out of) (?:the |his |her |a )?(?:wheelchair|bed|toilet|chair|"
    r"standing frame)|"
    r"repositioning|(?:nappy|pad) chang(?:es|ing)|short breaks?|respite|overnight stays?|"
    r"look(?:s|ed|ing)? after|child ?care|sitting services?|befriending|play ?schemes?|"
    # Named forms of provision: "exam access arrangements", "Forest School"
    r"access arrangements|extra time|forest school|outdoor (?:learning|education)|"
    # Named early years programmes, and the ways a day starts and ends: "a calm start in the
    # library", "meet and greet at the gate", "collected from class", "has lunch in the Hub"
    r"portage|(?:calm|soft|quiet|gentle|staggered|supported|settled) (?:start|entry|arrival|"
    r"finish|exit|transition)s?|meet[- ]and[- ]greet|escort(?:s|ed|ing)?|"
    r"collect(?:s|ed|ing)? (?:(?:him|her|them) )?from|"
    r"walk(?:s|ed|ing)? (?:him|her|them) (?:to|out|back|round|between|from)|"
    r"(?:has|have|having|eats?|eating) (?:his |her |their )?lunch|"
    # A conversation with a stated content: "to talk through how his week has gone"
    r"talk(?:s|ed|ing)? (?:through|about|over)|(?:go|goes|going|went) (?:through|over))\b",
)
# Words that name provision only when something says what it is: "maths support",
# "intervention for reading comprehension", "help with organisation" and "input from a speech
# and language therapist" are provision; "support for her literacy needs", "specialist
# teaching", "a personalised programme" and "strategies recommended by the outreach team" are
# not.
_GENERIC = _caseless(
    r"(?<!\w)(?:support(?:ed|s|ing)?|help(?:ed|s|ing)?|input|involvement|interventions?|"
    r"programmes?|strateg(?:y|ies)|advice|teaching|assistance|provision|approach(?:es)?|"
    r"adjustments?|differentiation|packages?|visits?|appointments?|activit(?:y|ies)|"
    r"placements?|reviews?)\b",
)
# Empty whatever qualifies them.
_EMPTY = frozenset({"involvement", "provision"})
# Left to be decided later ("a personalised behaviour programme"), anywhere before the noun.
_DEFERRING = re.compile(
    r"personali[sz]ed|individuali[sz]ed|bespoke|tailored|tailor-made|appropriate|suitable|"
    r"relevant|necessary|any|further|ongoing",
    re.IGNORECASE,
)
# Empty just before the noun ("specialist teaching", "additional support", "deaf-aware
# teaching"), though "additional adult support" is adult support.
_WEAK = re.compile(
    r"speciali[sz]ed|specialist|additional|extra|more|targeted|enhanced|regular|flexible|"
    r"general|generic|some|quality-first|usual|structured|planned|learning|annual|interim|"
    r"early|statutory|termly|yearly|"
    r"\w+-(?:aware|friendly|informed|led)",
    re.IGNORECASE,
)
# Words that say nothing about the content of the provision.
_FUNCTION_WORD = re.compile(
    r"a|an|the|this|that|these|those|his|her|their|its|our|my|your|of|and|or|with|for|to|"
    r"from|by|in|on|at|as|will|would|shall|can|be|been|being|is|are|was|were|has|have|had|"
    r"receives?|received|receiving|gets?|given|give|provides?|provided|providing|offers?|"
    r"offered|requires?|required|needs?|needed|also|level|amount|no|not|all|each|every|"
    r"daily|weekly|fortnightly|termly|monthly|minutes?|mins|hours?|hrs|weeks?|days?|terms?|"
    r"years?|class|classroom|lessons?|classes|school|him|them|it|difficult(?:y|ies)|progress|"
    r"staff|during|across|throughout|after|before|between|outside|within|some|most|core|per|"
    r"areas?|[\d.]+|\S+['\u2019]s?",
    re.IGNORECASE,
)
# "Supported to manage her emotions", "help with organisation and planning".
_PURPOSE = _caseless(
    r"^\s+(?:with|for|on|of|in|during|around|towards|to (?!(?:be|support|meet|help|address|cater|"
    r"access)\b)[a-z]+)\s+([^,.;:()]*)",
)
# What a visit, input or programme is for, when that is itself a kind of provision: advice,
# training, observation, assessment, modelling, teaching.
_CONTENT_PURPOSE = _caseless(
    r"\bto (?:advise|train|observe|assess|model|teach|coach|demonstrate|consult with|"
    r"supervise|deliver training)\b"
    # A social worker's visit "to review her child in need plan"
    r"|\bto (?:review|update|carry out|complete) (?:his|her|their|the) (?:[\w-]+ ){0,4}?"
    r"(?:plan|assessment)\b",
)
_LEFT_OPEN = _caseless(
    r"^\s+(?:tailored|adapted|matched|according|in line with|as (?:recommended|advised|"
    r"required|needed|appropriate))",
)
# A programme, input, support, advice or strategies from a therapist or psychologist is
# therapy ("input from a speech and language therapist", "OT strategies").
_CLINICAL = _caseless(
    r"(?<!\w)(?:therap(?:y|ies|ists?)|physiotherap(?:y|ists?)|psycholog(?:y|ists?)|OTs?|SaLTs?|"
    r"SLTs?|EPs?|physios?|audiologists?|orthoptists?|paediatricians?|clinicians?)\b",
)
_CLINICAL_NOUN = re.compile(r"programmes?|input|support|advice|strateg(?:y|ies)", re.IGNORECASE)
# Not content: examples after "such as" or "e.g." do not settle what will be provided; "to
# meet her needs" says why; "the occupational therapy report" is a document.
_NOT_CONTENT = _caseless(
    r"\b(?:such as|e\.g\.?|for example|for instance)[^.;:]*|"
    r"\bto (?:meet|support|address|help with|cater for) (?:[\w'\u2019-]+ ){0,4}?needs\b|"
    r"\btherap(?:y|ist)['\u2019]?s? (?:reports?|recommendations?|advice|assessments?)\b|"
    r"\b(?:in due course|at a later date|when needed|as (?:required|needed|appropriate|"
    r"necessary))\b",
)
# Content held in a document: "the sensory diet set out in the occupational therapy report",
# "interventions as set out in her IEP", "AAC provision will be as recommended in the report".
# What the plan names there is a heading, not the provision (IPSEA; ipsea-specific). "In line
# with his feeding plan" and "as recommended by the OT service" only hedge what is named.
_IN_DOCUMENT = _caseless(
    r"\b(?:as )?(?:set out|described|detailed|specified|listed|recommended|outlined|"
    r"prescribed|contained|identified) in (?:[\w'\u2019()\u00a7-]+ +){0,6}?(?:reports?|IEPs?|IBPs?|"
    r"ISPs?|plans?|appendix|appendices|annex(?:es)?|documents?|section [a-k]|provision maps?|"
    r"profiles?|assessments?|advice|letters?|programmes?)\b",
)
# Left to be decided: "his timetable there to be determined by the Head of Year", "a package
# of education otherwise than in school, to be arranged by the service", "the school will
# decide the support". What is decided later is not yet provision. When only the amount or
# the timing is left ("the frequency and duration to be determined by the therapist", "will
# decide the amount of adult support"), what it is has been said.
_DELEGATED_AFTER = _caseless(
    r"\b(?:is |are )?(?:to be|will be|shall be|is to be|are to be) (?:determined|decided|agreed|"
    r"arranged|confirmed|drawn up|devised|worked out|put together)\b",
)
# Words one of which each pattern needs, looked for first because that is much quicker.
_DOCUMENT_VERBS: tuple[str, ...] = ("set out", "describ", "detail", "specifi", "listed")
_DOCUMENT_VERBS += ("recommended", "outlined", "prescribed", "contained", "identified")
_DECIDED: tuple[str, ...] = ("determined", "decided", "agreed", "arranged", "confirmed")
_DECIDED += ("drawn up", "devised", "worked out", "put together")
# The active form, with verbs that only ever decide ("will arrange a check-in" and "will
# agree targets in a 30-minute meeting" often describe the provision itself).
_DECIDING_VERBS = ("decide", "determine", "draw up", "devise", "work out")
_DELEGATED_BEFORE = _caseless(
    r"\b(?:will|to|shall|must|can) (?:decide|determine|draw up|devise|work out)(?: on| upon)?\b",
)
_AMOUNT = _caseless(
    r"\b(?:frequency|duration|length|timings?|times?|days?|dates?|amount|number|hours?|level|"
    r"how (?:much|often|long)|start|venue|location|place|size)\b",
)
_CLAUSE_END = re.compile(r"[.;:|()]|,\s")
# "In every lesson", "during literacy and numeracy lessons" say when, so the lessons are not
# the provision; they can still say what "support" is for.
_WHEN = _caseless(
    r"\b(?:in|during|across|throughout|after|before|between|outside|within|for) "
    r"(?:all |every |each |his |her |their |the |some |most |core |class )?(?:[\w-]+ ){0,3}?"
    r"(?:lessons?|classes)\b",
)
# Masks a role in the text, so that "teaching assistant" is not teaching; it reads as a
# qualifier ("TA support" is support).
_ROLE_MARK = "\u00a7"


def _last_words(text: str) -> list[str]:
    clause = re.split(r"[,.;()!?]|:\s", text)[-1]
    return re.findall(r"[\w\u00a7'\u2019:-]+", clause)[-3:]


def _says_what(text: str, match: re.Match[str], *, clinical: bool) -> bool:
    """Whether the generic noun `match` is made specific by the words around it."""
    if match.group(0).lower() in _EMPTY:
        return False
    before = _last_words(text[max(0, match.start() - 60) : match.start()])
    after = text[match.end() : match.end() + 160]
    if any(_DEFERRING.fullmatch(word) for word in before) or _LEFT_OPEN.match(after):
        return False
    if before and _WEAK.fullmatch(before[-1]):
        return False
    if before and not _FUNCTION_WORD.fullmatch(before[-1]):
        return True
    purpose = _PURPOSE.match(after)
    phrases = [purpose.group(1)] if purpose else []
    # "Support … during literacy and numeracy lessons" is literacy and numeracy support.
    phrases += [when.group(0) for when in _WHEN.finditer(re.split(r"[.;]", after)[0])]
    for phrase in phrases:
        words = re.findall(r"[\w'\u2019:-]+", phrase)[:6]
        if not any(word.lower() in {"needs", "need"} for word in words) and any(
            not _FUNCTION_WORD.fullmatch(word) for word in words
        ):
            return True
    # "A QTVI will visit once a term to advise staff": the visit is to advise
    if _CONTENT_PURPOSE.search(re.split(r"[.;]", after)[0]):
        return True
    return clinical and bool(_CLINICAL_NOUN.fullmatch(match.group(0)))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _clause_before(text: str, end: int) -> tuple[int, int]:
    """The clause that ends at `end`; if that is empty (", to be arranged by …"), the one
    before it."""
    bounds = [match.end() for match in _CLAUSE_END.finditer(text, 0, end)]
    start = bounds[-1] if bounds else 0
    if not text[start:end].strip(" ,") and bounds:
        start = bounds[-2] if len(bounds) > 1 else 0
    return start, end


def _clause_end(text: str, start: int) -> int:
    found = _CLAUSE_END.search(text, start)
    return found.start() if found else len(text)


def _mask_deferred(masked: str) -> str:
    """`masked` with the content held elsewhere or left to be decided blanked out."""
    spans: list[tuple[int, int]] = []
    documents = (
        _IN_DOCUMENT.finditer(masked) if any(verb in masked for verb in _DOCUMENT_VERBS) else ()
    )
    later = (
        _DELEGATED_AFTER.finditer(masked)
        if " be " in masked and any(verb in masked for verb in _DECIDED)
        else ()
    )
    deciding = (
        _DELEGATED_BEFORE.finditer(masked)
        if any(verb in masked for verb in _DECIDING_VERBS)
        else ()
    )
    for match in documents:
        # The clause naming the provision, and the document's own description ("the report
        # of the specialist AAC service")
        start = _clause_before(masked, match.start())[0]
        spans.append((start, _clause_end(masked, match.end())))
    for match in later:
        # The thing to be decided, unless it is only an amount or a time, and who decides and
        # where ("agreed with his parents at a meeting in September")
        start, end = _clause_before(masked, match.start())
        if _AMOUNT.search(masked, start, end):
            start = match.start()
        spans.append((start, _clause_end(masked, match.end())))
    for match in deciding:
        end = _clause_end(masked, match.end())
        if not _AMOUNT.search(masked, match.end(), min(end, match.end() + 25)):
            spans.append((match.end(), end))
    for start, end in spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return masked


def _has_what(text: str, lower: str, providers: Providers) -> bool:
    masked = lower
    for start, end, _ in providers:
        masked = masked[:start] + _ROLE_MARK + " " * (end - start - 1) + masked[end:]
    masked = _NOT_CONTENT.sub(_blank, _mask_deferred(masked))
    if _WHAT.search(_WHEN.sub(_blank, masked)):
        return True
    generic = list(_GENERIC.finditer(masked))
    if not generic:
        return False
    clinical = any(
        not _advised(text[max(0, match.start() - 40) : match.start()])
        for match in _CLINICAL.finditer(lower)
    )
    return any(_says_what(masked, match, clinical=clinical) for match in generic)


def _has_frequency(text: str, *, hedged: bool) -> bool:
    for pattern in (_FREQUENCY,) if hedged else (_FREQUENCY, _RECURRING):
        for match in pattern.finditer(text):
            if not _INDEFINITE.search(text[max(0, match.start() - 30) : match.start()]):
                return True
    return False


def components_present(statement: str) -> dict[str, bool]:
    """Which of what, frequency, duration and provider the statement states."""
    text = _in_figures(statement)
    lower = _lower(text)
    providers = _providers(text, lower)
    hedged = _frequency_hedged(lower)
    span = not hedged and bool(_SPAN.search(lower))
    return {
        "what": _has_what(text, lower, providers),
        "frequency": span or _has_frequency(lower, hedged=hedged),
        "duration": span
        or bool(_DURATION.search(lower))
        or bool(_DAY_PARTS.search(lower) and not _SESSION_UNIT.search(lower)),
        "provider": _has_provider(lower, providers),
    }


def vague_phrases(statement: str, *, quantified: bool) -> list[tuple[int, int, str]]:
    """(start, end, why) for each vague phrase, in order, overlapping phrases merged."""
    found: list[tuple[int, int, str]] = []
    groups = _ALWAYS if quantified else [*_ALWAYS, *_UNLESS]
    months = [(m.start(), m.end()) for m in _MONTH_MAY.finditer(statement)]
    lower = _lower(statement)
    for pattern, why in groups:
        for match in pattern.finditer(lower):
            if match.group(0) == "may" and any(
                start <= match.start() < end for start, end in months
            ):
                continue
            if why == "opportunity" and _counted(lower, match.start()):
                continue
            if match.group(0) == "should" and _inverted(lower, match.start()):
                continue
            found.append((match.start(), match.end(), why))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, why in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, why))
    return merged


# A numbered list in one statement ("(1) … (2) … (3) …", "1. … 2. …"): each item is provision
# in its own right, so the statement leaves out whatever any item leaves out, and one vague
# item makes it vague. The words before the first number ("Dara – provision:", "The SENCO
# will:") belong to every item. "In Year 1. The TA …" is not a list.
_ENUMERATOR = re.compile(
    r"(?:^|(?<=[\s:;,\u2013\u2014-]))\((\d{1,2}|[a-h]|i{1,3}|iv|vi{0,3})\)\s+"
    r"|(?:^|(?<=[.;:]\s))(\d{1,2})[.)]\s+(?=[A-Z])"
)
_LIST_STARTS = {("1", "2"), ("a", "b"), ("i", "ii")}


def _list_items(statement: str) -> list[tuple[int, int]]:
    """(start, end) of the words before a numbered list in `statement` and of each of its
    items; empty if it is not a list."""
    if not any(first in statement for first in ("(1)", "(a)", "(i)", "1.", "1)")):
        return []
    marks = list(_ENUMERATOR.finditer(statement))
    labels = [(mark.group(1) or mark.group(2)).lower() for mark in marks[:2]]
    if len(marks) < 2 or tuple(labels) not in _LIST_STARTS:
        return []
    ends = [mark.start() for mark in marks[1:]] + [len(statement)]
    return [(0, marks[0].start())] + [
        (mark.end(), end) for mark, end in zip(marks, ends, strict=True)
    ]


def _missing(statement: str) -> tuple[str, ...]:
    present = components_present(statement)
    return tuple(name for name in COMPONENTS if not present[name])


def _assess(statement: str) -> tuple[tuple[str, ...], list[tuple[int, int, str]]]:
    """What the statement leaves out, and its vague phrases (start, end, why)."""
    parts = _list_items(statement)
    if not parts:
        missing = _missing(statement)
        return missing, vague_phrases(statement, quantified=not missing)
    (_, lead), *items = parts
    preamble = statement[:lead]
    left: set[str] = set()
    phrases: list[tuple[int, int, str]] = []
    for start, end in items:
        item = statement[start:end]
        item_missing = _missing(f"{preamble} {item}")
        left.update(item_missing)
        phrases += [
            (start + first, start + last, why)
            for first, last, why in vague_phrases(item, quantified=not item_missing)
        ]
    missing = tuple(name for name in COMPONENTS if name in left)
    phrases += vague_phrases(preamble, quantified=not missing)
    return missing, sorted(phrases)


def flag_provision(statement: str) -> list[ProvisionFlag]:
    """Flags on one provision statement, sorted by start; offsets index `statement`."""
    if not statement.strip():
        return []
    missing, phrases = _assess(statement)
    flags: list[ProvisionFlag] = []
    for start, end, why in phrases:
        phrase = statement[start:end]
        standard = _CASE_FOR.get(why, CLARKE)
        flags.append(
            ProvisionFlag(
                code="vague_language",
                start=start,
                end=end,
                message=(
                    f"\u201c{phrase}\u201d {_WHY[why]}, so the provision cannot be enforced. "
                    f"{CODE_OF_PRACTICE}; {standard}."
                ),
            )
        )
    if missing:
        left = len(statement) - len(statement.lstrip())
        right = len(statement.rstrip())
        standard = REDBRIDGE if missing == ("what",) else NORTH_EAST_LINCOLNSHIRE
        flags.append(
            ProvisionFlag(
                code="unquantified",
                start=left,
                end=right,
                message=(
                    f"The provision does not say {_describe(missing)}. {CODE_OF_PRACTICE}; "
                    f"{standard}; {CLARKE}."
                ),
                missing=missing,
            )
        )
    flags.sort(key=lambda flag: (flag.start, flag.code))
    return flags


_QUESTIONS = {
    "what": "what the provision is",
    "frequency": "how often it happens",
    "duration": "how long it lasts",
    "provider": "who delivers it (their role or qualification)",
}


def _describe(missing: tuple[str, ...]) -> str:
    words = [_QUESTIONS[name] for name in missing]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


# --- Items -----------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·*\-–—o]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+|\(?[ivx]+\)\s+)")
_TABLE_SPLIT = re.compile(r"\s*(?:\||\t)\s*")
_TABLE_HEADER_WORDS = re.compile(
    r"^(?:needs?|provision|frequency|duration|who|by whom|provider|outcomes?|area|"
    r"area of need|how often|how long|staffing|resources|what|when|delivered by|"
    r"special educational provision|special educational needs)$",
    re.IGNORECASE,
)
_END_OF_SENTENCE = re.compile(r"[.;!?:]\s*$")


def _is_heading(line: str, next_line: str | None) -> bool:
    text = line.strip()
    if text.endswith(":") and len(text.split()) <= 8:
        return True
    if (
        _BULLET.match(line)
        or _END_OF_SENTENCE.search(text)
        or re.search(r"\d", text)
        or len(text.split()) > 7
    ):
        return False
    return bool(text[:1].isupper()) and next_line is not None and bool(_BULLET.match(next_line))


def split_items(section_text: str) -> list[Item]:
    """The items of a section: bullets, numbered lines, table rows and paragraphs.

    Lines wrapped by a PDF (a line that does not end a sentence, followed by one that is not
    a bullet) are joined; a blank line ends an item; short lines followed by bullets, and
    lines ending with a colon, are sub-headings kept on the items beneath them."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in section_text.split("\n"):
        lines.append((offset, raw))
        offset += len(raw) + 1
    items: list[Item] = []
    heading = ""
    parts: list[str] = []
    start = end = 0

    def finish() -> None:
        nonlocal parts
        text = " ".join(" ".join(parts).split())
        if text:
            items.append(Item(text=text, start=start, end=end, heading=heading))
        parts = []

    for index, (position, raw) in enumerate(lines):
        text = raw.strip()
        if not text:
            finish()
            continue
        following = next((line for _, line in lines[index + 1 :] if line.strip()), None)
        cells = [cell for cell in _TABLE_SPLIT.split(text) if cell.strip("|- ")]
        if ("|" in text or "\t" in raw) and len(cells) >= 2:
            finish()
            if all(_TABLE_HEADER_WORDS.match(cell.strip()) for cell in cells):
                continue
            lead = len(raw) - len(raw.lstrip())
            start, end = position + lead, position + len(raw.rstrip())
            parts = ["; ".join(cell.strip() for cell in cells)]
            finish()
            continue
        if _is_heading(raw, following):
            finish()
            heading = text.rstrip(":").strip()
            continue
        bullet = _BULLET.match(raw)
        continues = (
            parts and not bullet and not _END_OF_SENTENCE.search(parts[-1]) and text[:1].islower()
        )
        if not continues:
            finish()
            start = position + (bullet.end() if bullet else len(raw) - len(raw.lstrip()))
            text = raw[bullet.end() :].strip() if bullet else text
        parts.append(text)
        end = position + len(raw.rstrip())
    finish()
    return items
