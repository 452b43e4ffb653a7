"""A first message that greets, tells a background and asks whether management suits them and how
to start: a career question, over REST through the real stack, never the off-topic reply. A
discipline the article has a path from gets that path; any other background is told the article
has no path from there, then what it does say. None of these phrasings is in data/nlu/.
"""
from __future__ import annotations

from typing import List

import pytest

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
    "how to start, asked of something else, stays off-topic": lambda: turn(
        "hey, how do i get started with woodworking", OFF_TOPIC, never=["Source:"]),
}


@pytest.mark.parametrize("name", list(MESSAGES))
def test_a_background_and_how_to_start_get_a_career_answer(conversation, name: str) -> None:
    turns: List[Turn] = [MESSAGES[name]()]
    play(conversation, turns)
