"""Every answer template, over every KB subject, reads as natural sentences.

Each row of :data:`actions.dialogue.ASPECTS` is answered directly (no servers), rasa_sdk style: a
Tracker whose latest message carries the row's intent and entities, read with
:meth:`Context.from_tracker`. A row is asked once with no subject, once per KB subject of each kind
it accepts (values as the NLU gives them, from ``kb().names``: role names, certification acronyms,
degree values, stage keys, …), once per pair of subjects of one kind where a row reads two (a
comparison, a route), and once more per role with the user's current role known. The dialogue
layer's own replies get what they are given in conversation: a role the user says is theirs, a
topic, place or profession the article does not cover, a KB statement to retrieve.

What the user reads (the reply, its source line, its buttons' titles) is split into lines, a
bullet ("• …") being a line, then into sentences after ".", "!" or "?" and a space. A line's first
sentence is a list item, which need not have a subject, when it follows a label ("Skills: …",
"Engineering director: Runs several teams…" in a table, "PMP (…), benefits: enhances …") or when
the line has no sentence punctuation at all (a heading, "• Budgets"); every other sentence must be
a full one. Checked:

- no fragment, a sentence that opens with its verb and so lacks its subject ("Runs a team…",
  "Named in the article's table as…"). With no tagger, a capitalised first word is taken for a verb
  when it is "Listed", "Named" or "Mentioned", or ends in "-ed" before a preposition or determiner
  (a passive participle: "Based on…"), or ends in "-s" and either comes before a determiner ("Runs
  a…", "Leads multiple…": a plural noun never does) or is a verb the KB's own text uses after a
  subject pronoun ("it requires", "they demand", "who excel"): that list grows with the KB and
  holds no noun, since "they skills" is never written;
- no doubled parentheses ("(CTO) (5 years)", "((") and no empty list ("roles: .", "(, )");
- "a"/"an" as the next word sounds: "an MBA", "an MEM", "a PMP", "an engineer", "a project";
- no word said twice in a row ("roles roles"), nor three times in a sentence, names of KB subjects,
  web addresses and short function words aside ("the", "of", …).
"""
from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from rasa_sdk import Tracker

from actions.aspects import ASPECTS
from actions.context import Context
from actions.render import render_text
from knowledge import retrieval
from knowledge.queries import kb

Case = Tuple[str, Dict[str, Any], Dict[str, Any], str]  # (what is asked, entities, slots, text)
NEVER_BARE = {"introduce", "origin_not_covered"}  # said only to a user who names their (other) role
PAIRED = {"compare", "ask_progression", "skill_gap"}  # rows that read two subjects of one kind
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
LABEL = re.compile(r"^([^.!?:]{1,60}):\s+(?=\S)")  # "Skills: …", "PMP (Project Management Professional): …"
DOUBLED_WORD = re.compile(r"\b([a-z]{2,})s? \1s?\b")  # "Specialized roles roles", "a specialized roles role"
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"[A-Za-z][A-Za-z&'-]*")
# A subject pronoun and the verb after it: "it"/"you" (object pronouns too) only opening a clause.
SUBJECT_VERB = re.compile(r"(?:(?:^|[.;,:]\s+|\b(?:and|but|so|if)\s+)(it|he|she|you)|\b(they|we|who))\s+"
                          r"(?:often\s+|also\s+|typically\s+|usually\s+)?([a-z]+)")
AUXILIARIES = {"is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "can", "could",
               "may", "might", "must", "shall", "should", "will", "would", "not", "need", "needs"}
FUNCTION_WORDS = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "as", "at", "by", "with",
                  "is", "are", "be", "it", "its", "from", "such", "that", "this", "into", "your", "you"}
