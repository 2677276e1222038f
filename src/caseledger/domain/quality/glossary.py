"""Abbreviations and phrases of children's services and SEND, and what they mean in plain
English (recording rule 12: "no unexplained jargon"; GOV.UK style: spell out an abbreviation
the first time it is used)."""

from __future__ import annotations

import re

from caseledger.domain.quality.text import words

DEFAULT_GLOSSARY: dict[str, str] = {
    "A&E": "accident and emergency",
    "AP": "alternative provision",
    "ASC": "autism spectrum condition",
    "ASD": "autism spectrum disorder",
    "CAF": "common assessment framework",
    "CAMHS": "child and adolescent mental health services",
    "CCE": "child criminal exploitation",
    "CIC": "child in care",
    "CIN": "child in need",
    "CLA": "child looked after",
    "CME": "child missing education",
    "CP": "child protection",
    "CPP": "child protection plan",
    "CPN": "community psychiatric nurse",
    "CSC": "children's social care",
    "CSE": "child sexual exploitation",
    "CYP": "children and young people",
    "DA": "domestic abuse",
    "DBS": "Disclosure and Barring Service",
    "DOB": "date of birth",
    "DSL": "designated safeguarding lead",
    "DV": "domestic violence",
    "EDT": "emergency duty team",
    "EHA": "early help assessment",
    "EHC": "education, health and care",
    "EHCNA": "education, health and care needs assessment",
    "EHCP": "education, health and care plan",
    "EHE": "elective home education",
    "EP": "educational psychologist",
    "EPO": "emergency protection order",
    "EWO": "education welfare officer",
    "FGC": "family group conference",
    "FSW": "family support worker",
    "HV": "health visitor",
    "ICO": "interim care order",
    "ICPC": "initial child protection conference",
    "IDVA": "independent domestic violence adviser",
    "IRO": "independent reviewing officer",
    "ISVA": "independent sexual violence adviser",
    "KS1": "key stage 1",
    "KS2": "key stage 2",
    "KS3": "key stage 3",
    "KS4": "key stage 4",
    "LA": "local authority",
    "LAC": "looked-after child",
    "LADO": "local authority designated officer",
    "LSCP": "local safeguarding children partnership",
    "MARAC": "multi-agency risk assessment conference",
    "MAPPA": "multi-agency public protection arrangements",
    "MASH": "multi-agency safeguarding hub",
    "MLD": "moderate learning difficulties",
    "NEET": "not in education, employment or training",
    "NFA": "no further action",
    "OT": "occupational therapist",
    "PA": "personal adviser",
    "PEP": "personal education plan",
    "PLO": "public law outline",
    "PPO": "police protection order",
    "PR": "parental responsibility",
    "PRU": "pupil referral unit",
    "RCPC": "review child protection conference",
    "S17": "section 17 (child in need)",
    "S20": "section 20 (accommodation agreed with parents)",
    "S47": "section 47 (child protection enquiry)",
    "SALT": "speech and language therapy",
    "SDQ": "strengths and difficulties questionnaire",
    "SEMH": "social, emotional and mental health",
    "SEN": "special educational needs",
    "SEND": "special educational needs and disabilities",
    "SENCO": "special educational needs co-ordinator",
    "SGO": "special guardianship order",
    "SLCN": "speech, language and communication needs",
    "SW": "social worker",
    "TAC": "team around the child",
    "TAF": "team around the family",
    "TM": "team manager",
    "UASC": "unaccompanied asylum-seeking child",
    "YJS": "youth justice service",
    "YOT": "youth offending team",
    "YP": "young person",
}

