"""The Rasa server's checks of its domain.

- ``Domain.is_empty`` built a new empty ``Domain`` and its dictionary each time it was asked, and the
  processor asks on every message (``_check_for_unseen_features``). The empty domain's dictionary
  is now built once; the comparison with the domain's own is Rasa's.
"""
from __future__ import annotations

from typing import Any, Callable

from bot.speedups import Patch


def once_built_empty_domain(rasa_s_is_empty: Callable[[Any], bool]) -> Callable[[Any], bool]:
    from rasa.shared.core.domain import Domain

    empty = Domain.empty().as_dict()

    def is_empty(self: Domain) -> bool:
        return self.as_dict() == empty

    return is_empty


EMPTY_DOMAIN = Patch("rasa.shared.core.domain:Domain", "is_empty", "884be90ef485f1d2", once_built_empty_domain)
