"""Which REST requests the visitor channel answers and which get a 400."""

import pytest

from channels.rest import request_problem


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "v", "message": "Where is Jinchang?"},
        {"sender": 7, "message": ""},
        {"sender": "v", "message": "hi", "metadata": {"page": "home"}},
    ],
)
def test_well_formed_requests_are_answered(body):
    assert request_problem(body) is None


@pytest.mark.parametrize(
    "body, field",
    [
        ([], "JSON object"),
        ("hello", "JSON object"),
        ({"message": "hi"}, "sender"),
        ({"sender": "", "message": "hi"}, "sender"),
        ({"sender": ["v"], "message": "hi"}, "sender"),
        ({"sender": "v"}, "message"),
        ({"sender": "v", "message": 5}, "message"),
        ({"sender": "v", "message": "hi", "metadata": "x"}, "metadata"),
    ],
)
def test_malformed_requests_get_a_reason(body, field):
    assert field in request_problem(body)