# All-capital words everyone knows, which are not service jargon.
NON_JARGON: frozenset[str] = words(
    """
    OK UK GB TV BBC ITV NHS GP A&E ID PE RE ICT IT DVD CD PC MP PM AM USA US EU UN CV DNA
    ADHD HIV AIDS COVID GCSE GCSES PSHE BMX PIN SIM SMS URL PDF FAQ QR ATM MOT VAT RSPCA
    NSPCC ASAP BST GMT LGBT LGBTQ LGBTQ+ NB PS AKA ETA MRI OCD PTSD XL XXL WIFI USB CCTV DIY
    SOS UFO RAF ITU ICU ENT MMR BCG PS4 PS5 TBC TBA WC HMRC DWP DVLA RSVP ESOL
    DOB NI DC DS DI DCI DSI PC
    """
)

# Capitals used for emphasis or in a heading, not abbreviations.
EMPHASIS: frozenset[str] = words(
    """
    A AN AND ARE AS AT BE BUT BY DO DONT FOR FROM HE HER HIM HIS I IF IN IS IT ITS ME MY NO
    NOT OF ON OR OUR SHE SO THE THEY TO UP US WAS WE WHO YES YOU MUST NEVER ALL ONLY ALWAYS
    URGENT IMPORTANT NOTE STOP HELP SAFE NOW CALL TODAY ANY MUM DAD WHY HOW WHAT WHEN WHERE
    NOTICE PLEASE READ WARNING CAUTION EXTERNAL PRIVATE SENSITIVE OFFICIAL NOTE NOTES
    ACTION ACTIONS AGREED UPDATE PLAN VISIT SUMMARY RISK RISKS DATE TIME PRESENT NAME NAMES
    BEFORE AFTER AGAIN ASKED CALLED DONE DID HAS HAVE HAD SAID SEEN TOLD WILL WOULD
    """
)

# Phrases of the trade that a child or parent reading their record would not understand.
# (pattern, what to say instead)
JARGON_PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"present(?:s|ed|ing)? as",
        "Describe what you saw and heard instead of 'presenting as'.",
    ),
    (
        r"disguised compliance",
        "Say what the family agreed to do and what happened, instead of 'disguised compliance'.",
    ),
    (
        r"step(?:ped|ping|s)?[- ]down(?! from)",
        "Say it plainly: support moved from children's social care to early help.",
    ),
    (
        r"(?:met|meets|meet|meeting|reach(?:es|ed)?|below|above|under|for) (?:the )?thresholds?"
        r"|thresholds? (?:for|of|was|is|not|has|had)(?! the (?:door|house|flat|room|home))",
        "Say what the decision was and why, instead of 'threshold'.",
    ),
    (
        r"core group",
        "Explain it the first time: the core group (the family and professionals who meet "
        "to make the child protection plan work).",
    ),
    (r"strats?\b(?: (?:meeting|discussion))?", "Write 'strategy discussion' in full."),
    (r"merlins?\b", "Say what it is: a police report that a child may be at risk."),
    (r"rag[- ]rat(?:ed|ing)", "Say what the level of concern is and why."),
    (
        r"toxic trio",
        "Name the concerns instead: domestic abuse, parental mental ill health and "
        "substance misuse.",
    ),
    (r"DNA['’]?(?:e?d|s)\b|did not attend\s*\(DNA\)", "Write 'did not attend'."),
    (r"(?:was|were|is|are) actioned", "Say who will do what, and by when."),
    # Service levels given as a code, unless the note says what the level means.
    (
        r"(?:tier|band) (?:[1-4]|[a-e])\b(?!,?\s*(?:which|meaning|means|\(|i\.e\.|-|–))",
        "Say what the level means for the child or family, for example 'specialist mental "
        "health services' or 'a medium-priority housing need'.",
    ),
    (
        r"legal gateway(?: (?:meeting|panel))?",
        "Say what it is: a meeting with the council's lawyers to decide whether to go to court.",
    ),
)

_ACRONYM_SHAPE = re.compile(r"^[A-Z][A-Z&]{1,5}[sS]?$")


def looks_like_acronym(word: str) -> bool:
    return bool(_ACRONYM_SHAPE.match(word))
