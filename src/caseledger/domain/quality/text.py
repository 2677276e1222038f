"""Small text helpers the checks share: words, sentences and quoted speech."""

from __future__ import annotations

import bisect
import functools
import re
import sys

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")

# A sentence ends at . ! or ? (and any closing quote or bracket) followed by space, or at a line
# break; a bullet point is a line of its own.
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|\n")
_BULLET = re.compile(r"[ \t]*(?:[-*•·▪–]|\d{1,2}[.)])[ \t]+")

# Direct speech or a quotation: "…", “…”, and '…' or ‘…’ that do not start or end inside a word.
_QUOTED = re.compile(
    r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”|(?<![A-Za-z])['‘][^'‘’\n]{1,300}['’](?![A-Za-z])"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or bullet item, trimmed of surrounding space and of a
    leading bullet mark."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((position, match.end()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed: list[tuple[int, int]] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        if start < end:
            trimmed.append((start, end))
    return trimmed


class Sentences:
    """Which sentence a character offset falls in, found by bisection."""

    def __init__(self, text: str) -> None:
        self.spans = sentence_spans(text)
        self._starts = [start for start, _ in self.spans]

    def around(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return (0, 0)
        return self.spans[index]

    def is_start(self, offset: int) -> bool:
        index = bisect.bisect_left(self._starts, offset)
        return index < len(self._starts) and self._starts[index] == offset


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _QUOTED.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies wholly within one of the (sorted, disjoint) spans."""
    index = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def words(block: str) -> frozenset[str]:
    """The words of a block of text, for writing long word lists readably."""
    return frozenset(block.split())


@functools.lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """`text` in lower case, with every character at the same offset: the checks match their
    word lists against it without re.IGNORECASE, which is much slower."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def near(
    pattern: re.Pattern[str], low: str, triggers: tuple[str, ...], reach: int = 120
) -> list[re.Match[str]]:
    """The matches of `pattern` in `low` (the lower-case note) that lie near one of the
    `triggers`: every match of the pattern must contain one of them. Scanning only the
    stretches around the triggers is far cheaper than scanning the whole note."""
    windows: list[list[int]] = []
    for trigger in triggers:
        position = low.find(trigger)
        while position >= 0:
            windows.append([max(0, position - reach), position + len(trigger) + reach])
            position = low.find(trigger, position + 1)
    if not windows:
        return []
    windows.sort()
    merged = [windows[0]]
    for start, end in windows[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: list[re.Match[str]] = []
    last_end = -1
    for start, end in merged:
        for match in pattern.finditer(low, start, min(end, len(low))):
            if match.start() >= last_end:
                found.append(match)
                last_end = match.end()
    return found
