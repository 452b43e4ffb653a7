"""How the Rasa server reads a conversation's tracker.

- ``Domain.states_for_tracker_history`` (the RulePolicy's view of the conversation) replayed every
  event of the session into a fresh tracker, twice per message. The states before each past action
  are kept on the tracker and only the events added since are replayed, as long as the events
  applied so far are the very same objects (a revert, restart or new session starts over).
- ``DialogueStateTracker.applied_events`` (the session's events minus reverted ones) folded over
  every event of the session, five times per message. The fold is kept on the tracker and continued
  over the events appended since, while the earlier events are the very same objects and no new
  form has appeared (a new form name can change how earlier events count: it starts over).
- ``Event.resolve_by_type`` walked every Event subclass per stored event; the result is cached.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Type

APPLIED_MEMO = "_career_coach_applied"  # tracker attribute: _AppliedMemo
STATES_MEMO = "_career_coach_states"  # tracker attribute: {(domain id, omit_unset_slots): _StatesMemo}


def _continues(seen: List[Any], events: List[Any]) -> bool:
    """Whether ``events`` starts with the very event objects ``seen`` (so work on them can be kept)."""
    return len(seen) <= len(events) and all(old is new for old, new in zip(seen, events, strict=False))


@dataclass
class _StatesMemo:
    events: List[Any]  # the applied events the states below were computed from
    replay: Any  # a tracker with exactly those events applied
    states: List[Any]  # the state before each ActionExecuted among them


def install_incremental_states() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted

    full_history = Domain.states_for_tracker_history

    @functools.wraps(full_history)
    def states_for_tracker_history(self: Domain, tracker: Any, omit_unset_slots: bool = False,
                                   ignore_rule_only_turns: bool = False,
                                   rule_only_data: Optional[Dict[str, Any]] = None) -> List[Any]:
        if ignore_rule_only_turns:  # ML policies' variant: not used by this bot's RulePolicy
            return full_history(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        events = tracker.applied_events()
        memos = tracker.__dict__.setdefault(STATES_MEMO, {})
        memo = memos.get((id(self), omit_unset_slots))
        if memo is None or not _continues(memo.events, events):
            memo = _StatesMemo([], tracker.init_copy(), [])
        for event in events[len(memo.events):]:
            if isinstance(event, ActionExecuted):
                memo.states.append(self._clean_state(self.get_active_state(memo.replay, omit_unset_slots)))
            memo.replay.update(event)
        memo.events = events
        memos[(id(self), omit_unset_slots)] = memo
        last = self._clean_state(self.get_active_state(memo.replay, omit_unset_slots))
        return [{key: dict(part) for key, part in state.items()} for state in memo.states] + [last]

    Domain.states_for_tracker_history = states_for_tracker_history


@dataclass
class _AppliedMemo:
    seen: List[Any]  # the tracker's events the fold has gone over
    loop_names: frozenset  # names of the forms among them
    applied: List[Any]  # the fold's result so far


def install_incremental_applied_events() -> None:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    all_applied = DialogueStateTracker.applied_events

    @functools.wraps(all_applied)
    def applied_events(self: DialogueStateTracker) -> List[Any]:
        if self.events.maxlen is not None:  # old events fall off the front: nothing to continue
            return all_applied(self)
        events, memo = list(self.events), self.__dict__.get(APPLIED_MEMO)
        if memo is None or not _continues(memo.seen, events):
            memo = _AppliedMemo([], frozenset(), [])
        new = events[len(memo.seen):]
        loop_names = memo.loop_names | {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if loop_names != memo.loop_names:
            memo, new = _AppliedMemo([], loop_names, []), events
        applied = memo.applied
        for event in new:  # Rasa 3.6.21's fold, step by step
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                self._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                self._undo_till_previous(UserUttered, applied)
                self._undo_till_previous(ActionExecuted, applied)
            elif (isinstance(event, ActionExecuted) and event.action_name in loop_names
                  and not self._first_loop_execution_or_unhappy_path(event.action_name, applied)):
                self._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        memo.seen = events
        self.__dict__[APPLIED_MEMO] = memo
        return list(applied)

    DialogueStateTracker.applied_events = applied_events


def install_event_type_cache() -> None:
    from rasa.shared.core.events import Event

    resolve = Event.resolve_by_type
    known: Dict[str, Type[Event]] = {}

    def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = known.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and cls is not default:
                known[type_name] = cls
        return cls

    Event.resolve_by_type = staticmethod(resolve_by_type)
