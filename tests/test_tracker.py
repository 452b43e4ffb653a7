"""bot/tracker.py: the tracker our store builds gives what Rasa's DialogueStateTracker gives."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Dict

import pytest

from tests.support.events import conversations

DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"


@pytest.fixture(scope="module")
def domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(DOMAIN))


def _state_of(tracker: Any) -> Dict[str, Any]:
    """Everything a tracker's events leave behind, as values."""
    from rasa.shared.core.trackers import EventVerbosity

    return {**tracker.current_state(EventVerbosity.ALL), "class": type(tracker),
            "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
            "active_loop": dataclasses.asdict(tracker.active_loop) if tracker.active_loop else None,
            "latest_bot_utterance": tracker.latest_bot_utterance, "paused": tracker._paused,
            "followup_action": tracker.followup_action, "applied": tracker.applied_events(),
            "model_id": tracker.model_id, "sender_source": tracker.sender_source}


@pytest.mark.parametrize("name", list(conversations()))
@pytest.mark.parametrize("every", [1, 3, 7])  # Rasa asks after every event, or after several
def test_applied_events_and_copies_are_rasa_s_when_only_new_events_are_folded(
        domain: Any, name: str, every: int) -> None:
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.tracker import APPLIED_MEMO, ConversationTracker

    tracker = ConversationTracker("u", domain.slots)
    tracker.model_id = "model-1"
    events = conversations()[name]
    for number, event in enumerate(events, start=1):
        tracker.update(event)
        if number % every and number != len(events):
            continue
        assert tracker.applied_events() == DialogueStateTracker.applied_events(tracker)
        ours, rasa_s = tracker.copy(), DialogueStateTracker.copy(tracker)
        assert _state_of(ours) == _state_of(rasa_s)
        role, count = tracker.get_slot("role"), len(tracker.events)
        ours.update(SlotSet("role", "someone else"))  # a copy is a tracker of its own
        assert (tracker.get_slot("role"), len(tracker.events)) == (role, count)
        assert ours.applied_events() == DialogueStateTracker.applied_events(ours), "the copy's own fold"
    assert tracker.__dict__[APPLIED_MEMO].mark.count == len(tracker.events), "the last call extended the fold"
    duplicate = tracker.copy()
    assert duplicate.__dict__[APPLIED_MEMO].applied == tracker.applied_events(), "a copy goes on from the fold"
    assert duplicate.__dict__[APPLIED_MEMO].applied is not tracker.__dict__[APPLIED_MEMO].applied


def test_a_tracker_whose_events_are_replaced_is_folded_afresh() -> None:
    from rasa.shared.core.events import ActionExecuted, Restarted
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.tracker import ConversationTracker

    first, second = conversations()["a restart and a new session"], conversations()["the planner form"]
    tracker = ConversationTracker("u", None)
    for event in [*first[:20], Restarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    assert tracker.applied_events() == DialogueStateTracker.applied_events(tracker)
    tracker.events.clear()  # as Rasa's recreate_from_dialogue reuses the deque
    tracker.events.extend(second)
    assert tracker.applied_events() == DialogueStateTracker.applied_events(tracker)


def test_the_tracker_store_builds_conversation_trackers(tmp_path: Path, domain: Any) -> None:
    import asyncio

    from rasa.shared.core.events import ActionExecuted

    from bot.tracker import ConversationTracker
    from bot.tracker_store import CachedSQLTrackerStore

    async def scenario() -> tuple:
        store = CachedSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "conversations.db"))
        new = await store.get_or_create_tracker("someone")
        new.update(ActionExecuted("action_answer"))
        await store.save(new)
        store._entries.clear()  # as after a restart of the server: read back from the database
        return new, await store.retrieve("someone")

    new, read_back = asyncio.run(scenario())
    assert type(new) is ConversationTracker and type(read_back) is ConversationTracker
    assert [e.as_dict() for e in read_back.events] == [e.as_dict() for e in new.events]


def test_a_mark_is_continued_only_by_the_events_it_was_taken_of_plus_new_ones() -> None:
    from rasa.shared.core.events import SlotSet

    from bot.tracker import Mark

    events = [SlotSet("role", str(number)) for number in range(6)]
    mark = Mark.of(events[:4])
    assert mark.continued_by(events[:4]) and mark.continued_by(events)
    assert mark.after(events) == events[4:]
    assert not mark.continued_by(events[:3]), "shorter"
    assert not mark.continued_by([*events[:2], *events[3:]]), "one cut from the middle: the rest moved down"
    assert not mark.continued_by([SlotSet("role", "0"), *events[1:]]), "replaced by equal, new events"
    assert Mark().continued_by(events) and Mark().after(events) == events
