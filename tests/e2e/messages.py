"""What the end-to-end tests read in a bot message."""

import re
from typing import Any, Dict, List, Tuple

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


def read_numbered_list(message: str) -> Tuple[str, Tuple[str, ...]]:
    """Split a Matrix or WeChat message into its text and the titles of its trailing "1. ..." lines."""
    lines = message.split("\n")
    numbered: List[Tuple[int, str]] = []
    while lines and re.match(r"\d+\. ", lines[-1]):
        number, title = lines.pop().split(". ", 1)
        numbered.insert(0, (int(number), title))
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1)), message
    return "\n".join(lines), tuple(title for _, title in numbered)
