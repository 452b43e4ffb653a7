"""Rasa's RulePolicy, with work per prediction that does not grow with the conversation.

Rasa 3.6's ``RulePolicy`` turns the whole session into dialogue states on every prediction (twice
per prediction, about three predictions per message), replaying every event into a fresh tracker,
then matches every rule against every state. :class:`IncrementalRulePolicy`, registered in
config.yml in its place, trains exactly as RulePolicy and predicts what it predicts
(tests/test_policy.py runs both on the same lookup), with three changes to how:

- The states before each past action are kept on the tracker, and only the events applied since
  are replayed, while the applied events so far are the very same objects (a revert, a restart, a
  new session or another domain starts over).
- Only the last ``window`` states are handed on, the length of the longest rule: Rasa's
  ``_is_rule_applicable`` passes every rule at a turn further back than the rule is long.
- Rules are indexed by the intent of their last state: only the rules for the message's intent,
  and those that name none, are matched (every rule when the state is a conversation start, which
  Rasa matches without looking at the intent).

With ``CAREER_COACH_SPEEDUPS=off`` (:data:`bot.speedups.ENABLED` False) it is RulePolicy throughout.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any, Deque, Dict, FrozenSet, List, Optional, Set

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT

from bot import speedups
from bot.tracker import Mark

STATES_MEMO = "_career_coach_rule_states"  # tracker attribute: _StatesMemo


@dataclass
class _StatesMemo:
    domain: Domain  # the domain the states were made with (held, so never mistaken for another)
    seen: Mark  # the applied events replayed so far
    replay: DialogueStateTracker  # a tracker with exactly those events applied
    states: Deque[State]  # the state before each of the latest ActionExecuted among them


@dataclass(frozen=True)
class _RuleIndex:
    lookup: Dict[str, str]  # the table indexed (held, so never mistaken for another)
    by_intent: Dict[Optional[str], FrozenSet[str]]  # None: rules whose last state names no intent

    @classmethod
    def of(cls, policy: RulePolicy, lookup: Dict[str, str]) -> _RuleIndex:
        by_intent: Dict[Optional[str], Set[str]] = defaultdict(set)
        for key in lookup:
            intent = policy._rule_key_to_state(key)[-1].get(USER, {}).get(INTENT)
            by_intent[intent if intent and intent != SHOULD_NOT_BE_SET else None].add(key)
        return cls(lookup, {intent: frozenset(keys) for intent, keys in by_intent.items()})

    def candidates(self, state: State) -> FrozenSet[str]:
        """The rules that can match ``state`` as the conversation's current state."""
        if not state.get(PREVIOUS_ACTION):
            return frozenset(self.lookup)
        unnamed = self.by_intent.get(None, frozenset())
        return unnamed | self.by_intent.get(state.get(USER, {}).get(INTENT), frozenset())


def recent_states(tracker: DialogueStateTracker, domain: Domain, window: int) -> List[State]:
    """The last ``window`` of the states Rasa's ``domain.states_for_tracker_history`` gives (copies)."""
    events = tracker.applied_events()
    memo: Optional[_StatesMemo] = tracker.__dict__.get(STATES_MEMO)
    if (memo is None or memo.domain is not domain or memo.states.maxlen != window - 1
            or not memo.seen.continued_by(events)):
        memo = _StatesMemo(domain, Mark(), tracker.init_copy(), deque(maxlen=max(window - 1, 0)))
    for event in events[memo.seen.count:]:
        if isinstance(event, ActionExecuted):
            memo.states.append(domain._clean_state(domain.get_active_state(memo.replay)))
        memo.replay.update(event)
    memo.seen = Mark.of(events)
    tracker.__dict__[STATES_MEMO] = memo
    states = [*memo.states, domain._clean_state(domain.get_active_state(memo.replay))]
    return [{part: dict(values) for part, values in state.items()} for state in states[-window:]]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class IncrementalRulePolicy(RulePolicy):
    """RulePolicy that keeps each conversation's states and matches only the rules that can apply.

    A policy made with a lookup (loaded from a model) predicts this way; one being trained, which
    starts without a lookup and edits it as it checks the rules, is RulePolicy throughout.
    """

    def __init__(self, *args: Any, lookup: Optional[Dict] = None, **kwargs: Any) -> None:
        super().__init__(*args, lookup=lookup, **kwargs)
        tables = [table for table in self.lookup.values() if isinstance(table, dict)] if lookup else []
        self._indexes = [_RuleIndex.of(self, table) for table in tables]
        self._window = max((len(self._rule_key_to_state(key)) for table in tables for key in table),
                           default=0)

    def _prediction_states(self, tracker: DialogueStateTracker, domain: Domain,
                           use_text_for_last_user_input: bool = False,
                           rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
        if not speedups.ENABLED or not self._window:
            return super()._prediction_states(tracker, domain, use_text_for_last_user_input,
                                              rule_only_data)
        states = recent_states(tracker, domain, self._window)
        self.featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    def _get_possible_keys(self, lookup: Dict[str, str], states: List[State]) -> Set[str]:
        index = next((index for index in self._indexes if index.lookup is lookup), None)
        if not speedups.ENABLED or index is None or not states:
            return super()._get_possible_keys(lookup, states)
        keys: Set[str] = set(index.candidates(states[-1]))
        for turn, state in enumerate(reversed(states)):
            keys = {key for key in keys if self._is_rule_applicable(key, turn, state)}
        return keys
