"""opinion_as_fact: a judgement written as though it were a fact (recording rule 12: "facts
kept apart from opinions, and opinions backed by evidence"; Appendix A: "there should be a
clear distinction between the two").

A judgement is fine when the sentence says whose it is ("the teacher said", "in my view")
or when it is someone's own words in quotation marks.
"""

from __future__ import annotations

import re

from caseledger.domain.quality.text import Sentences, inside, lowered

_BE = r"(?:is|was|are|were|has been|have been|is being|was being|seems|seemed|'s|’s)"
# What follows "is", "was", "seems" and so on, when it is a judgement of a person.
_BE_JUDGEMENTS = (
    r"lying|unfit|abusive|controlling"
    r"|(?:a |an )?(?:bad|poor|terrible|good|great|loving|wonderful|excellent|brilliant)"
    r" (?:mother|father|mum|dad|parent|carer|parents)"
    # Predictions and risk judgements stated as certainties.
    r"|(?:a |the )?(?:only |main |key |biggest |real |greatest )?(?:protective|risk) factor"
    # A person labelled rather than described.
    r"|(?:a |an )(?:very |really )?(?:naughty|difficult|bad|horrible|nasty|spoilt|"
    r"problem|violent|aggressive|disruptive|defiant|rude|manipulative|dangerous) "
    r"(?:boy|girl|child|kid|teenager|lad|young person|man|woman|person|family)"
    r"|(?:a |an )(?:(?:heavy |big |problem |binge )?drinker|hoarder|alcoholic|addict|drunk|"
    r"bully|troublemaker|user|attention[- ]seeker|drug addict|bad influence|bad lot|"
    r"danger to|disgrace)"
    r"|drunk|intoxicated|under the influence|stoned|high on \w+"
    # Character judged, not behaviour described.
    r"|(?:very |really |extremely |so |quite |too |to |just |far too )?(?:lazy|selfish|immature|"
    r"unreliable|volatile|unstable|deluded|paranoid|vindictive|spiteful|uncaring|unmotivated|"
    r"inadequate|incapable|deceitful|devious|sly|cunning|nasty|vile|"
    r"ungrateful|self-centred|self-absorbed|hostile|a disgrace|disgraceful|neglected|"
    r"unkempt and neglected|out of control|beyond (?:parental )?control|not bothered|"
    r"not interested|faking(?: it)?|putting it on|making it up|exaggerating|attention[- ]seeking"
    r"|only interested in (?:\w+ ){1,3}|(?:clearly |obviously )?being coached|coached)"
)
# Runs on the note in lower case (text.lowered), without re.IGNORECASE.
_JUDGEMENTS = re.compile(
    r"(?<![a-z0-9_'’])(?:"
    rf"{_BE} (?:{_BE_JUDGEMENTS})"
    r"|neglectful|neglecting (?:him|her|them|the child(?:ren)?|the baby|her children|his children)"
    r"|manipulative|manipulating (?:everyone|staff|professionals|us|people|the situation)"
    r"|(?:compulsive |pathological |habitual )?liars?\b|lies all the time|always lies"
    r"|dishonest|deceitful|untrustworthy|can(?:no|['’])t be trusted"
    r"|unco-?operative|obstructive|irresponsible|negligent|in denial"
    r"|unfit (?:mother|father|parent|parents|carer)"
    r"|(?:does|do|did)(?:n['’]t| not) (?:really |even )?care(?: about)?"
    r"|(?:does|do|did)(?:n['’]t| not) (?:really )?love"
    r"|(?:does|do|did)(?:n['’]t| not) (?:want|intend) to change"
    r"|(?:abusive|controlling) (?:man|woman|partner|father|mother)"
    r"|incapable of|lacks? insight|no insight into"
    r"|disgusting|filthy|squalid|pigsty|a tip\b|chaotic"
    r"|it (?:is|was|['’]s) (?:very |quite |absolutely |perfectly )?(?:obvious|clear|evident|"
    r"apparent|plain)(?: that)?(?! (?:from|in|on|at|to|what|how|why|when|whether|if)\b)"
    r"|obviously|undoubtedly|without (?:a|any) doubt|there (?:is|was|can be) no doubt"
    r"|no doubt that|evidently|clearly"
    # Insight, bonds, interest and respect asserted rather than evidenced.
    r"|(?:has|have|had|with|shows?|showed|shown|demonstrates?|demonstrated) (?:"
    r"(?:(?:very |a )?(?:good|great|some|little|limited|poor|full|real|no|lots of|a lot of|"
    r"any) )?insight\b"
    r"|(?:no|little|a poor|a weak|a strong|a good|a close|an insecure|a secure|a loving) "
    r"(?:real )?(?:bond|attachment)"
    r"|(?:no|little) (?:interest in|respect for|regard for))"
    r"|no (?:real )?(?:bond|attachment) (?:with|to)"
    r"|(?:is|was|are|were|seems?|seemed) (?:not |un)interested in (?:him|her|them|the "
    r"(?:child|children|baby|kids)|(?:his|her|their) (?:child|children|baby|kids|son|daughter))"
    r"|will (?:always |definitely |certainly )?(?:keep|protect) (?:the |her |his |their )?"
    r"(?:child|children|baby|kids|him|her|them)\b(?: safe)?"
    r"|will never (?:change|stop|engage|protect)"
    r"|(?:can(?:not|['’]t)|is unable to|will never be able to) (?:keep (?:\w+ ){1,2}safe|"
    r"protect|prioriti[sz]e|put (?:the |her |his |their )?(?:child|children|baby|kids))"
    r"|well known to (?:services|the police|police|social services|us)"
    r"|play(?:s|ed|ing)? (?:\w+ ){1,2}off against"
    r"|(?:mess|muck)(?:es|ed|ing)? (?:professionals|services|agencies|people|everyone|us|staff|"
    r"workers|the \w+) (?:about|around)"
    r"|unwilling to change"
    # Lies, fakery and engagement asserted rather than evidenced.
    r"|lied (?:about|to)|crocodile tears|fake tears|playing the victim|play(?:s|ed)? the victim"
    r"|(?:is|was|are|were)(?:n['’]t| not) (?:really )?(?:engaging|engaged|genuine)"
    r"|not a genuine|non-?engagement|disengaged|refus(?:es|ed|ing) to engage"
    r"|(?:will not|won['’]t|will never) (?:engage|change)|never going to change"
    r"|(?:is|are|was) not going to change|incapable of chang(?:e|ing)"
    r"|attention[- ]seeking behaviou?r"
    # Predictions stated as certainties.
    r"|(?:it['’]s |it is )?only a matter of time|inevitabl[ey]|bound to (?:happen|re-?offend|"
    r"fail|end|break down|get worse)|(?:will|is going to) (?:definitely|certainly|inevitably|"
    r"surely) "
    # Blame and whole-life judgements.
    r"|never put(?:s)? (?:the |her |his |their )?(?:kids|children|child|baby|son|daughter|"
    r"family)(?:['’]s? needs)? first|put(?:s|ting)? (?:him|her|them)sel(?:f|ves) first"
    r"|puts? (?:his|her|their) own needs (?:first|before)"
    r"|why we(?:['’]re| are) in this (?:mess|situation|position)"
    r"|(?:is|was) (?:all )?(?:her|his|their|mum['’]s|dad['’]s|mother['’]s|father['’]s) (?:own )?"
    r"fault|(?:is|are) to blame"
    r"|(?:his|her|their) usual (?:\w+ )?self"
    r"|(?:certainly|definitely|undoubtedly|unquestionably|plainly|patently|blatantly) "
    r"(?:is|was|are|were|has|have|had|being|lying|using|drinking|not)"
    # A home judged rather than described.
    r"|(?:home|house|flat|property|room|bedroom|kitchen|bathroom|conditions)s? (?:is|was|are|"
    r"were) (?:a |an |in an? )?(?:absolute |complete |total )?(?:disgrace|disgraceful|"
    r"appalling|horrendous|unacceptable|unfit|not fit|hovel|dump|state)\b"
    r")"
)
# The structural rule: a copula ("is", "was", "seems" …) and an evaluative word about a person
# or a home, from a lexicon of judgement words grouped by what they judge. Each is an opinion
# unless the sentence says whose it is or gives the evidence for it.
_EVALUATIVE: dict[str, str] = {
    "character": (
        "selfish|arrogant|entitled|spoilt|spoiled|immature|irresponsible|unreliable|feckless|"
        "incompetent|gullible|weak-willed|two-faced|sneaky|sly|"
        "devious|cunning|conniving|calculating|scheming|vindictive|spiteful|malicious|cruel|"
        "heartless|callous|cold-hearted|obnoxious|ignorant|disrespectful|"
        "argumentative|confrontational|belligerent|difficult|impossible|awkward|"
        "toxic|wicked|dangerous|a bad person"
    ),
    "parenting": (
        "neglectful|negligent|inadequate|unfit|incapable|uncaring|unloving|lax|permissive|"
        "over-?protective|emotionally (?:cold|unavailable|absent|detached)|detached|"
        "cold towards (?:him|her|them|the \\w+)|not coping|failing (?:him|her|them|the \\w+)|"
        "out of (?:her|his|their) depth|not fit to (?:parent|care|look after)"
    ),
    "motivation": (
        "unmotivated|apathetic|complacent|indifferent|disinterested|uninterested|"
        "resistant|evasive|guarded|defensive|secretive|obstructive|un-?co-?operative|"
        "non-?compliant|disengaged|avoidant|dismissive|minimising|minimizing|in denial|"
        "insincere|not genuine|not sincere|fake|false|putting (?:it|this|on an act) on|"
        "putting on an act|going through the motions|only interested in (?:\\w+ ){1,3}"
    ),
    "cleanliness": (
        "filthy|squalid|grubby|grimy|unhygienic|unsanitary|disgusting|revolting|"
        "uninhabitable|"
        "not fit for (?:children|a child|human habitation)"
    ),
    "honesty": (
        "lying|a (?:little |compulsive |pathological |habitual |born )?liar|dishonest|"
        "untruthful|untrustworthy|deceitful|deceptive|economical with the truth|"
        "not telling the truth|making (?:it|this|things|stories) up|exaggerating|fabricating|"
        "hiding (?:something|things|the truth|it)|covering (?:up )?for (?:him|her|them)"
    ),
    "capacity": (
        "incapable|not capable|unable to cope|not able to cope|too (?:thick|stupid|slow)|"
        "a failure|failing"
    ),
    "emotional": (
        "depressed|paranoid|delusional|deluded|unhinged|unstable|mentally (?:ill|unstable|"
        "unwell)|traumati[sz]ed|damaged|obsessive|obsessed with \\w+"
    ),
}
_INTENSIFIERS = (
    r"(?:(?:so|very|really|extremely|totally|completely|utterly|just|always|clearly|obviously|"
    r"quite|far|too|a bit|rather|incredibly|deeply|highly|often|constantly|generally|still|now|"
    r"becoming|getting|being|the only|also|never|ever|simply|plainly|increasingly|"
    r"particularly|pretty|fairly|somewhat|extremely|absolutely|thoroughly|basically) )*"
)
_STRUCTURAL = re.compile(
    r"(?<![a-z0-9_'’])(?:"
    rf"(?:{_BE}|has become|had become|became|remains|remained|is being|are being) "
    rf"{_INTENSIFIERS}(?:{'|'.join(_EVALUATIVE.values())})(?![a-z0-9_'’-])"
    # Predictions and verdicts on a person, a placement or a plan.
    r"|(?:would|will|'d|’d) (?:all )?be (?:much |far )?better off (?:without|away from|in care|"
    r"elsewhere|with(?:out)? (?:him|her|them))"
    r"|(?:won['’]t|will not|will never|would never|can never)(?: ever)? (?:be able to|manage to) "
    r"(?:follow|keep|protect|care for|look after|meet|manage|cope|change|understand|parent|"
    r"stop|prioriti[sz]e|put)"
    r"|should never have been (?:approved|allowed|placed|given|returned|sent|left|trusted|"
    r"accepted|registered|\w+ed)"
    r"|(?:(?:most|all|half|much|anything|everything|nothing|none) of )?what (?:she|he|they) "
    r"says? (?:should|must|can) (?:be )?(?:taken|believed|trusted)|with a pinch of salt"
    r"|can(?:no|['’])t (?:be (?:trusted|believed|relied on)|believe a word)"
    r"|(?:should|must|can) (?:not|never) be (?:trusted|believed|relied on)"
    r"|(?:has|have|had) (?:clearly |obviously |completely |totally |just )?given up on "
    r"(?:him|her|them|the \w+|\w+)|washed (?:their|his|her) hands of"
    r"|(?:placement|arrangement|plan|relationship|marriage|contact) (?:is|was|are|were) "
    r"(?:clearly |obviously |totally |completely )?(?:failing|doomed|a failure|falling apart|"
    r"a disaster|not working)"
    r"|has something to hide"
    r"|(?:is|are|was|were) (?:clearly |obviously |definitely )?being (?:sexually |criminally )?"
    r"(?:exploited|groomed|abused|neglected|manipulated)"
    r"|(?:this|that|it) (?:is|was) (?:classic |clearly |typical |just |textbook |obviously |"
    r"pure |simply )?(?:disguised compliance|attention[- ]seeking|manipulation|"
    r"manipulative behaviou?r|neglect|emotional abuse|grooming|learned behaviou?r)"
    r"|typical (?:attention[- ]seeking|teenage behaviou?r|(?:\w+ )?behaviou?r for (?:him|her))"
    r")"
)
# Evidence or a hedge in the sentence: the statement is backed, or is not stated as fact.
_EVIDENCE = re.compile(
    r"\b(?:because|as (?:shown|evidenced|seen)|evidenced by|for example|e\.g\.|given that|"
    r"based on|i (?:observed|saw|noticed|heard|found|could see)|observed|which suggests|"
    r"suggests?|suggesting|may|might|could|possibly|perhaps|potentially|query|queried|"
    r"suspect(?:s|ed)?|suspicion|concerns?|worry|whether|if|risk of|allegation)\b",
    re.IGNORECASE,
)

