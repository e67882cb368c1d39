"""The action-result check of scripts/rasa_server.py still accepts and rejects what Rasa's does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from scripts.rasa_server import validate_action_result

RESULT = {
    "events": [{"event": "slot", "name": "attraction", "value": "Liqian ancient city", "timestamp": None}],
    "responses": [{"text": "Liqian ancient city is in Yongchang county.", "reply": "attraction"}],
}


def action() -> RemoteAction:
    return RemoteAction("action_describe_attraction", EndpointConfig("http://localhost:5055/webhook"))


def test_a_valid_action_result_passes_both_checks():
    assert action()._validate_action_result(RESULT)  # Rasa's own
    assert validate_action_result(action(), RESULT)


@pytest.mark.parametrize(
    "result",
    [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "slot"}], "responses": []},
        {"events": [], "responses": ["text, not an object"]},
    ],
)
def test_an_invalid_action_result_is_rejected_by_both(result):
    with pytest.raises(jsonschema.ValidationError):
        action()._validate_action_result(result)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        validate_action_result(action(), result)
