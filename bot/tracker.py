"""The conversation tracker our tracker store builds: Rasa's, with two costs that no longer grow with
the conversation (tests/test_tracker.py checks both against Rasa's own methods).

- ``applied_events`` (the session's events minus reverted ones; Rasa calls it a dozen times per
  message, through ``get_last_event_for``) folded over every event each time. The fold is kept and
  continued over the events appended since, while the events it went over are still in place (a
  :class:`Mark`: same first and last object at the same positions) and no new form has appeared (a
  new form name can change how earlier events count: it starts over).
- ``copy`` (made before every action the bot runs) replayed every event into a fresh tracker. The
  copy now takes the events as they are and the state they left: slots, latest message, action and
  bot utterance, active form, follow-up and pause, and the fold so far. Rasa's copy does not carry
  ``model_id``, ``assistant_id`` or ``sender_source`` over; neither does this one.

With ``CAREER_COACH_SPEEDUPS=off`` (:data:`bot.speedups.ENABLED` False) both are Rasa's own.
"""
from __future__ import annotations

import copy
import dataclasses
import itertools
from dataclasses import dataclass
from typing import List, Optional, Sequence

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import speedups

APPLIED_MEMO = "_career_coach_applied"  # instance attribute: _AppliedMemo


@dataclass(frozen=True)
class Mark:
    """How far a fold over a sequence of events went: how many, and the first and last of them.

    Checking it costs the same at any length. Rasa changes a tracker's events only by appending, by
    replacing them all (new objects), and an applied-events fold only by removing events from its
    end or from the middle of a form's turns; each removal moves the later events down, so the last
    event of a fold that was cut into is no longer at its place (an event object is appended once).
    """

    count: int = 0
    first: Optional[Event] = None
    last: Optional[Event] = None

    @classmethod
    def of(cls, events: Sequence[Event]) -> Mark:
        return cls(len(events), events[0], events[-1]) if events else cls()

    def continued_by(self, events: Sequence[Event]) -> bool:
        """Whether ``events`` still starts with the events this mark was taken of."""
        count = self.count
        return count == 0 or (len(events) >= count and events[0] is self.first
                              and events[count - 1] is self.last)

    def after(self, events: Sequence[Event]) -> List[Event]:
        """The events of ``events`` past the mark (a deque is read from its end)."""
        return list(reversed(list(itertools.islice(reversed(events), len(events) - self.count))))


@dataclass
class _AppliedMemo:
    mark: Mark  # the tracker's events the fold has gone over
    loop_names: frozenset  # names of the forms among them
    applied: List[Event]  # the fold's result so far


class ConversationTracker(DialogueStateTracker):
    """``DialogueStateTracker`` with an incremental ``applied_events`` and a copy without replay."""

    @classmethod
    def adopt(cls, tracker: DialogueStateTracker) -> ConversationTracker:
        """``tracker`` itself, as a ConversationTracker (the subclass adds no state of its own)."""
        tracker.__class__ = cls
        return tracker  # type: ignore[return-value]

    def init_copy(self) -> ConversationTracker:
        return self.adopt(super().init_copy())

    def applied_events(self) -> List[Event]:
        if not speedups.ENABLED or self.events.maxlen is not None:  # old events fall off the front
            return super().applied_events()
        events, memo = self.events, self.__dict__.get(APPLIED_MEMO)
        if memo is None or not memo.mark.continued_by(events):
            memo = _AppliedMemo(Mark(), frozenset(), [])
        new = memo.mark.after(events)
        loop_names = memo.loop_names | {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if loop_names != memo.loop_names:
            memo, new = _AppliedMemo(Mark(), loop_names, []), list(events)
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
        memo.mark = Mark.of(events)
        self.__dict__[APPLIED_MEMO] = memo
        return list(applied)

    def copy(self) -> ConversationTracker:
        if not speedups.ENABLED:
            return super().copy()  # replays through init_copy: a ConversationTracker too
        duplicate = self.init_copy()
        duplicate.events.extend(self.events)
        for name in duplicate.slots:  # init_copy's slots: copies of the same slots, reset
            duplicate.slots[name] = copy.copy(self.slots[name])
        duplicate.latest_message = self.latest_message
        duplicate.latest_bot_utterance = self.latest_bot_utterance
        duplicate.latest_action = dict(self.latest_action) if self.latest_action is not None else None
        duplicate.active_loop = dataclasses.replace(self.active_loop) if self.active_loop else self.active_loop
        duplicate.followup_action = self.followup_action
        duplicate._paused = self._paused
        memo = self.__dict__.get(APPLIED_MEMO)
        if memo is not None and memo.mark.continued_by(self.events):  # the same events: the same fold
            duplicate.__dict__[APPLIED_MEMO] = _AppliedMemo(memo.mark, memo.loop_names, list(memo.applied))
        return duplicate
