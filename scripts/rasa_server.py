"""`rasa <command>` with three costs of Rasa 3.6 removed; the answers stay the same.

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

3. Every turn, Rasa's SQL tracker store counts the conversation's stored events (a second
   query beside the one that loaded them) to know which events are new, and every event
   read back looks its class up by scanning all Event subclasses. Here the store
   remembers how many events it loaded into the tracker, and the classes are looked up in
   a table: about a tenth of a turn under load. tests/e2e/test_production.py checks that
   every event of 500 concurrent turns is stored once, in order.

`scripts/serve.py` starts the Rasa server through this file, and `make` runs `rasa test`
and `rasa shell` through it. Training (`rasa train`) is left as it is.
"""

import itertools
import sys
from functools import lru_cache
from typing import Any, Dict, Iterator, Optional, Type

import jsonschema
import tensorflow as tf
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
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


_rasa_retrieve = SQLTrackerStore._retrieve
_rasa_additional_events = SQLTrackerStore._additional_events
STORED = "_events_in_store"  # tracker attribute: how many of its events the store holds


async def retrieve(
    self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
) -> Optional[DialogueStateTracker]:
    """SQLTrackerStore._retrieve, remembering how many stored events the tracker holds."""
    tracker = await _rasa_retrieve(self, sender_id, fetch_events_from_all_sessions)
    if tracker is not None and not fetch_events_from_all_sessions:
        setattr(tracker, STORED, len(tracker.events))
    return tracker


def additional_events(self: SQLTrackerStore, session: Any, tracker: DialogueStateTracker) -> Iterator:
    """The tracker's events not yet stored: counted by retrieve, else by Rasa's query."""
    stored = getattr(tracker, STORED, None)
    new = (
        itertools.islice(tracker.events, stored, len(tracker.events))
        if stored is not None
        else _rasa_additional_events(self, session, tracker)
    )
    setattr(tracker, STORED, len(tracker.events))
    return new


@lru_cache(maxsize=None)
def event_classes() -> Dict[str, Type[Event]]:
    """Every concrete Event class by its type name (all are defined when Rasa is imported)."""
    return {cls.type_name: cls for cls in reversed(all_subclasses(Event))}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Event.resolve_by_type from the table; unknown names go to Rasa's own lookup."""
    found = event_classes().get(type_name)
    return found if found is not None else _rasa_resolve_by_type(type_name, default)


_rasa_resolve_by_type = Event.resolve_by_type


def apply() -> None:
    """Install the changes in Rasa."""
    RasaModel.load = classmethod(load_model)
    RemoteAction._validate_action_result = validate_action_result
    SQLTrackerStore._retrieve = retrieve
    SQLTrackerStore._additional_events = additional_events
    Event.resolve_by_type = staticmethod(resolve_by_type)


if __name__ == "__main__":
    apply()
    from rasa.__main__ import main

    sys.exit(main())