DETERMINERS = {"a", "an", "the", "their", "its", "his", "her", "multiple", "several", "more", "each", "every"}
SENTENCE_PUNCTUATION = re.compile(r"[.!?](\s|$)")
LIST_ITEM_INDENT = re.compile(r"^\S+[^:]*:\s+\S")  # "Engineering manager: runs one team" under "• Scope"
PASSIVE_OPENINGS = {"listed", "named", "mentioned"}
PREPOSITIONS = {"in", "as", "by", "among", "for", "with", "under", "on", "at", "from", "to", "into", "after"}
DOUBLED = re.compile(r"\)\s*\(|\(\(|\)\)|\([^()]*\([^()]*\)[^()]*\)")
EMPTY_LIST = re.compile(r"(:|,|\band\b|\bor\b)\s*[.,;:)]|\(\s*[,;]?\s*\)|\s[.,;]\s*$")
VOWEL_LETTERS = "AEFHILMNORSX"  # letters whose name starts with a vowel sound: "an F", "an MBA"


def latest_tracker(intent: str, entities: Dict[str, Any], slots: Dict[str, Any], text: str) -> Tracker:
    """A tracker whose latest message is ``intent`` with ``entities`` (value, or [values] of a label;
    a value of ``current`` is the user's own role)."""
    found = []
    for label, values in entities.items():
        for value in values if isinstance(values, list) else [values]:
            entity = {"entity": label, "value": value, "start": 0}
            if label == "current":
                entity.update(entity="role", role="current")
            found.append(entity)
    latest = {"intent": {"name": intent, "confidence": 1.0}, "entities": found, "text": text}
    return Tracker("rendering", slots, latest, [], False, None, {}, "action_listen")


def subjects(kind: str) -> List[str]:
    """Every value the NLU may give for an entity of ``kind``, from the KB's names."""
    return list(dict.fromkeys(value for value, *_ in kb().names.forms(kind)))


def not_covered(kind: str) -> List[str]:  # "topic:…", "place:…": what the article leaves open
    return [value for value in subjects("not_covered") if value.startswith(f"{kind}:")]


def cases(aspect: str) -> Iterator[Case]:
    """What ``aspect`` is asked in this test: bare, then about each subject it accepts."""
    if aspect not in NEVER_BARE:
        yield aspect, {}, {}, ""
    for kind in ASPECTS[aspect].subjects:
        for value in subjects(kind):
            yield aspect, {kind: value}, {}, value
        if aspect in PAIRED:
            for pair in itertools.combinations(subjects(kind), 2):
                yield aspect, {kind: list(pair)}, {}, " and ".join(pair)
    if "role" in ASPECTS[aspect].subjects:
        start = kb().typical_ladder()[0]
        for value in subjects("role"):
            yield aspect, {"role": value}, {"current_role": start}, value
    for entities, text in own_subjects(aspect):
        yield aspect, entities, {}, text


def own_subjects(aspect: str) -> List[Tuple[Dict[str, Any], str]]:
    """The subjects the dialogue layer answers its own replies about."""
    topics = [({"not_covered": value}, value) for value in not_covered("topic")]
    named = [({kind: value}, value) for kind in ("role", "certification", "degree") for value in subjects(kind)]
    return {
        "introduce": [({"current": value}, f"I'm a {value}") for value in subjects("role")],
        "not_covered": topics + [({**entities, "not_covered": topics[0][1]}, text) for entities, text in named],
        "ask_not_covered": topics,
        "unsure": named,
        "origin_not_covered": [({"not_covered": value}, value) for value in not_covered("profession")],
        "retrieve": [({}, statement.text) for statement in retrieval.statements()],
        "ask_salary": [({"not_covered": value}, value) for value in not_covered("place") + not_covered("currency")],
        "ask_education": [({"not_covered": value}, value) for value in not_covered("degree")],
    }.get(aspect, [])


def answer_text(case: Case) -> str:
    """What the user reads: the reply, its source line, and its buttons' titles (a line each)."""
    aspect, entities, slots, text = case
    reply = ASPECTS[aspect].answer(Context.from_tracker(latest_tracker(aspect, entities, slots, text)))
    return "\n".join([render_text(reply)] + [button["title"] for button in reply.buttons])


# --- reading the text -----------------------------------------------------------------------------

