"""Allowed origins are exact: patterns are refused, and a longer origin never matches."""

import pytest
from sanic import Sanic
from sanic_cors.core import try_match_any

from channels.origins import allowed, cors_patterns, exact_origins
from server import rasa_server
from server.rasa_server import configure_cors

ALLOWED = "https://allowed.example.org"
LOOKALIKES = [
    "https://allowed.example.org.evil.test",
    "https://allowed.example.org:8443",
    "http://allowed.example.org",
    "https://evil-allowed.example.org",
    "https://allowed.example.orgevil.test",
]


def test_exact_origins_are_read_from_a_space_or_comma_separated_setting():
    assert exact_origins("https://a.example/, http://localhost:8080  HTTPS://B.example:8443") == [
        "https://a.example",
        "http://localhost:8080",
        "https://b.example:8443",
    ]
    assert exact_origins(["https://a.example"]) == ["https://a.example"]
    assert exact_origins("") == exact_origins(None) == []


@pytest.mark.parametrize(
    "pattern",
    [
        "*",
        ".*",
        "https://*.example.org",
        r"https://allowed\.example\.org",
        "https://allowed.example.org/chat",
        "allowed.example.org",
        "https://[a-z]+.org",
        "ftp://allowed.example.org",
    ],
)
def test_a_pattern_or_anything_but_an_origin_is_an_error_that_names_it(pattern):
    with pytest.raises(ValueError, match="is not an exact origin"):
        exact_origins(f"{ALLOWED} {pattern}")


@pytest.mark.parametrize("origin", LOOKALIKES)
def test_a_lookalike_origin_is_not_allowed(origin):
    assert not allowed(origin, [ALLOWED])
    assert not any(pattern.match(origin) for pattern in cors_patterns([ALLOWED]))


def test_the_allowed_origin_is_allowed_in_any_case_with_a_trailing_slash():
    assert allowed("https://Allowed.example.org/", [ALLOWED])
    assert any(pattern.match("https://ALLOWED.example.org") for pattern in cors_patterns([ALLOWED]))


def configured_origins(monkeypatch) -> list:
    """The origins the Rasa server's configure_cors hands to Sanic-Cors."""
    calls = []
    monkeypatch.setattr(rasa_server, "CORS", lambda app, resources, **options: calls.append(resources))
    configure_cors(Sanic("cors-origins"), [ALLOWED])
    (resources,) = calls
    return resources["/*"]["origins"]


def test_the_rasa_server_lets_sanic_cors_match_the_allowed_origin_only(monkeypatch):
    origins = configured_origins(monkeypatch)
    assert try_match_any(ALLOWED, origins)
    for origin in LOOKALIKES:
        assert not try_match_any(origin, origins), origin


def test_the_rasa_server_refuses_to_start_with_a_pattern():
    with pytest.raises(SystemExit, match="--cors: allowed origin '.*' is not an exact origin"):
        configure_cors(Sanic("cors-pattern"), ["https://.*example.org"])
