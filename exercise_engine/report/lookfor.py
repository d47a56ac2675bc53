"""Which of a criterion's look-fors the recorded words show, and which they do not.

Rubric look-fors are sentences ("Names the specific indicator seen ..."), and the log holds
words: the options chosen, the trainees' own courses of action and rationales, the evaluators'
notes. A look-for counts as evidenced when those words share at least two significant stems with
it (one, for a look-for that has only one). Only words from good performance count (an option
or a rating in the upper half of the scale), so "did not name the indicator" evidences nothing.
It is a prompt for the evaluator, not a verdict: the AAR says "not evidenced in the log", never
"not done".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z][a-z\-']+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ied", "ies", "es", "ed", "ly", "s", "d")
_STOP_WORDS = """
about above after again against also among another any are because been before being below
between both but can could does doing down during each either else even every from further
have having here into its itself just least less like made make many more most much must near
neither none nor not now off once only other others our out over own rather same should since
some such than that the their them then there these they this those through under until upon
very was were what when where whether which while who whom whose why will with within without
would yet your
"""
_STOP = frozenset(_STOP_WORDS.split())


@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    """Significant word stems of a text: lower-cased, stop words out, common suffixes off."""
    out = set()
    for word in _WORD.findall(text.lower()):
        word = word.strip("-'")
        if len(word) < 4 or word in _STOP:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        if word.endswith("e") and len(word) > 4:
            word = word[:-1]
        out.add(word[:6])
    return frozenset(out)


def evidenced(look_for: str, words: frozenset[str]) -> bool:
    wanted = stems(look_for)
    if not wanted:
        return False
    return len(wanted & words) >= min(2, len(wanted))


def missing(look_fors: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The look-fors that none of ``texts`` evidences, in rubric order."""
    words: frozenset[str] = frozenset().union(*(stems(t) for t in texts if t))
    return [lf for lf in look_fors if not evidenced(lf, words)]
