"""The Rasa server's heap once it is up.

After start-up the process holds millions of long-lived objects (TensorFlow, spaCy, scikit-learn,
the model's graph), and every full garbage collection walked all of them: about 1.2 s with the
server stalled, twice in 40 s of ten users (measured with ``gc.callbacks`` under load).
``rasa.core.run.load_agent_on_start`` now ends with ``gc.freeze()``: what exists once the model is
loaded is left out of later collections (it lives as long as the process anyway); everything made
afterwards is collected as before.
"""
from __future__ import annotations

import functools
import gc
from typing import Any, Callable

from bot.speedups import Patch


def frozen_after_load(load: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(load)
    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        loaded = await load(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return loaded

    return load_agent_on_start


HEAP_FROZEN = Patch("rasa.core.run", "load_agent_on_start", "b23e12447febeb64", frozen_after_load)
