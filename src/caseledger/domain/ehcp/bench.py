"""How fast a long plan is split and analysed: a realistic ~40-page plan (about 16,000
words) must take well under a second. Pure Python: no Django."""

from __future__ import annotations

import statistics
import time

from caseledger.domain.ehcp.plan import analyse_plan
from caseledger.domain.ehcp.sections import split_sections

_NEEDS = (
    "- {name} has difficulty understanding spoken instructions of more than two parts, "
    "particularly in busy classrooms, and relies on copying peers.",
    "- {name} reads about two years below age-related expectations and finds blending "
    "unfamiliar words difficult; reading comprehension is weaker than decoding.",
    "- {name} becomes anxious at transitions and at the start of the day, and may leave "
    "the classroom when overwhelmed by noise.",
    "- {name} has weak fine motor skills; handwriting is slow and tiring, so written work "
    "is often unfinished.",
)
_PROVISION = (
    "- {name} will receive one 45-minute session of speech and language therapy each week, "
    "delivered by an HCPC-registered speech and language therapist.",
    "- Daily 20-minute precision teaching sessions for reading, delivered 1:1 by a teaching "
    "assistant trained in precision teaching.",
    "- {name} will have access to a quiet space when needed.",
    "- Regular support from a teaching assistant with handwriting.",
    "- An occupational therapist will provide 4 hours of direct therapy per term, delivered "
    "as 30 minutes per week.",
)
_OUTCOMES = (
    "- By the end of Key Stage 2, {name} will follow three-part instructions in class.",
    "- {name} will read with more confidence.",
)
_VIEWS = (
    "{name} enjoys swimming, drawing and building models, and says school is best when "
    "the day is predictable and the adults explain what will happen next. {name}'s parents "
    "would like {name} to make friends, to read for pleasure and to feel calm at school."
)
_ADVICE = (
    "Report {number}: It is recommended that {name} receives weekly speech and language "
    "therapy, 45 minutes, by a qualified speech and language therapist. The assessment "
    "found that {name} understands about half of what is said in class."
)


def realistic_plan(words: int = 16_000) -> str:
    """A deterministic plan of at least `words` words, sections A to K, mixed quality."""
    name = "Jack"
    blocks: dict[str, list[str]] = {key: [] for key in "ABEFK"}
    count = 0
    round_number = 0
    while count < words:
        round_number += 1
        additions = {
            "A": [_VIEWS.format(name=name)],
            "B": [need.format(name=name) for need in _NEEDS],
            "E": [outcome.format(name=name) for outcome in _OUTCOMES],
            "F": [item.format(name=name) for item in _PROVISION],
            "K": [_ADVICE.format(name=name, number=round_number)],
        }
        for key, lines in additions.items():
            blocks[key].extend(lines)
            count += sum(len(line.split()) for line in lines)
    return "\n".join(
        [
            "Education, Health and Care Plan (draft)",
            "Section A: Views, interests and aspirations",
            *blocks["A"],
            "Section B: Special educational needs",
            *blocks["B"],
            "Section C: Health care needs",
            "None identified.",
            "Section D: Social care needs",
            "None identified.",
            "Section E: Outcomes",
            *blocks["E"],
            "SECTION F – Special educational provision",
            *blocks["F"],
            "Section G: Health care provision",
            "None.",
            "Section H1: Social care provision",
            "None.",
            "Section H2: Other social care provision",
            "None.",
            "Section I: Placement",
            "This section will be completed in the final plan.",
            "Section J: Personal budget",
            "No personal budget has been requested.",
            "Section K: Advice and information",
            *blocks["K"],
        ]
    )


def benchmark(runs: int = 20) -> dict[str, float]:
    """Timings of `split_sections` + `analyse_plan` on the realistic plan, in milliseconds."""
    plan = realistic_plan()
    timings: list[float] = []
    flags = 0
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        flags = len(analyse_plan(split_sections(plan), status="draft"))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "words": float(len(plan.split())),
        "flags": float(flags),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "max_ms": timings[-1],
    }
