"""`rasa <command>` with the action-result schema compiled once instead of on every turn.

Rasa 3.6 checks each answer of the action server with `jsonschema.validate(result, schema)`,
and `validate` first checks the schema itself against the JSON Schema meta-schema: on this
machine that is 25 ms of every turn, about half the time of a whole answer. Here the schema
is checked once and its compiled validator reused; an invalid action result is still
rejected with the same error. `scripts/serve.py` starts the Rasa server through this file.
"""

import sys
from functools import lru_cache
from typing import Any, Dict

import jsonschema
from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def action_result_validator() -> Any:
    """The validator of Rasa's action-result schema, built (and its schema checked) once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the compiled validator."""
    error = jsonschema.exceptions.best_match(action_result_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise error
    return True


def apply() -> None:
    """Install the compiled validation in Rasa's remote actions."""
    RemoteAction._validate_action_result = validate_action_result


if __name__ == "__main__":
    apply()
    from rasa.__main__ import main

    sys.exit(main())
