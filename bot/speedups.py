"""Equivalent, cheaper versions of three Rasa 3.6 hot spots, installed in the Rasa server's process.

Profiled under load (py-spy, ``make bench``):
- ``RemoteAction._validate_action_result`` re-checked the constant schema on every reply and then
  tried each action event against all 23 event schemas (``oneOf``). Each event is now checked
  against the one schema its ``event`` name selects; anything that does not pass that way goes
  through Rasa's own check, so the outcome and error messages are Rasa's.
- ``EndpointConfig.request`` opened a new HTTP client session (and TCP connection) per call to the
  action server; the session is now kept per endpoint and event loop, with idle connections closed
  well before the action server's own keep-alive timeout. It encodes the tracker it sends with
  ujson (a Rasa dependency, ~3x faster than the standard library; the same JSON once parsed).
- ``Domain.states_for_tracker_history`` (the RulePolicy's view of the conversation) replayed every
  event of the session into a fresh tracker, twice per message. The states before each past action
  are kept on the tracker and only the events added since are replayed, as long as the events
  applied so far are the very same objects (a revert, restart or new session starts over).
- ``DialogueStateTracker.applied_events`` (the session's events minus reverted ones) folded over
  every event of the session, five times per message. The fold is kept on the tracker and continued
  over the events appended since, while the earlier events are the very same objects and no new
  form has appeared (a new form name can change how earlier events count: it starts over).
- ``LogisticRegressionClassifier._create_X`` built the sequence features it does not use (deep
  copies of sparse matrices included) and stacked an empty dense matrix onto the sentence features.
  It now stacks the message's sparse sentence features only; the matrix is the same.
- ``DaskGraphRunner.run`` (every message runs the NLU graph, then the policy graph once per action)
  rebuilt the minimal graph and handed it to dask's scheduler each time. The graph is now ordered
  once per set of targets and its nodes are called in that order, with the same inputs and results.
- ``Event.resolve_by_type`` walked every Event subclass per stored event; the result is cached.
"""
from __future__ import annotations

import asyncio
import copy
import functools
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

KEEPALIVE_S = 2.0  # below Sanic's 5 s keep-alive on the action server: no request on a closing socket

_APPLIED_MEMO = "_career_coach_applied"  # tracker attribute: _AppliedMemo
_STATES_MEMO = "_career_coach_states"  # tracker attribute: {(domain id, omit_unset_slots): _StatesMemo}

_installed = False


def fast_action_result_check(schema: Dict[str, Any]) -> Callable[[Any], bool]:
    """A check that is True only for results ``schema`` accepts (False means: ask jsonschema)."""
    from jsonschema.validators import validator_for

    def compile(part: Dict[str, Any]) -> Any:
        return validator_for(part)(part)

    shell = copy.deepcopy(schema)
    items = shell["properties"]["events"].pop("items")
    alternatives = items.pop("oneOf")
    names = [alternative.get("properties", {}).get("event", {}).get("const") for alternative in alternatives]
    by_name = {name: compile({**items, "allOf": [alternative]})
               for name, alternative in zip(names, alternatives, strict=True) if name and names.count(name) == 1}
    outer = compile(shell)

    def check(result: Any) -> bool:
        if not outer.is_valid(result):
            return False
        for event in result.get("events") or []:
            validator = by_name.get(event.get("event")) if isinstance(event, dict) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    return check


def encode_json(value: Any) -> str:
    """JSON for the action server: what ``json.dumps`` gives once parsed, faster."""
    import ujson

    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


class _KeptSession:
    """``async with`` on a shared aiohttp session that leaves it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def _install_kept_sessions() -> None:
    import aiohttp
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.utils.endpoints import EndpointConfig

    def session(self: EndpointConfig) -> Any:
        loop = asyncio.get_event_loop()
        kept = getattr(self, "_kept_session", None)
        if kept is None or kept[0] is not loop or kept[1].closed:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            kept = (loop, aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S), json_serialize=encode_json))
            self._kept_session = kept
        return _KeptSession(kept[1])

    EndpointConfig.session = session


@dataclass
class _StatesMemo:
    events: List[Any]  # the applied events the states below were computed from
    replay: Any  # a tracker with exactly those events applied
    states: List[Any]  # the state before each ActionExecuted among them


def _install_incremental_states() -> None:
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
        memos = tracker.__dict__.setdefault(_STATES_MEMO, {})
        memo = memos.get((id(self), omit_unset_slots))
        if memo is None or len(memo.events) > len(events) or any(
                seen is not event for seen, event in zip(memo.events, events, strict=False)):
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


def _install_incremental_applied_events() -> None:
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
        events, memo = list(self.events), self.__dict__.get(_APPLIED_MEMO)
        if memo is None or len(memo.seen) > len(events) or any(
                seen is not event for seen, event in zip(memo.seen, events, strict=False)):
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
        self.__dict__[_APPLIED_MEMO] = memo
        return list(applied)

    DialogueStateTracker.applied_events = applied_events


def _install_lean_intent_features() -> None:
    import numpy
    import scipy.sparse
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT

    all_features = LogisticRegressionClassifier._create_X

    @functools.wraps(all_features)
    def create_x(self: LogisticRegressionClassifier, messages: List[Any]) -> Any:
        rows = []
        for message in messages:
            sentence = [f.features for f in message.features
                        if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()]
            if not sentence or message.get_dense_features(TEXT)[1] is not None:
                return all_features(self, messages)
            rows.append(scipy.sparse.hstack(sentence) if len(sentence) > 1 else sentence[0])
        matrix = scipy.sparse.vstack(rows) if len(rows) > 1 else rows[0]
        return scipy.sparse.csr_matrix(matrix, dtype=numpy.result_type(matrix.dtype, numpy.float64))

    LogisticRegressionClassifier._create_X = create_x


def _install_sequential_graph_runs() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def plan(runner: DaskGraphRunner, targets: Tuple[str, ...]) -> List[Tuple[str, List[str]]]:
        """The nodes ``targets`` need, each after the nodes it needs: (name, names of its inputs)."""
        plans = runner.__dict__.setdefault("_career_coach_plans", {})
        if targets not in plans:
            nodes, ordered, seen = runner._graph_schema.nodes, [], set()

            def visit(name: str) -> None:
                if name in seen or name not in nodes:  # inputs such as __message__ are not nodes
                    return
                seen.add(name)
                needs = list(nodes[name].needs.values())
                for need in needs:
                    visit(need)
                ordered.append((name, needs))

            for target in targets:
                visit(target)
            plans[targets] = ordered
        return plans[targets]

    @functools.wraps(DaskGraphRunner.run)
    def run(self: DaskGraphRunner, inputs: Optional[Dict[str, Any]] = None,
            targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        steps = plan(self, run_targets)
        results: Dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{value}' clashes with a node name.")
            results[name] = (name, value)
        try:
            for name, needs in steps:
                results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in run_targets)

    DaskGraphRunner.run = run


def install() -> None:
    """Install every speed-up above in this process (idempotent)."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    check = fast_action_result_check(RemoteAction.action_response_format_spec())
    original_validate = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        return True if check(result) else original_validate(self, result)  # raises with Rasa's message

    resolve = Event.resolve_by_type
    known: Dict[str, Type[Event]] = {}

    def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        cls = known.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and cls is not default:
                known[type_name] = cls
        return cls

    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
    _install_kept_sessions()
    _install_incremental_states()
    _install_incremental_applied_events()
    _install_lean_intent_features()
    _install_sequential_graph_runs()
    _installed = True
