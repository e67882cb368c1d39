"""`rasa <command>` with two costs of Rasa 3.6 removed; the answers stay the same.

1. Loading a DIET model, Rasa builds its weights by training it on one example with
   `model.fit` in graph mode, which traces the whole training step (gradients and
   optimizer) into a TensorFlow graph: on this machine 40-50 s of the start and 430 MB of
   every Rasa process, for a graph that is never used again. Here that one step runs
   eagerly (the `run_eagerly` switch Rasa offers for training) and prediction is switched
   back to a compiled graph before the trained weights are loaded: the same variables,
   the same weights, the same predictions (tests/e2e/test_rasa_server.py compares every
   parse of the evaluation questions), loaded in about 10 s and 680 MB.
2. Rasa checks each answer of the action server with `jsonschema.validate(result,
   schema)`, which first checks the schema itself against the JSON Schema meta-schema:
   25 ms of every turn here, about half of a whole answer. Here the schema is checked
   once and its compiled validator reused; an invalid action result is still rejected.

`scripts/serve.py` starts the Rasa server through this file, and `make` runs `rasa test`
and `rasa shell` through it. Training (`rasa train`) is left as it is.
"""

import sys
from functools import lru_cache
from typing import Any, Dict, Optional

import jsonschema
import tensorflow as tf
from rasa.core.actions.action import RemoteAction
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


def load_model(
    cls: type,
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """RasaModel.load with the weight-building training step run eagerly."""
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.run_eagerly = config.get(RUN_EAGERLY)  # predictions run as a compiled graph again
    model.load_weights(model_file_name)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction graph now, not on turn 1
    return model


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
    """Install both changes in Rasa."""
    RasaModel.load = classmethod(load_model)
    RemoteAction._validate_action_result = validate_action_result


if __name__ == "__main__":
    apply()
    from rasa.__main__ import main

    sys.exit(main())
