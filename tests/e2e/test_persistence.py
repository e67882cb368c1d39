"""Conversations live in the SQLite tracker store: a restart keeps them."""

import uuid

import pytest

pytestmark = pytest.mark.e2e


def test_a_restart_keeps_the_conversation(make_servers):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    with make_servers() as servers:
        first = servers.ask(sender, "Tell me about Liqian ancient city")
        assert "Roman" in first[0]["text"]
    with make_servers() as servers:
        after = servers.ask(sender, "where is it?")
    assert after[0]["text"] == "Liqian ancient city is in Yongchang county of Jinchang city."
