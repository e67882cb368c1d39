"""What the end-to-end tests read in a bot message."""

from typing import Any, Dict

from channels.socketio import source_line


def without_source_line(message: Dict[str, Any]) -> str:
    """A socket.io message's text without the line naming its source, which must be there
    exactly when the message cites sentences (metadata.sources)."""
    sources = (message.get("metadata") or {}).get("sources") or []
    if not sources:
        return message["text"]
    line = f"  \n{source_line(sources)}"
    assert message["text"].endswith(line), message["text"]
    return message["text"][: -len(line)]
