"""How fast the analyser reads a realistic 1,000-word note (the assistant runs as the author
types, so it must stay well under 20 ms)."""

from __future__ import annotations

import statistics
import time

from caseledger.domain.quality.analyser import analyse, count_words
from caseledger.domain.quality.findings import AnalyserConfig

_PARAGRAPHS = (
    "Announced home visit to see Freddie and his mum, Karen Smith, as part of the child in "
    "need (CIN) plan. Freddie was seen alone in his bedroom for about twenty minutes. He "
    "showed me his drawings and said he likes his new class teacher.",
    "Karen said she has been struggling with sleep since the baby was born and that her "
    "mental health has been low. She said she has an appointment with the GP next week. I "
    "asked whether she would like a referral to the perinatal team and she agreed.",
    "The kitchen had food in the fridge and cupboards. The living room was tidy. Freddie's "
    "bedroom had a bed with clean bedding, a wardrobe and toys. There was a smell of damp in "
    "the bathroom and black mould on the ceiling; Karen said the landlord has been told.",
    "We talked about the school's concerns about Freddie's attendance, which was 86% last "
    "term. Karen said mornings are hard because the baby wakes early. We agreed that the "
    "family support worker will help with a morning routine for the next six weeks.",
    "Mother was neglectful and the house is disgusting. The SENCO said Freddie kicked off in "
    "class on Tuesday. I recieved the behavior chart from school.",
    "Freddie said he misses his dad and would like to see him more often. Karen said she is "
    "open to this if it is safe and agreed to talk to the solicitor about family time. I "
    "will discuss this with my manager in supervision on Thursday.",
    "Actions: family support worker to start the routine work by 12 June; social worker to "
    "ask the health visitor for an update on the baby's weight; Karen to call the GP.",
)


def realistic_note(words: int = 1000) -> str:
    """A deterministic note of at least `words` words: mostly clean, with a few issues."""
    paragraphs: list[str] = []
    visit = 0
    while count_words("\n\n".join(paragraphs)) < words:
        visit += 1
        for paragraph in _PARAGRAPHS:
            # Number each round so later rounds are not repeats of the first.
            paragraphs.append(f"Visit {visit}, point {len(paragraphs) + 1}: {paragraph}")
    return "\n\n".join(paragraphs)


def benchmark(runs: int = 200) -> dict[str, float]:
    """Timings of `analyse` on the realistic note, in milliseconds."""
    note = realistic_note()
    config = AnalyserConfig(known_names=("Freddie Smith", "Karen Smith"))
    analyse(note, config)
    timings: list[float] = []
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        analyse(note, config)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "words": float(count_words(note)),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        "max_ms": timings[-1],
    }
