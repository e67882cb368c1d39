"""The widget channel's origins and its reading of socket.io events."""

from channels.socketio import allowed_origins, metadata_of, session_id


def test_origins_come_from_a_space_or_comma_separated_setting():
    assert allowed_origins("http://localhost:8080") == ["http://localhost:8080"]
    assert allowed_origins("https://a.example/, https://b.example") == [
        "https://a.example",
        "https://b.example",
    ]


def test_origins_default_to_the_page_make_run_serves(monkeypatch):
    monkeypatch.delenv("CORS_ORIGIN", raising=False)
    assert allowed_origins() == ["http://localhost:8080"]
    monkeypatch.setenv("CORS_ORIGIN", "https://guide.example")
    assert allowed_origins() == ["https://guide.example"]


def test_session_ids_must_be_printable_text():
    assert session_id({"session_id": "abc"}) == "abc"
    assert session_id({"session_id": None}) is None
    assert session_id({"session_id": {"x": 1}}) is None
    assert session_id("not an event") is None


def test_metadata_is_a_dict_or_nothing():
    assert metadata_of({"metadata": {"a": 1}}, "metadata") == {"a": 1}
    assert metadata_of({"metadata": '{"a": 1}'}, "metadata") == {"a": 1}
    assert metadata_of({"metadata": "{broken"}, "metadata") == {}
    assert metadata_of({"metadata": [1]}, "metadata") == {}
    assert metadata_of({}, "metadata") == {}
