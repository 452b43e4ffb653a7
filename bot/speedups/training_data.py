"""How Rasa reads training data (``rasa train``, ``rasa data validate``, the tests' importer).

- ``validate_training_data`` checked each entity annotation of the NLU data (about 2,400 here)
  with ``jsonschema.validate``, which checks the schema against its metaschema and builds a new
  validator every time. The validator of each schema is now built once; data it does not accept
  goes through Rasa's own function, so the errors and their messages are Rasa's.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict

from bot.speedups import Patch


def validators_built_once(rasa_s_validate: Callable[[Dict, Dict], None]) -> Callable[[Dict, Dict], None]:
    from jsonschema.validators import validator_for

    built: Dict[str, Any] = {}  # the schema, as JSON -> its validator

    def validate_training_data(json_data: Dict[str, Any], schema: Dict[str, Any]) -> None:
        key = json.dumps(schema, sort_keys=True)
        validator = built.get(key)
        if validator is None:
            kind = validator_for(schema)
            kind.check_schema(schema)
            validator = built[key] = kind(schema)
        if not validator.is_valid(json_data):
            rasa_s_validate(json_data, schema)  # raises Rasa's SchemaValidationError

    return validate_training_data


SCHEMA_VALIDATORS = Patch("rasa.shared.utils.validation", "validate_training_data", "32d515372b5d12ca",
                          validators_built_once)
