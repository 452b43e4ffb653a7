"""Name resolution in memory: surface forms (names, acronyms, aliases) -> canonical values, per label."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping, Optional

from knowledge.normalize import candidates, normalize
from knowledge.reader import Form
from knowledge.records import TOPIC, VocabularyEntry

_EXACT_ONLY_LENGTH = 4  # forms this short (or all capitals) are matched exactly, never fuzzily


def is_exact_only(form: str) -> bool:
    """Acronyms and very short forms must match exactly (fuzzy matching would misfire)."""
    return len(form) <= _EXACT_ONLY_LENGTH or form == form.upper()


def _whole_words(form: str) -> re.Pattern:
    """A regex for ``form`` not glued to other words (symbols such as "€" need no boundary)."""
    starts, ends = form[0].isalnum(), form[-1].isalnum()
    return re.compile("".join((r"(?<!\w)" if starts else "", re.escape(form),
                               r"s?(?!\w)" if ends else "")))


class Names:
    """Every surface form of the KB, per entity label."""

    def __init__(self, forms: Mapping[str, tuple[tuple[str, Form], ...]]) -> None:
        self._forms = {label: tuple(form for _, form in items) for label, items in forms.items()}
        self._values = {label: {normalized: form[0] for normalized, form in items}
                        for label, items in forms.items()}
        self._patterns = {label: tuple((_whole_words(n), value) for n, value in
                                       sorted(values.items(), key=lambda item: (-len(item[0]), item[0])))
                          for label, values in self._values.items()}
        self.mention = lru_cache(maxsize=4096)(self._mention)

    def resolve(self, label: str, text: str) -> Optional[str]:
        """The canonical value ``text`` names under ``label``, or None.

        Case, spacing, punctuation, a leading "the"/"a"/"an" and a plural "s" are tolerated.
        """
        values = self._values.get(label, {})
        return next((values[form] for form in candidates(text) if form in values), None)

    def _mention(self, label: str, text: str) -> Optional[str]:
        """The value of the longest surface form of ``label`` appearing as whole words in ``text``."""
        normalized = normalize(text)
        return next((value for pattern, value in self._patterns.get(label, ()) if pattern.search(normalized)),
                    None)

    def forms(self, label: str) -> tuple[Form, ...]:
        """Every surface form of ``label``, ordered by value then position."""
        return self._forms.get(label, ())

    def labels(self) -> tuple[str, ...]:
        """The entity labels that have surface forms, sorted."""
        return tuple(sorted(self._forms))

    def vocabulary(self) -> list[VocabularyEntry]:
        """Every surface form users may type, per label and value; exact-only forms separately."""
        entries: list[VocabularyEntry] = []
        for label in self.labels():
            grouped: dict[tuple[str, bool], list[str]] = {}
            for value, form, _, cased in self.forms(label):
                exact = cased or is_exact_only(form) or value.startswith(f"{TOPIC}:")  # topic cues are common words
                grouped.setdefault((value, not exact), []).append(form)
            entries.extend(VocabularyEntry(label, value, tuple(patterns), fuzzy)
                           for (value, fuzzy), patterns in grouped.items())
        return sorted(entries, key=lambda e: (e.label, e.value, e.fuzzy))

    def case_sensitive_forms(self) -> dict[str, list[str]]:
        """Label -> the forms tagged ``!cased`` in the data ("PM", "Lean"), sorted; labels without any
        left out."""
        found = {label: sorted(form for _, form, _, cased in self.forms(label) if cased)
                 for label in self.labels()}
        return {label: forms for label, forms in found.items() if forms}
