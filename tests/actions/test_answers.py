"""Sentence-level answers as a visitor reads them on the real document: yes/no, false
premises, practical questions the document cannot answer, and places in context."""

import pytest

from actions.attractions import ActionDescribeAttraction
from actions.city import ActionAnswerCityFact, ActionAnswerHonours, ActionAnswerLocation
from actions.fallback import ActionAnswerUnknown, ActionSearchDocument
from tests.conftest import make_tracker, run_action


@pytest.mark.parametrize(
    "text, intent, starts, says",
    [
        (
            "Is Jinchang in Sichuan?",
            "ask_location",
            "The city document says Jinchang is in Gansu",
            "doesn't mention Sichuan",
        ),
        ("Is Wuwei to the west of Jinchang?", "ask_neighbours", "No: ", "Wuwei on the east"),
        ("Is Jinchang to the west of Wuwei?", "ask_neighbours", "Yes: ", "Wuwei on the east"),
        ("Was Jinchang named a National Civilized City in 2013?", "ask_honours", "Not in 2013: ", "In 2015"),
        ("Was Jinchang named a National Garden City?", "ask_honours", "Yes: ", "2014"),
        ("Is Jinshui Lake a natural lake?", "ask_attraction", "No: ", "artificial reservoir"),
        ("Does Liqian have Greek architecture?", "ask_attraction", "Yes: ", "ancient Greek"),
        ("Is Jinchang the largest nickel producing base in China?", "ask_nickname", "Yes: ", "largest"),
        ("Is there a lake I can visit near Jinchang?", "ask_attraction", "Yes: ", "Jinshui Lake"),
        ("is there a sciense museum in jinchang?", "ask_attraction", "Yes: ", "Jinchuan Science"),
    ],
)
def test_yes_no_questions_get_a_verdict_with_its_sentence(kb, domain, text, intent, starts, says):
    action = {"ask_location": ActionAnswerLocation, "ask_honours": ActionAnswerHonours}.get(
        intent, ActionAnswerCityFact
    )
    reply, _, _ = run_action(action(kb), make_tracker(text, intent), domain)
    assert reply.startswith(starts) and says in reply


@pytest.mark.parametrize(
    "text, forbid",
    [
        ("Is it free to visit Shengrong Temple?", "free"),
        ("Is the Jinchuan Science and Technology Museum open on Mondays?", "Monday"),
        ("Who is the abbot of Shengrong Temple?", "abbot"),
        ("Does the Qilian Leopard Head Provincial Forest Park have leopards?", "Yes"),
        ("Is Jinchang known for copper?", "Yes"),
    ],
)
def test_what_the_document_does_not_say_is_admitted(kb, domain, text, forbid):
    reply, _, _ = run_action(ActionAnswerUnknown(kb), make_tracker(text, "out_of_scope"), domain)
    assert reply.startswith("Sorry") and forbid not in reply.split(":")[0]


def test_copper_is_not_mentioned_and_the_nickname_is_offered(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerUnknown(kb), make_tracker("Is Jinchang known for copper?", "out_of_scope"), domain
    )
    assert names == ["claim_unknown"] and "copper" in reply and "Nickel Capital" in reply


def test_the_neighbour_in_context_is_the_subject_of_a_figure(kb, domain):
    _, _, events = run_action(
        ActionAnswerCityFact(kb), make_tracker("Which city neighbours Jinchang?", "ask_neighbours"), domain
    )
    place = next(e["value"] for e in events if e.get("name") == "place")
    assert place == "Wuwei"
    tracker = make_tracker("what's the population there?", "ask_population", slots={"place": place})
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["fact_unknown"] and "Wuwei" in reply and "458,200" not in reply
    tracker = make_tracker("how big is that city?", "ask_area", slots={"place": place})
    reply, _, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert "area of Wuwei" in reply and "9,593" not in reply


def test_naming_the_city_again_leaves_the_neighbour(kb, domain):
    tracker = make_tracker("how big is jinchang?", "ask_area", slots={"place": "Wuwei"})
    reply, _, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert "9,593" in reply


def test_that_county_after_an_attraction_is_the_county_it_is_in(kb, domain):
    tracker = make_tracker("how big is that county?", "ask_area", slots={"attraction": "Liqian ancient city"})
    reply, _, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert "Yongchang county" in reply and "9,593" not in reply and reply.startswith("Sorry")


@pytest.mark.parametrize(
    "text, intent, name",
    [
        ("what's the big reservoir called?", "ask_nickname", "Jinshui Lake"),
        ("which temple is on Wudang Mountain?", "ask_attraction", "Shengrong Temple"),
        ("where do they show nonferrous metals?", "ask_resources", "Jinchuan Science and Technology Museum"),
        ("the place with Roman architecture?", "nlu_fallback", "Liqian ancient city"),
        ("which desert do they call Qomolangma?", "ask_attraction", "Badan Jaran Desert"),
    ],
)
def test_a_described_attraction_is_named(kb, domain, text, intent, name):
    action = {"ask_attraction": ActionDescribeAttraction}.get(intent, ActionAnswerCityFact)
    if intent == "nlu_fallback":
        action = ActionSearchDocument
    reply, _, events = run_action(action(kb), make_tracker(text, intent), domain)
    assert (
        name in reply and {"event": "slot", "timestamp": None, "name": "attraction", "value": name} in events
    )


def test_it_after_an_attraction_stays_that_attraction(kb, domain):
    tracker = make_tracker("where is it located?", "ask_location", slots={"attraction": "Shengrong Temple"})
    reply, _, _ = run_action(ActionAnswerLocation(kb), tracker, domain)
    assert "Wudang Mountain" in reply


def test_a_doesnt_say_of_the_city_after_an_attraction_keeps_the_attraction(kb, domain):
    slots = {"attraction": "Jinchuan Science and Technology Museum"}
    tracker = make_tracker("do I need anything special to get in?", "out_of_scope", slots=slots)
    reply, replies, events = run_action(ActionAnswerUnknown(kb), tracker, domain)
    assert "Sorry" in reply  # the document does not say
    assert not [e for e in events if e.get("name") == "attraction"]  # so "is it open on mondays?" asks of it


@pytest.mark.parametrize(
    "text, entities",
    [
        (
            "Is Jinchang a national forest city?",
            [{"entity": "attraction", "value": "forest", "start": 20, "end": 26}],
        ),
        ("When did Jinchang become a National Health City?", []),
    ],
)
def test_an_honour_the_document_does_not_give_is_not_an_attraction(kb, domain, text, entities):
    reply, names, _ = run_action(ActionAnswerHonours(kb), make_tracker(text, "ask_honours", entities), domain)
    assert names == ["honour_unknown"] and "Forest Park" not in reply


def test_a_wrong_awarding_body_is_a_no(kb, domain):
    text = "Was Jinchang named a National Garden City by the Ministry of Culture?"
    reply, _, _ = run_action(ActionAnswerHonours(kb), make_tracker(text, "ask_honours"), domain)
    assert reply.startswith("No: ") and "Housing and Urban-Rural Development" in reply
