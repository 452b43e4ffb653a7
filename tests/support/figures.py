"""Every amount of money and span of years a reply states must be one the KB holds."""
from __future__ import annotations

import re
from functools import cache
from typing import Dict, List, Set

from knowledge.loader import DATA_DIR, load_file
from knowledge.queries import kb
from knowledge.records import Figure

MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\s?[kK])?")
NUMBER = r"(\d+(?:\.\d+)?)"
YEARS = re.compile(rf"{NUMBER}\s*(?:[–-]|to)\s*{NUMBER}\s*(?:years?|yrs?)|{NUMBER}\s*(?:years?|yrs?)\b")


NUMBER_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def numbers_said(text: str) -> Set[float]:
    """Numbers a user typed ("3", "five"): the bot may repeat them back."""
    words = re.findall(r"[a-z]+|\d+(?:\.\d+)?", text.lower())
    return {float(w) if w[0].isdigit() else float(NUMBER_WORDS[w]) for w in words
            if w[0].isdigit() or w in NUMBER_WORDS}


def known_numbers() -> Set[float]:
    numbers: Set[float] = set()
    for figure in kb().figures():
        numbers.add(float(figure.amount))
        if figure.upper is not None:
            numbers.add(float(figure.upper))
    return numbers


def unknown_figures(text: str, said: Set[float] = frozenset()) -> List[str]:
    """The figures in ``text`` that neither the knowledge base states nor the user said."""
    known = known_numbers() | set(said)
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


def assert_only_kb_figures(text: str, said: Set[float] = frozenset()) -> None:
    bad = unknown_figures(text, said)
    assert not bad, f"figures not in the knowledge base: {bad} in reply:\n{text}"


@cache
def _figures() -> Dict[str, Figure]:
    """The KB's figures, read from its data files (no database needed at import)."""
    return {figure.key: figure for figure in load_file(DATA_DIR, "figures")}


def amount(key: str) -> str:
    """A sum of money as replies state it: the figure's text from its "$" ("around $30,000" -> "$30,000")."""
    text = _figures()[key].text
    return text[text.index("$"):]


def years(key: str) -> str:
    """A span of years as replies state it: "1–2 years"."""
    figure = _figures()[key]
    return f"{figure.amount:g}–{figure.upper:g} years"


# The figures the tests ask about, from the KB.
LOW_SALARY, HIGH_SALARY, AVERAGE_SALARY = (amount(k) for k in ("salary_low", "salary_high", "salary_average"))
MBA_PREMIUM = amount("mba_premium")
MEM_YEARS, MID_LEVEL_YEARS = years("mem_duration"), years("mid_level_transition")
