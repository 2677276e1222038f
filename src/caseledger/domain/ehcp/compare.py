"""Compare two versions of a plan section by section, word by word (difflib).

Each section becomes a list of (op, text) runs, op one of "equal", "insert", "delete"; a
replacement is a delete followed by an insert. Joining the "equal" and "delete" texts gives
the old section back (whitespace runs kept as they were), and "equal" and "insert" the new.
Pure Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import SequenceMatcher

from caseledger.domain.ehcp.sections import KEYS

_TOKEN = re.compile(r"\s+|[^\s]+")


def compare_text(old: str, new: str) -> list[tuple[str, str]]:
    old_tokens = _TOKEN.findall(old)
    new_tokens = _TOKEN.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(runs, "equal", "".join(old_tokens[i1:i2]))
        else:
            _add(runs, "delete", "".join(old_tokens[i1:i2]))
            _add(runs, "insert", "".join(new_tokens[j1:j2]))
    return runs


def _add(runs: list[tuple[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if runs and runs[-1][0] == op:
        runs[-1] = (op, runs[-1][1] + text)
    else:
        runs.append((op, text))


def compare_sections(
    old: Mapping[str, str], new: Mapping[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """Word-level changes for every section A..K (and any other key either version has)."""
    keys = list(KEYS) + sorted((set(old) | set(new)) - set(KEYS))
    return {key: compare_text(old.get(key, ""), new.get(key, "")) for key in keys}


def changed_sections(comparison: Mapping[str, list[tuple[str, str]]]) -> list[str]:
    return [key for key, runs in comparison.items() if any(op != "equal" for op, _ in runs)]
