"""Hand-made event sequences for the tests of Rasa shortcuts: questions and follow-ups, the planner
form, fallbacks, reverts, restarts and new sessions."""
from __future__ import annotations

from typing import Any, Dict, List

from tests.support.figures import AVERAGE_SALARY


def user_says(text: str, intent: str, **entities: str) -> Any:
    from rasa.shared.core.events import UserUttered

    return UserUttered(text, intent={"name": intent, "confidence": 0.9},
                       entities=[{"entity": name, "value": value} for name, value in entities.items()])


def conversations() -> Dict[str, List[Any]]:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        BotUttered,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
    )

    listen = ActionExecuted("action_listen")
    turns = [user_says("salary?", "ask_salary", role="engineering manager"), ActionExecuted("action_answer_salary"),
             SlotSet("role", "engineering manager"), BotUttered(AVERAGE_SALARY), listen,
             user_says("and a director?", "inform", role="engineering director"),
             ActionExecuted("action_answer_follow_up"),
             SlotSet("role", "engineering director"), BotUttered("..."), listen]
    return {
        "questions and follow-ups": [listen, *turns],
        "the planner form": [listen, user_says("plan my path", "plan_path"), ActionExecuted("path_plan_form"),
                             ActiveLoop("path_plan_form"), SlotSet("requested_slot", "current_role"), listen,
                             user_says("project engineer", "inform", role="project engineer"),
                             ActionExecuted("path_plan_form"), SlotSet("current_role", "project engineer"),
                             SlotSet("requested_slot", "years_experience"), listen,
                             user_says("what's a PMP?", "ask_certification"),
                             ActionExecuted("action_answer_certification"),
                             BotUttered("..."), ActionExecuted("path_plan_form"), listen, user_says("3", "inform"),
                             ActionExecuted("path_plan_form"), SlotSet("years_experience", 3.0),
                             ActiveLoop(None), SlotSet("requested_slot", None), listen, *turns],
        "a fallback reverts the user's message": [listen, *turns[:5], user_says("blorp", "nlu_fallback"),
                                                  ActionExecuted("action_default_fallback"), BotUttered("rephrase?"),
                                                  UserUtteranceReverted(), listen, *turns[5:]],
        "an action is reverted": [listen, *turns[:5], user_says("undo", "deny"), ActionExecuted("action_x"),
                                  ActionReverted(), listen, *turns[5:]],
        "a restart and a new session": [listen, *turns, ActionExecuted("action_restart"), Restarted(), listen,
                                        *turns[:5], ActionExecuted("action_session_start"), SessionStarted(),
                                        FollowupAction("action_listen"), listen, *turns],
    }