def sentences(text: str) -> Iterator[Tuple[str, bool]]:
    """(sentence, whether it must have a subject), per the module's rules."""
    for line in text.splitlines():
        line = line.strip().removeprefix("•").strip()
        label = LABEL.match(line)
        rest = line[label.end():] if label else line
        item = not SENTENCE_PUNCTUATION.search(rest)  # "Skills: budgeting and scheduling", "• Budgets"
        for index, sentence in enumerate(part for part in SENTENCE_END.split(rest) if part.strip()):
            yield sentence, not (index == 0 and (item or label))


def empty_lists(text: str) -> List[str]:
    """Lines that announce a list ("…, the article adds:") with no item after them."""
    lines = [line.strip() for line in text.splitlines()]
    return [line for line, after in zip(lines, lines[1:] + [""], strict=False)
            if line.endswith(":") and not after.startswith(("•", "-")) and not after[:1].isdigit()
            and not LIST_ITEM_INDENT.match(after)]


def kb_verbs() -> set[str]:
    """Third-person verb forms the KB's own text writes after a subject pronoun ("it requires",
    "they manage" → "manages"), auxiliaries left out."""
    found = set()
    for statement in retrieval.statements():
        for singular, _, word in SUBJECT_VERB.findall(statement.text.lower()):
            if word in AUXILIARIES | FUNCTION_WORDS | PREPOSITIONS | DETERMINERS:
                continue
            if singular in ("it", "he", "she"):
                found |= {word} if word.endswith("s") else set()
            else:
                found.add(third_person(word))
    return found


def third_person(verb: str) -> str:
    """"manage" -> "manages", "carry" -> "carries", "progress" -> "progresses"."""
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return f"{verb}es"
    return f"{verb[:-1]}ies" if verb.endswith("y") and verb[-2:-1] not in "aeiou" else f"{verb}s"


def kb_names() -> re.Pattern:
    """Every name of a KB subject as replies write it (longest first, plural too), as one pattern."""
    names = {form for label in kb().names.labels() if label != "not_covered"
             for _, form, *_ in kb().names.forms(label)}
    names |= {role.title for role in kb().roles()} | {c.name for c in kb().certifications()}
    names |= {d.name for d in kb().degrees()} | {s.name for s in kb().stages()}
    ordered = sorted((re.escape(name.lower()) for name in names), key=len, reverse=True)
    return re.compile(rf"(?<!\w)({'|'.join(ordered)})s?(?!\w)")


def problems(text: str, verbs: set[str], names: re.Pattern) -> List[str]:
    """What reads wrong in ``text``: one line per problem, naming the sentence."""
    found = [f"empty list: {line}" for line in empty_lists(text)]
    for line in text.splitlines():
        if DOUBLED.search(line):
            found.append(f"doubled parentheses: {line}")
        if EMPTY_LIST.search(line):
            found.append(f"empty list: {line}")
        doubled = DOUBLED_WORD.search(line.lower())
        if doubled:
            found.append(f"{doubled.group(0)!r} repeated: {line}")
    for sentence, needs_subject in sentences(text):
        if needs_subject and opens_with_verb(sentence, verbs):
            found.append(f"fragment: {sentence}")
        wrong = wrong_article(sentence)
        if wrong:
            found.append(f"{wrong!r}: {sentence}")
        repeated = repeated_word(sentence, names)
        if repeated:
            found.append(f"{repeated!r} repeated: {sentence}")
    return found


def opens_with_verb(sentence: str, verbs: set[str]) -> bool:
    """Whether the sentence's first word is a past participle or a third-person present verb."""
    words = WORD.findall(sentence)[:2]
    first, after = (words + ["", ""])[0], (words + ["", ""])[1].lower()
    if len(first) < 3 or not first[:1].isupper() or first.isupper() or "'" in first:  # "As", "PMP", "What's"
        return False
    word = first.lower()
    third_person = word.endswith("s") and not word.endswith(("ss", "us", "is")) and (
        word in verbs or (after in DETERMINERS and sentence[len(first):].startswith(" ")))
    participle = word in PASSIVE_OPENINGS or (word.endswith("ed") and after in PREPOSITIONS | DETERMINERS)
    return third_person or participle