# "Clearly" describes how something was done after these words ("she spoke clearly").
_CLEARLY_MANNER = re.compile(
    r"(?:spoke|speak|speaks|speaking|explained|explain|said|say|says|stated|written|write|"
    r"wrote|labelled|marked|set out|heard|hear|see|seen|saw|visible|audible|communicated?|"
    r"communicates|expressed|express|described|describe|read|articulated?|answered|told|"
    r"shown|showed|show|more|very|not|and|displayed|recorded|think|thinking)"
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
    for match in _JUDGEMENTS.finditer(lowered(text)):
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
    for match in _STRUCTURAL.finditer(lowered(text)):
        start, end = match.start(), match.end()
        if inside(quoted, start, end) or any(s < end and start < e for s, e in spans):
            continue
        sentence_start, sentence_end = sentences.around(start)
        sentence = text[sentence_start:sentence_end]
        if sentence.rstrip().endswith("?"):
            continue
        if _ATTRIBUTION.search(text, sentence_start, start) or _ATTRIBUTION_AFTER.match(
            text[end:sentence_end]
        ):
            continue
        if _EVIDENCE.search(sentence):
            continue
        spans.append((start, end))
    return _join_in_sentence(spans, sentences, text)


# Judgements close together in one sentence are one finding: "the relationship is abusive and
# he is controlling".
_JOIN_GAP = 40


# ... but a label and then a prediction about what the person can or will do are two findings:
# "Dad is a drinker and will not change", "is an alcoholic and cannot be trusted".
_SECOND_CLAIM = re.compile(
    r"\s*(?:,\s*)?and (?:can(?:not|['’]t)|will|won['’]t|would|should|must|is going to)\b",
    re.IGNORECASE,
)


def _join_in_sentence(
    spans: list[tuple[int, int]], sentences: Sentences, text: str
) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if (
            joined
            and start - joined[-1][1] <= _JOIN_GAP
            and sentences.around(start) == sentences.around(joined[-1][0])
            and not _SECOND_CLAIM.match(text, joined[-1][1], start + 20)
        ):
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined
