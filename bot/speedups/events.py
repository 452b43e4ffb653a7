"""How the Rasa server reads stored events.

- ``Event.resolve_by_type`` walked every Event subclass for each stored event it turned back into
  an object; the class found for a type name is now remembered.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Type

from bot.speedups import Patch


def cached_resolve_by_type(resolve: Callable[..., Any]) -> Callable[..., Any]:
    known: Dict[str, Type[Any]] = {}

    def resolve_by_type(type_name: str, default: Optional[Type[Any]] = None) -> Optional[Type[Any]]:
        cls = known.get(type_name)
        if cls is None:
            cls = resolve(type_name, default)
            if cls is not None and cls is not default:
                known[type_name] = cls
        return cls

    return resolve_by_type


EVENT_TYPE_CACHE = Patch("rasa.shared.core.events:Event", "resolve_by_type", "b5cf570fa7f286c7",
                         cached_resolve_by_type)
