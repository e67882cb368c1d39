"""The widget channel's origins and its reading of socket.io events."""

import asyncio

from channels.socketio import (
    WebchatOutput,
    WebchatServer,
    allowed_origins,
    metadata_of,
    session_id,
    source_line,
)


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


SOURCE = {"sentence": 'It is the "Nickel Capital" of China.', "paragraph": 2}


class FakeServer:
    """Records what the output emits."""

    def __init__(self):
        self.emitted = []

    async def emit(self, event, data=None, room=None, **kwargs):
        self.emitted.append((event, data))


def test_the_source_line_names_the_paragraph_and_holds_the_sentence():
    line = source_line([SOURCE])
    assert (
        line
        == "[From the city document, paragraph 2](#source:It%20is%20the%20%22Nickel%20Capital%22%20of%20China.)"
    )
    two = source_line([SOURCE, {"sentence": "Another (1).", "paragraph": 5}])
    assert two.startswith("[From the city document, paragraphs 2 and 5](#source:It%20is")
    assert two.endswith("Another%20%281%29.)")


def test_an_answer_reaches_the_widget_with_its_source_line_buttons_and_metadata():
    server = FakeServer()
    output = WebchatOutput(server, "bot_uttered")
    message = {"text": "It is the Nickel Capital.", "buttons": [{"title": "Where?", "payload": "Where?"}]}
    asyncio.run(output.send_response("room", {**message, "sources": [SOURCE], "reply": "nickname"}))
    [(event, data)] = server.emitted
    assert event == "bot_uttered"
    assert data["text"] == "It is the Nickel Capital.  \n" + source_line([SOURCE])
    assert data["quick_replies"][0]["payload"] == "Where?"
    assert data["metadata"] == {"sources": [SOURCE]}


def test_a_reply_without_sources_is_sent_as_rasa_sends_it():
    server = FakeServer()
    asyncio.run(WebchatOutput(server, "bot_uttered").send_response("room", {"text": "Hello!"}))
    assert server.emitted == [("bot_uttered", {"text": "Hello!"})]


def closed_by(data):
    """The engine.io sessions WebchatServer closes when a client sends data."""
    server = WebchatServer(async_mode="sanic")
    closed = []

    async def disconnect(sid):
        closed.append(sid)

    server.eio.disconnect = disconnect
    asyncio.run(server._handle_eio_message("eio-1", data))
    assert "eio-1" not in server._binary_packet  # nothing kept waiting for attachments
    return closed


def test_a_binary_event_or_attachment_closes_its_connection():
    assert closed_by('51-["user_uttered",{"_placeholder":true,"num":0}]') == ["eio-1"]
    assert closed_by('61-/chat,3[{"_placeholder":true,"num":0}]') == ["eio-1"]
    assert closed_by(b"\0" * 10) == ["eio-1"]
