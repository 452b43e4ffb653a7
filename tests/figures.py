"""Every amount of money and span of years a reply states must be one the KB holds."""
from __future__ import annotations

import re
from typing import List, Set

from knowledge import queries

MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\s?[kK])?")
NUMBER = r"(\d+(?:\.\d+)?)"
YEARS = re.compile(rf"{NUMBER}\s*(?:[–-]|to)\s*{NUMBER}\s*(?:years?|yrs?)|{NUMBER}\s*(?:years?|yrs?)\b")


def known_numbers() -> Set[float]:
    numbers: Set[float] = set()
    for figure in queries.figures():
        numbers.add(float(figure.amount))
        if figure.upper is not None:
            numbers.add(float(figure.upper))
    return numbers


def unknown_figures(text: str) -> List[str]:
    """The figures in ``text`` that the knowledge base does not state."""
    known = known_numbers()
    bad = []
    for match in MONEY.finditer(text):
        amount = float(match.group(1).replace(",", "")) * (1000 if match.group(0).lower().endswith("k") else 1)
        if amount not in known:
            bad.append(match.group(0))
    for match in YEARS.finditer(text):
        numbers = [float(n) for n in match.groups() if n]
        if any(n not in known for n in numbers):
            bad.append(match.group(0))
    return bad


def assert_only_kb_figures(text: str) -> None:
    bad = unknown_figures(text)
    assert not bad, f"figures not in the knowledge base: {bad} in reply:\n{text}"
