"""Equivalent, cheaper versions of Rasa 3.6 hot spots that have no extension point.

Found by profiling under ``make bench``; each returns what Rasa's own code returns
(tests/test_speedups.py checks each against the original). Where Rasa has an extension point the
speed-up is a subclass instead: the policy (bot/policy.py, in config.yml), the tracker
(bot/tracker.py, built by bot/tracker_store.py) and the graph runner (graph.py).

Every patch is guarded. :func:`install` first compares a hash of the source of the Rasa function
it replaces with the one it was written against; on a mismatch it logs one warning and leaves
Rasa's code in place. ``CAREER_COACH_SPEEDUPS=off`` (``install(enabled=False)``) installs none
and turns the subclasses' shortcuts off too (:data:`ENABLED`). :func:`uninstall` puts Rasa's
code back (tests install and remove them explicitly).
"""
from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

logger = logging.getLogger(__name__)

ENABLED = True  # False: the policy and tracker subclasses take Rasa's own code paths too


@dataclass(frozen=True)
class Patch:
    """``owner.attribute`` (Rasa's, whose source hashes to ``sha256``) replaced by ``build(original)``."""

    owner: str  # "module:Class" or "module"
    attribute: str
    sha256: str  # first 16 hex digits of the SHA-256 of the replaced code's source (Rasa 3.6.21)
    build: Callable[[Any], Any]
    guarded: str = ""  # "module:Qualified.name" whose source is hashed, if not the attribute itself

    def target(self) -> Any:
        return _resolve(self.owner)

    def matches(self) -> bool:
        code = _resolve(self.guarded) if self.guarded else getattr(self.target(), self.attribute)
        source = inspect.getsource(getattr(code, "__func__", code))
        return hashlib.sha256(source.encode()).hexdigest()[:16] == self.sha256


def _resolve(path: str) -> Any:
    """The object "module:Qualified.name" (or "module") names."""
    module, _, names = path.partition(":")
    found: Any = importlib.import_module(module)
    for name in filter(None, names.split(".")):
        found = getattr(found, name)
    return found


def schema_check(schema: Dict[str, Any]) -> Callable[[Any], bool]:
    """Whether a value is valid under the JSON schema ``schema``, compiled once to Python by
    fastjsonschema (about 25x faster than jsonschema's validators)."""
    import fastjsonschema

    validate = fastjsonschema.compile(schema)

    def is_valid(value: Any) -> bool:
        try:
            validate(value)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


_originals: Dict[Tuple[str, str], Any] = {}  # (owner, attribute) -> Rasa's own, while patched


def patches() -> Tuple[Patch, ...]:
    from bot.speedups import action_server, domain, events, graph, heap, training_data

    return (graph.SEQUENTIAL_RUNS, events.EVENT_TYPE_CACHE, action_server.RESULT_CHECK,
            action_server.KEPT_SESSIONS, action_server.WINDOWED_TRACKER, heap.HEAP_FROZEN,
            domain.EMPTY_DOMAIN, training_data.SCHEMA_VALIDATORS)


def install(enabled: bool = True) -> List[str]:
    """Install every patch whose target is the code it was written for; the names installed."""
    global ENABLED
    ENABLED = enabled
    if not enabled:
        uninstall()
        return []
    _install(patches())
    return [f"{owner}.{attribute}" for owner, attribute in _originals]


def _install(chosen: Sequence[Patch]) -> None:
    for patch in chosen:
        key = (patch.owner, patch.attribute)
        if key in _originals:
            continue
        owner = patch.target()
        original = inspect.getattr_static(owner, patch.attribute)
        if not patch.matches():
            logger.warning("speed-up for %s.%s not installed: Rasa's code is not the version it was "
                           "written for (Rasa's own is used)", patch.owner, patch.attribute)
            continue
        _originals[key] = original
        replacement = patch.build(getattr(owner, patch.attribute))
        setattr(owner, patch.attribute, staticmethod(replacement) if isinstance(original, staticmethod)
                else replacement)


def uninstall(among: Optional[Sequence[Patch]] = None) -> None:
    """Put Rasa's own code back wherever a patch (of those ``among``) is installed."""
    for patch in patches() if among is None else among:
        original = _originals.pop((patch.owner, patch.attribute), None)
        if original is not None:
            setattr(patch.target(), patch.attribute, original)


@contextmanager
def installed(*chosen: Patch) -> Iterator[None]:
    """``chosen`` installed for the time of a ``with`` block (the tests' reading of the project); any
    already installed stay."""
    added = [patch for patch in chosen if (patch.owner, patch.attribute) not in _originals]
    _install(added)
    try:
        yield
    finally:
        uninstall(among=added)


def original(patch: Patch) -> Any:
    """Rasa's own code under ``patch`` (installed or not)."""
    kept = _originals.get((patch.owner, patch.attribute))
    if kept is None:
        return getattr(patch.target(), patch.attribute)
    return kept.__func__ if isinstance(kept, staticmethod) else kept
