"""What leads a visitor on: the next questions under an answer, the document sentences an
answer comes from, "source?", and "Do you mean A or B?" for an ambiguous name."""

import re

import pytest
from rasa_sdk import Tracker

from actions.attractions import ActionDescribeAttraction, ActionListAttractions
from actions.city import ActionAnswerCityFact, ActionAnswerLocation
from actions.fallback import ActionAnswerUnknown
from actions.sources import ActionShowSource
from knowledge.base import KnowledgeBase
from knowledge.build import build
from tests.conftest import make_tracker, run_messages


def titles(message):
    return [b["title"] for b in message.get("buttons") or []]


def payloads(message):
    return [b["payload"] for b in message.get("buttons") or []]


def tracker_after(events, text, intent, slots=None, entities=None):
    """A tracker whose conversation so far is `events`, then the visitor's `text`."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    user = {"event": "user", "text": text, "parse_data": latest}
    return Tracker("visitor", slots or {}, latest, [*events, user], False, None, {}, "action_listen")


def bot(text, **metadata):
    return {"event": "bot", "text": text, "metadata": metadata}


LIQIAN = [{"entity": "attraction", "value": "Liqian ancient city"}]


def test_after_an_attraction_its_own_questions_come_first(kb, domain):
    tracker = make_tracker("Tell me about Liqian ancient city", "ask_attraction", LIQIAN)
    messages, _ = run_messages(ActionDescribeAttraction(kb), tracker, domain)
    assert titles(messages[-1]) == ["Where is it?", "Its history", "Where is Jinchang?"]
    assert payloads(messages[-1])[:2] == [
        "Where is Liqian ancient city?",
        "What is the history of Liqian ancient city?",
    ]


def test_what_was_told_is_not_suggested_again(kb, domain):
    earlier = [
        {"event": "user", "text": "where is jinchang"},
        bot("Jinchang is in Gansu ...", topic="location"),
    ]
    messages, _ = run_messages(
        ActionAnswerCityFact(kb),
        tracker_after(earlier, "how many people live there", "ask_population"),
        domain,
    )
    assert messages[-1]["topic"] == "population"
    shown = titles(messages[-1])
    assert 2 <= len(shown) <= 3
    assert "Where is Jinchang?" not in shown and "How many people live there?" not in shown
    assert shown == titles(
        run_messages(
            ActionAnswerCityFact(kb),
            tracker_after(earlier, "how many people live there", "ask_population"),
            domain,
        )[0][-1]
    )


def test_an_honest_unknown_offers_what_is_known_about_its_subject(kb, domain):
    tracker = make_tracker(
        "how deep is jinshui lake", "ask_attraction", [{"entity": "attraction", "value": "Jinshui Lake"}]
    )
    messages, _ = run_messages(ActionDescribeAttraction(kb), tracker, domain)
    assert messages[-1]["unanswered"] is True
    # The answer already said what the document says of the lake: the city comes next.
    assert titles(messages[-1]) == [
        "Where is Jinchang?",
        "Why the Nickel Capital of China?",
        "What can I see?",
    ]


def test_a_list_keeps_its_own_buttons(kb, domain):
    messages, _ = run_messages(
        ActionListAttractions(kb), make_tracker("what can I see?", "ask_attractions"), domain
    )
    assert titles(messages[-1]) == kb.attraction_names()


def test_every_fact_carries_the_document_sentence_and_its_paragraph(kb, domain, document):
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", document) if p.strip()]
    for action, text, intent in [
        (ActionAnswerCityFact(kb), "how big is jinchang", "ask_area"),
        (ActionAnswerCityFact(kb), "why is it called the nickel capital", "ask_nickname"),
        (ActionAnswerLocation(kb), "where is jinchang", "ask_location"),
        (ActionDescribeAttraction(kb), "tell me about liqian", "ask_attraction"),
        (ActionAnswerLocation(kb), "Is Jinchang in Sichuan?", "ask_location"),
    ]:
        messages, _ = run_messages(action, make_tracker(text, intent), domain)
        sources = messages[-1]["sources"]
        assert sources, text
        for source in sources:
            assert source["sentence"] in paragraphs[source["paragraph"] - 1], text


def test_area_source_is_the_area_sentence(kb, domain):
    messages, _ = run_messages(
        ActionAnswerCityFact(kb), make_tracker("how big is jinchang", "ask_area"), domain
    )
    assert [s["sentence"] for s in messages[-1]["sources"]] == [kb.city["area"]["source"]]


def test_source_quotes_the_last_answer(kb, domain):
    sentence = kb.city["area"]["source"]
    earlier = [
        {"event": "user", "text": "how big is it"},
        bot("Jinchang has an area of ...", sources=[{"sentence": sentence, "paragraph": 1}]),
    ]
    messages, _ = run_messages(ActionShowSource(kb), tracker_after(earlier, "source?", "ask_source"), domain)
    assert messages[0]["text"] == f"That comes from the city document:\n> {sentence} (paragraph 1)"


@pytest.mark.parametrize(
    "text", ["where did you get that from?", "is that from the city document?", "prove it"]
)
def test_a_request_for_the_source_is_answered_with_it(kb, domain, text):
    earlier = [{"event": "user", "text": "hi"}, bot("Hello!")]
    messages, _ = run_messages(ActionShowSource(kb), tracker_after(earlier, text, "ask_source"), domain)
    assert messages[0]["reply"] == "no_source"


def test_a_question_the_nlu_took_for_a_request_for_the_source_is_answered(kb, domain):
    earlier = [{"event": "user", "text": "hi"}, bot("Hello!")]
    tracker = tracker_after(earlier, "the famous temple on wudang mountain, where is it from", "ask_source")
    messages, _ = run_messages(ActionShowSource(kb), tracker, domain)
    assert messages[0]["reply"] != "no_source"
    assert "Shengrong Temple" in messages[0]["text"]


def test_source_of_a_reply_without_one_is_said_so(kb, domain):
    earlier = [{"event": "user", "text": "hi"}, bot("Hello!")]
    messages, _ = run_messages(ActionShowSource(kb), tracker_after(earlier, "source?", "ask_source"), domain)
    assert messages[0]["reply"] == "no_source"


def test_an_unknown_has_no_source(kb, domain):
    messages, _ = run_messages(
        ActionAnswerUnknown(kb), make_tracker("What are hotel prices in Jinchang?", "out_of_scope"), domain
    )
    assert messages[-1]["unanswered"] is True and not messages[-1].get("sources")


def test_a_name_of_a_county_and_an_attraction_is_asked_about(kb, domain):
    messages, _ = run_messages(
        ActionDescribeAttraction(kb), make_tracker("Tell me about Yongchang", "ask_attraction"), domain
    )
    assert messages[0]["text"] == "Do you mean Yongchang county or Yongchang Protection Memorial?"
    assert payloads(messages[0]) == [
        "Tell me about Yongchang county",
        "Tell me about Yongchang Protection Memorial",
    ]


def test_the_conversation_settles_an_ambiguous_name(kb, domain):
    tracker = make_tracker(
        "where is yongchang", "ask_location", slots={"attraction": "Yongchang Protection Memorial"}
    )
    messages, _ = run_messages(ActionAnswerLocation(kb), tracker, domain)
    assert messages[0]["reply"] != "clarify"


def test_two_museums_are_asked_about_and_the_pick_answers_the_question(domain):
    kb = KnowledgeBase(
        build(
            "Dunmore is a city in Westshire province, in the north of the Vale. "
            "Its attractions include the Dunmore Railway Museum and the Harbour Art Museum.\n\n"
            "The Dunmore Railway Museum shows old steam engines. "
            "The Harbour Art Museum holds paintings of the sea.",
            "dunmore.txt",
        )
    )
    messages, _ = run_messages(
        ActionDescribeAttraction(kb), make_tracker("What is in the museum?", "ask_attraction"), domain
    )
    assert messages[0]["reply"] == "clarify"
    assert payloads(messages[0]) == ["What is in Dunmore Railway Museum?", "What is in Harbour Art Museum?"]
    picked = make_tracker(payloads(messages[0])[1], "ask_attraction")
    answered, _ = run_messages(ActionDescribeAttraction(kb), picked, domain)
    assert "paintings of the sea" in answered[0]["text"]


def test_what_the_document_does_say_cites_each_of_its_sentences(kb, domain):
    tracker = make_tracker("is liqian influenced by greek architecture", "ask_attraction", LIQIAN)
    messages, _ = run_messages(ActionDescribeAttraction(kb), tracker, domain)
    facts = [f["source"] for f in kb.attraction("Liqian ancient city")["facts"]]
    assert len(facts) > 1 and [s["sentence"] for s in messages[-1]["sources"]] == facts


def test_a_question_naming_two_sights_with_or_is_not_asked_about(domain):
    kb = KnowledgeBase(
        build(
            "Dunmore is a city in Westshire province, in the north of the Vale. "
            "Its attractions include the Dunmore Railway Museum and the Harbour Art Museum.\n\n"
            "The Dunmore Railway Museum costs 20 yuan. The Harbour Art Museum costs 30 yuan.",
            "dunmore.txt",
        )
    )
    text = "which is cheaper, the railway museum or the art museum?"
    messages, _ = run_messages(ActionDescribeAttraction(kb), make_tracker(text, "out_of_scope"), domain)
    assert messages[0]["reply"] != "clarify" and "Dunmore Railway Museum" in messages[0]["text"]
