"""The career path as structured data: the custom payload {"path": …} of actions/path_payload.py.

Actions run rasa_sdk style (a Tracker built directly, a CollectingDispatcher); the REST test goes
through the real stack (Slack: tests/test_path_picture_slack.py; the browser: …_web.py). Every role,
duration and flag is compared with the KB (knowledge.queries).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer, ActionPlanPath
from actions.render import role_label, title
from knowledge.queries import kb
from knowledge.records import Step
from tests.support.stack import Conversation
from tests.test_actions import tracker

START, GOAL = "project engineer", "engineering director"


async def messages(action: Action, intent: str, **kwargs: Any) -> List[Dict]:
    """What ``action`` says to the latest message ``intent``."""
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker(intent, **kwargs), {})
    return dispatcher.messages


def path_of(said: List[Dict]) -> Optional[Dict[str, Any]]:
    paths = [m["custom"]["path"] for m in said if (m.get("custom") or {}).get("path")]
    assert len(paths) <= 1, said
    return paths[0] if paths else None


def assert_chain_is(path: Dict[str, Any], steps: List[Step]) -> None:
    names = [steps[0].from_role] + [step.to_role for step in steps]
    assert path["type"] == "career_path" and path["layout"] == "chain"
    assert [step["role"] for step in path["steps"]] == names
    assert [step["label"] for step in path["steps"]] == [title(role_label(name)) for name in names]
    assert [step["layer"] for step in path["steps"]] == list(range(len(names)))
    assert path["edges"] == [{"from": s.from_role, "to": s.to_role, "implied": s.implied,
                              "duration": s.duration.text if s.duration else None} for s in steps]


async def test_planner_sends_its_path_after_the_text() -> None:
    said = await messages(ActionPlanPath(), "plan_path", slots={"current_role": START, "goal_role": GOAL})
    steps = kb().path_between(START, GOAL)
    assert said[0].get("text") and said[-1].get("custom"), said  # the text first, the picture after it
    path = path_of(said)
    assert_chain_is(path, steps)
    assert (path["current"], path["goal"]) == (START, GOAL)
    assert all(step.get("detail") for step in path["steps"][1:])  # what each step asks, for Slack
    assert all(step["detail"] in said[0]["text"] for step in path["steps"][1:])
    assert all(note in said[0]["text"] for note in path["notes"]) and path["notes"]


async def test_route_between_two_roles_sends_its_path() -> None:
    origin, target = "staff engineer", "vp of engineering"
    said = await messages(ActionAnswer(), "ask_progression", entities={"role": [origin, target]})
    path = path_of(said)
    steps = kb().path_between(origin, target)
    assert_chain_is(path, steps)
    assert any(edge["implied"] for edge in path["edges"]) and any(edge["duration"] for edge in path["edges"])
    assert all(step["label"].lower() in said[0]["text"].lower() for step in path["steps"])  # the text stays


async def test_whole_ladder_is_the_progression_graph_by_stage() -> None:
    said = await messages(ActionAnswer(), "ask_progression", slots={"current_role": START})
    path = path_of(said)
    edges = kb().steps()
    assert path["layout"] == "layers"
    assert {(e["from"], e["to"], e["implied"]) for e in path["edges"]} == {(s.from_role, s.to_role, s.implied)
                                                                           for s in edges}
    names = {name for s in edges for name in (s.from_role, s.to_role)}
    assert sorted(step["role"] for step in path["steps"]) == sorted(names)
    stage_names = [stage.name for stage in kb().stages()]
    assert path["layers"] == sorted(path["layers"], key=stage_names.index)
    for step in path["steps"]:
        assert path["layers"][step["layer"]] == kb().stage(kb().role(step["role"]).stage).name, step
    assert path["current"] == START and path["goal"] is None


async def test_answers_without_a_path_send_no_picture() -> None:
    assert path_of(await messages(ActionAnswer(), "ask_salary")) is None
    unreachable = await messages(ActionPlanPath(), "plan_path",
                                 slots={"current_role": "vp of engineering", "goal_role": START})
    assert kb().path_between("vp of engineering", START) is None
    assert path_of(unreachable) is None and "doesn't lead" in unreachable[0]["text"]


async def test_terminal_gets_the_text_alone() -> None:
    """``rasa shell`` would print the payload as JSON."""
    asked = tracker("ask_progression", entities={"role": [START, GOAL]})
    from_shell = Tracker(asked.sender_id, asked.slots, asked.latest_message,
                         [{"event": "user", "text": "", "input_channel": "cmdline"}], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await ActionAnswer().run(dispatcher, from_shell, {})
    assert path_of(dispatcher.messages) is None and len(dispatcher.messages) == 1
    assert title(role_label(GOAL)).lower() in dispatcher.messages[0]["text"].lower()


def test_rest_replies_carry_the_path(bot_stack: str) -> None:
    """The planner (asked "how do I get from X to Y?") and a route question, over REST."""
    planner = Conversation(bot_stack)
    planner.say(f"how do I get from {START} to {GOAL}?")  # the planner asks for the years first
    assert_rest_path(planner, planner.say("3"), START, GOAL)
    origin, target = "staff engineer", "vp of engineering"
    route = Conversation(bot_stack)
    assert_rest_path(route, route.say(f"what's the career path from {origin} to {target}?"), origin, target)


def assert_rest_path(chat: Conversation, reply: str, start: str, goal: str) -> None:
    steps = kb().path_between(start, goal)
    assert all(title(role_label(s.to_role)).lower() in reply.lower() for s in steps), reply
    custom = [m["custom"] for m in chat.last if "custom" in m]
    assert len(custom) == 1 and chat.last[-1].get("custom"), chat.last  # one picture, after the text
    assert_chain_is(custom[0]["path"], steps)
