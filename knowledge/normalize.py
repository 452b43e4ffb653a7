"""Normalisation of surface forms, shared by the build (duplicate checks) and look-ups."""
from __future__ import annotations

import re

_ARTICLES = frozenset({"the", "a", "an"})
_SEPARATORS = re.compile(r"[-_/]+")
_PUNCTUATION = re.compile(r"[^\w\s&€£₹¥$+]")


def normalize(text: str) -> str:
    """Lower-case, drop apostrophes and punctuation, collapse spaces, drop a leading article."""
    lowered = text.lower().replace("’", "").replace("'", "")
    words = _PUNCTUATION.sub(" ", _SEPARATORS.sub(" ", lowered)).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


def candidates(text: str) -> list[str]:
    """Normalised forms to try for ``text``: as typed, then with a plural 's' dropped."""
    form = normalize(text)
    forms = [form]
    if len(form) > 2 and form.endswith("s") and not form.endswith("ss"):
        forms.append(form[:-1])
    return forms
