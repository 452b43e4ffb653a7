"""How Rasa reads training data (``rasa train``, ``rasa data validate``, the tests' importer).

- ``validate_training_data`` checked each entity annotation of the NLU data (about 2,400 here)
  with ``jsonschema.validate``, which checks the schema against its metaschema and builds a new
  validator every time. Each schema is now compiled once (:func:`bot.speedups.schema_check`); data
  it does not accept goes through Rasa's own function, so the errors and their messages are Rasa's.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict

from bot.speedups import Patch, schema_check


def validators_built_once(rasa_s_validate: Callable[[Dict, Dict], None]) -> Callable[[Dict, Dict], None]:
    built: Dict[str, Callable[[Any], bool]] = {}  # the schema, as JSON -> its check

    def validate_training_data(json_data: Dict[str, Any], schema: Dict[str, Any]) -> None:
        key = json.dumps(schema, sort_keys=True)
        is_valid = built.get(key) or built.setdefault(key, schema_check(schema))
        if not is_valid(json_data):
            rasa_s_validate(json_data, schema)  # raises Rasa's SchemaValidationError

    return validate_training_data


SCHEMA_VALIDATORS = Patch("rasa.shared.utils.validation", "validate_training_data", "32d515372b5d12ca",
                          validators_built_once)
