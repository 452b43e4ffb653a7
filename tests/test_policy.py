"""bot/policy.py predicts what Rasa's RulePolicy predicts, on the trained model's own rules.

Conversations are random walks over the domain's intents, with the actions the stock RulePolicy
predicts, the planner form's events, rejections, fallbacks that revert the user's message,
restarts and new sessions. At every step both policies look at the same tracker (ours keeps its
states on it between steps, as in the server) and must give the same prediction.
"""
from __future__ import annotations

import random
from typing import Any, List

import pytest

FORM = "path_plan_form"
STEPS = 60


@pytest.fixture(scope="module")
def policies(agent) -> tuple:
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.graph import ExecutionContext, GraphSchema

    from bot.policy import IncrementalRulePolicy

    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    ours = next(node._component for node in nodes if isinstance(node._component, IncrementalRulePolicy))
    stock = RulePolicy(dict(ours.config), ours._model_storage, ours._resource,
                       ExecutionContext(GraphSchema({})),
                       featurizer=ours.featurizer, lookup=ours.lookup)
    return ours, stock, agent.processor.domain


def _same(ours: Any, stock: Any) -> List[str]:
    """The fields in which two predictions differ (the policy's own name aside)."""
    fields = ("probabilities", "events", "optional_events", "is_end_to_end_prediction",
              "is_no_user_prediction", "hide_rule_turn", "action_metadata", "policy_priority")
    return [field for field in fields if getattr(ours, field) != getattr(stock, field)]


def _user_turn(rng: random.Random, domain: Any) -> Any:
    from rasa.shared.core.events import UserUttered

    intent = rng.choice([*domain.intents, "nlu_fallback"])
    entities = [{"entity": name, "value": "x", "start": 0, "end": 1}
                for name in rng.sample(domain.entities, k=rng.choice([0, 0, 1, 2]))]
    return UserUttered(f"message {rng.random()}", {"name": intent, "confidence": rng.random()}, entities)


def _events_of(action: str, rng: random.Random, tracker: Any) -> List[Any]:
    """Plausible events for ``action`` having run (the form activates, asks, is rejected, ends)."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActiveLoop,
        BotUttered,
        SlotSet,
        UserUtteranceReverted,
    )

    if action == FORM:
        if tracker.active_loop_name == FORM and rng.random() < 0.3:
            return [ActionExecutionRejected(FORM)]
        done = tracker.active_loop_name == FORM and rng.random() < 0.3
        return [ActionExecuted(FORM),
                *([SlotSet("requested_slot", None), ActiveLoop(None)] if done
                  else [ActiveLoop(FORM), SlotSet("requested_slot", rng.choice(["current_role", "goal_role"]))])]
    events = [ActionExecuted(action), BotUttered("...")]
    if action == "action_default_fallback":
        events.append(UserUtteranceReverted())
    return events


def _walk(seed: int, policy: Any, domain: Any):
    """Yield the tracker at every point where the bot must decide, driven by ``policy``."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, Restarted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    rng = random.Random(seed)
    tracker = DialogueStateTracker(f"walk-{seed}", domain.slots)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    for _ in range(STEPS):
        if rng.random() < 0.03:
            tracker.update_with_events([ActionExecuted("action_restart"), Restarted(),
                                        ActionExecuted(ACTION_LISTEN_NAME)], domain)
        elif rng.random() < 0.03:
            tracker.update_with_events([ActionExecuted("action_session_start"), SessionStarted(),
                                        ActionExecuted(ACTION_LISTEN_NAME)], domain)
        tracker.update(_user_turn(rng, domain))
        for _ in range(4):  # the actions after one message
            yield tracker
            prediction = policy.predict_action_probabilities(tracker, domain)
            action = domain.action_names_or_texts[prediction.max_confidence_index]
            tracker.update_with_events(prediction.events, domain)
            if action == ACTION_LISTEN_NAME:
                break
            tracker.update_with_events(_events_of(action, rng, tracker), domain)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


@pytest.mark.parametrize("seed", range(12))
def test_the_incremental_rule_policy_predicts_what_rasa_s_rule_policy_predicts(policies, seed: int) -> None:
    ours, stock, domain = policies
    decisions = 0
    for tracker in _walk(seed, stock, domain):
        theirs = stock.predict_action_probabilities(tracker, domain)
        mine = ours.predict_action_probabilities(tracker, domain)
        assert not _same(mine, theirs), (decisions, [e.as_dict() for e in tracker.events][-6:])
        decisions += 1
    assert decisions > STEPS


def test_a_long_conversation_is_matched_on_a_window_of_states(policies) -> None:
    from bot.policy import STATES_MEMO

    ours, stock, domain = policies
    *_, tracker = _walk(99, stock, domain)  # the tracker once the walk has ended
    assert len(stock._prediction_states(tracker, domain)) > 3 * ours._window
    assert len(ours._prediction_states(tracker, domain)) == ours._window
    memo = tracker.__dict__[STATES_MEMO]
    assert len(memo.states) == ours._window - 1, "only the window of past states is kept"
    for use_text in (False, True):
        assert ours._prediction_states(tracker, domain, use_text) == \
            stock._prediction_states(tracker, domain, use_text)[-ours._window:]
