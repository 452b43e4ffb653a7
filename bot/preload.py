"""What a process that will load the model imports before Rasa (ops/rasa_server.py, the tests).

skops.io (the intent model's safe loader) looks each numpy ufunc up in every loaded module when it is
imported: 12 s once TensorFlow is loaded, 3 s before. Its import also brings in numpy.distutils,
whose log module swaps the root logger's class for its own, so Rasa's root-logger lines ("Starting
Rasa server on ...") went raw to stdout (``make shell``'s screen) instead of to the log: the class is
put back.
"""
from __future__ import annotations

import logging


def before_rasa() -> None:
    import skops.io  # noqa: F401

    logging.root.__class__ = logging.RootLogger
