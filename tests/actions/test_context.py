"""What the conversation so far holds for the turn being answered."""

from rasa_sdk import Tracker

from actions.context import told_before


def tracker(events):
    return Tracker("visitor", {}, {"text": events[-1]["text"]}, events, False, None, {}, "action_listen")


def bot(reply, *sentences):
    sources = [{"sentence": s, "paragraph": 3} for s in sentences]
    return {"event": "bot", "text": "...", "metadata": {"reply": reply, "sources": sources}}


def test_the_sentences_told_are_those_the_reply_to_the_previous_message_quoted():
    events = [
        {"event": "user", "text": "tell me about the lake"},
        bot("attraction", "The lake is old."),
        {"event": "user", "text": "what's the reed song"},
        bot("document_says", "The reed song was listed in 2011."),
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "when can i see it"},
    ]
    assert told_before(tracker(events)) == ["The reed song was listed in 2011."]


def test_a_reply_that_says_the_document_lacks_the_answer_told_nothing():
    events = [
        {"event": "user", "text": "how much is a taxi"},
        bot("not_said", "Taxis wait at the station."),
        {"event": "user", "text": "and how long is it"},
    ]
    assert told_before(tracker(events)) == []
    assert told_before(tracker([{"event": "user", "text": "hi"}])) == []
