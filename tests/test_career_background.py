"""A first message that greets, tells a background and asks whether management suits them and how
to start: a career question, over REST through the real stack, never the off-topic reply. A
discipline the article has a path from gets that path; any other background is told the article
has no path from there, then what it does say. None of these phrasings is in data/nlu/.
"""
from __future__ import annotations

from typing import List

import pytest

from actions.render import article
from knowledge.queries import kb
from tests.support.stack import Turn, play, turn

OFF_TOPIC = "outside what I know"
ASKS_ROLE = "what's your current role?"  # the background was given: never asked for again


def moves_of(discipline: str) -> str:
    return kb().discipline_move(discipline).moves_to[0]


def any_move() -> str:
    return next(move for move in kb().discipline_moves() if move.moves_to).moves_to[0]


def no_path_from(origin: str) -> str:
    return f"doesn't cover a move from “{origin}”"


MESSAGES = {
    "a listed discipline, greeted, abbreviated": lambda: turn(
        "hey there, civil engineer, 5 yrs in. would mgmt suit me? how do i begin", moves_of("civil"),
        never=[OFF_TOPIC, ASKS_ROLE]),
    "a listed discipline, asking for the first step": lambda: turn(
        "hello, im a mechanical engineer 3 yrs in. is management the right path for me? what's the first step",
        moves_of("mechanical"), never=[OFF_TOPIC, ASKS_ROLE]),
    "a discipline the article has no path from": lambda: turn(
        "yo marine engineer here w 8 yrs. is mgmt for me?? how do i get started", no_path_from("marine engineer"),
        any_move(), never=[OFF_TOPIC, ASKS_ROLE]),
    "a profession outside engineering": lambda: turn(
        "hey, nurse here, 10 years in. should i go into management? how do i start", no_path_from("nurse"),
        any_move(), never=[OFF_TOPIC, ASKS_ROLE]),
    "slang and abbreviations stay career questions": lambda: turn(
        "yo, electrical eng w/ 5 yrs here. thinking about mgmt but idk where to begin",
        kb().discipline_move("electrical").engineer, never=[OFF_TOPIC, ASKS_ROLE]),
    "slang, a listed discipline with a path": lambda: turn(
        "sup, mech eng w/ 3 yrs, tbh idk how ppl move into management", moves_of("mechanical"),
        never=[OFF_TOPIC, ASKS_ROLE]),
    "where to start, after a background in the same message": lambda: turn(
        "I'm a civil engineer, 6 yrs in. where do i start?", moves_of("civil"), never=[OFF_TOPIC, ASKS_ROLE]),
    "an industry's engineer is a background, not the industry": lambda: turn(
        "aerospace engineer here w/ 4 yrs, how do i get into management", no_path_from("aerospace engineer"),
        any_move(), never=[OFF_TOPIC, ASKS_ROLE]),
    "an engineer of a field the article leaves out is a background, not the field": lambda: turn(
        "mining engineer, 10 yrs exp. should i go into management? how do i begin", no_path_from("mining engineer"),
        any_move(), never=[OFF_TOPIC, ASKS_ROLE, "doesn't cover mining"]),
    "how to start, asked of something else, stays off-topic": lambda: turn(
        "hey, how do i get started with woodworking", OFF_TOPIC, never=["Source:"]),
}


def test_where_to_start_after_a_background_is_a_career_question(conversation) -> None:
    """"Where do I start?" the turn after a background: how to start from there, not what the bot does."""
    play(conversation, [turn("I'm a civil engineer with 3 years experience", "civil engineer"),
                        turn("where do i start?", f"As {article(kb().discipline_move('civil').engineer)}",
                             never=[OFF_TOPIC, ASKS_ROLE])])


@pytest.mark.parametrize("name", list(MESSAGES))
def test_a_background_and_how_to_start_get_a_career_answer(conversation, name: str) -> None:
    turns: List[Turn] = [MESSAGES[name]()]
    play(conversation, turns)
