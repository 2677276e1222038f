"""opinion_as_fact: a judgement written as though it were a fact (recording rule 12: "facts
kept apart from opinions, and opinions backed by evidence"; Appendix A: "there should be a
clear distinction between the two").

A judgement is fine when the sentence says whose it is ("the teacher said", "in my view")
or when it is someone's own words in quotation marks.
"""

from __future__ import annotations

import re

from caseledger.domain.quality.text import Sentences, inside

_BE = r"(?:is|was|are|were|has been|have been|is being|was being|seems|seemed|'s|’s)"
_JUDGEMENTS = re.compile(
    r"(?<![A-Za-z0-9_'’])(?=[a-z])(?:"
    r"neglectful|neglecting (?:him|her|them|the child(?:ren)?|the baby|her children|his children)"
    r"|manipulative|manipulating (?:everyone|staff|professionals|us|people|the situation)"
    r"|(?:compulsive |pathological |habitual )?liars?\b|lies all the time|always lies"
    rf"|{_BE} lying|dishonest|deceitful|untrustworthy|can(?:no|['’])t be trusted"
    r"|unco-?operative|obstructive|irresponsible|negligent|in denial"
    rf"|{_BE} unfit|unfit (?:mother|father|parent|parents|carer)"
    r"|(?:does|do|did)(?:n['’]t| not) (?:really |even )?care(?: about)?"
    r"|(?:does|do|did)(?:n['’]t| not) (?:really )?love"
    rf"|{_BE} (?:a |an )?(?:bad|poor|terrible|good|great|loving|wonderful|excellent|brilliant)"
    r" (?:mother|father|mum|dad|parent|carer|parents)"
    rf"|{_BE} (?:abusive|controlling)|(?:abusive|controlling) (?:man|woman|partner|father|mother)"
    r"|incapable of|(?:has|have|had|with) no insight|lacks? insight|no insight into"
    r"|disgusting|filthy|squalid|pigsty|a tip\b|chaotic"
    r"|it (?:is|was|['’]s) (?:obvious|clear|evident|apparent|plain) that"
    r"|obviously|undoubtedly|without (?:a|any) doubt|there (?:is|was|can be) no doubt"
    r"|no doubt that|evidently|clearly"
    r")",
    re.IGNORECASE,
)
# "Clearly" describes how something was done after these words ("she spoke clearly").
_CLEARLY_MANNER = re.compile(
    r"(?:spoke|speak|speaks|speaking|explained|explain|said|say|says|stated|written|write|"
    r"wrote|labelled|marked|set out|heard|hear|see|seen|saw|visible|audible|communicated?|"
    r"communicates|expressed|express|described|describe|read|articulated?|answered|told|"
    r"shown|showed|show|was|were|is|are|more|very|not|and|displayed|recorded|think|thinking)"
    r"\s+$",
    re.IGNORECASE,
)
_CLEARLY_MANNER_AFTER = re.compile(
    r"\s*(?:visible|audible|labelled|marked|written|displayed|legible|defined|set out|"
    r"and calmly|and confidently|to me|what|how|that he|that she|why)",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|told|tells|reported|reports|stated|states|described|describes|"
    r"explained|explains|shared|disclosed|discloses|alleged|alleges|allegedly|claimed|claims|"
    r"accused|accuses|called|calls|believes|believed|feels|felt|thinks|thought|wrote|writes|"
    r"written|complained|worried|worries|according to|asked|quoted|view is|views are|"
    r"in (?:my|her|his|their|our|the school's|the teacher's) (?:view|opinion|assessment|"
    r"professional (?:view|opinion|judgement))|i (?:think|believe|consider|feel)|"
    r"my (?:view|assessment|concern|opinion|professional judgement)|"
    r"(?:is|was|were|are) of the view|the view of|concerned that|worried that)\b",
    re.IGNORECASE,
)
_ATTRIBUTION_AFTER = re.compile(
    r"^[^.!?\n]*?,\s*(?:\w+['’]?s?\s+){0,4}(?:said|reported|told|alleged|claimed|stated|"
    r"explained|felt|believes|thinks)\b|^[^.!?\n]*\baccording to\b",
    re.IGNORECASE,
)

MESSAGE = (
    "This reads as an opinion written as fact. Keep facts apart from opinions and back any "
    "opinion with evidence (recording rule 12)."
)
SUGGESTION = (
    "Record what you saw or heard and who said it; if it is your professional view, say so "
    "and give the evidence for it."
)


def find_opinions(
    text: str, sentences: Sentences, quoted: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _JUDGEMENTS.finditer(text):
        start, end = match.start(), match.end()
        if inside(quoted, start, end):
            continue
        sentence_start, sentence_end = sentences.around(start)
        before = text[sentence_start:start]
        if match.group().lower() == "clearly" and (
            _CLEARLY_MANNER.search(before[-30:])
            or _CLEARLY_MANNER_AFTER.match(text, end, min(end + 30, len(text)))
        ):
            continue
        if _ATTRIBUTION.search(before):
            continue
        if _ATTRIBUTION_AFTER.match(text[end:sentence_end]):
            continue
        spans.append((start, end))
    return spans