def wrong_article(sentence: str) -> Optional[str]:
    """The first "a X"/"an X" whose article does not fit how X sounds."""
    for match in re.finditer(r"\b([Aa]n?) ([A-Za-z][\w&]*)", sentence):
        article, word = match.group(1).lower(), match.group(2)
        if word.isupper() and len(word) > 1:  # an acronym, read letter by letter
            vowel = word[0] in VOWEL_LETTERS
        elif word.lower().startswith(("u", "h", "one", "eu")):
            continue  # "a unique", "an hour", "a one-year": the spelling does not tell
        else:
            vowel = word[0].lower() in "aeio"
        if vowel != (article == "an"):
            return match.group(0)
    return None


def repeated_word(sentence: str, names: re.Pattern) -> Optional[str]:
    """A word said three times in ``sentence``, outside KB names and function words."""
    rest = names.sub(" ", URL.sub(" ", sentence.lower()))
    counts = Counter(w for w in WORD.findall(rest) if w not in FUNCTION_WORDS and len(w) > 2)
    return next((word for word, count in counts.most_common(1) if count >= 3), None)


# --- the tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("aspect", sorted(ASPECTS))
def test_every_reply_reads_as_sentences(aspect: str) -> None:
    verbs, names = kb_verbs(), kb_names()
    found = {}
    for case in cases(aspect):
        text = answer_text(case)
        for problem in problems(text, verbs, names):
            found.setdefault(problem, case[1:3])
    assert not found, f"{aspect}: {len(found)} problems:\n" + "\n".join(
        f"{problem}   [{entities} {slots}]" for problem, (entities, slots) in list(found.items())[:30])


@pytest.mark.parametrize("text, problem", [
    ("An engineering manager is an advanced leadership role. Runs a specific engineering team.", "fragment"),
    ("A senior engineering director is a role. Named in the article's comparison table as a step.", "fragment"),
    ("Listed among the mid-level roles.", "fragment"),
    ("A principal engineer is a role. Requires technical leadership.", "fragment"),
    ("Mentioned once.", "fragment"),
    ("Roles: .", "empty list"),
    ("Roles: budgets, .", "empty list"),
    ("Reporting to the chief technology officer (CTO) (5–8 years).", "doubled parentheses"),
    ("Many take a MBA first.", "'a MBA'"), ("Many take a MEM.", "'a MEM'"),
    ("It is an PMP.", "'an PMP'"), ("It is an project.", "'an project'"),
    ("Budgets grow, budgets shrink and budgets matter.", "'budgets' repeated"),
    ("Specialized roles roles: program manager.", "'roles roles' repeated"),
    ("A systems engineer is a specialized roles role in the article.", "'roles role' repeated"),
    ("Education & early steps roles: . The groundwork starts early.", "empty list"),
])
def test_the_checks_catch_what_the_issue_names(text: str, problem: str) -> None:
    found = problems(text, kb_verbs(), kb_names())
    assert any(p.startswith(problem) for p in found), found


@pytest.mark.parametrize("text", [
    "An engineering manager reports to the engineering director or the VP of engineering.",
    "Skills: budgeting, scheduling and team leadership.", "• Teams: lead, mentor and support engineers",
    "You can take an MEM or an MBA; a PMP helps. An engineer, a project, an hour.",
    "Professionals progress into this role. Certifications such as PMP help.", "Source: “Key Takeaways” (Publisher).",
])
def test_the_checks_pass_natural_sentences(text: str) -> None:
    assert problems(text, kb_verbs(), kb_names()) == []


def test_a_role_is_described_in_a_sentence_about_it() -> None:
    """A role's description answers "what is an X?" on its own: its first sentence names the role
    (the reply says it with no sentence of the bot's own before it)."""
    for role in kb().roles():
        first = SENTENCE_END.split(role.summary)[0].lower()
        named = [role.title, role.name, *role.aliases]
        assert any(name.lower() in first for name in named), f"{role.name}: {first!r} does not name the role"
