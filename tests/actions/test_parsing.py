"""How questions are read: asked aspects and list positions."""

import pytest

from actions.parsing import parse_ordinal
from knowledge.aspects import asked_aspects, unanswered_aspect


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("How much does a hotel room cost in Jinchang?", "hotels"),
        ("When does the bus to Jinshui Lake leave?", "transport"),
        ("What is the GDP of Jinchang?", "economy figures"),
        ("how deep is jinshui lake", "depth"),
        ("What is the height of Shengrong Temple's pagoda?", "height"),
        ("what's the weather like in april", "weather"),
        ("ticket price for liqian", "ticket prices"),
        ("when does the museum open", "opening hours"),
    ],
)
def test_asked_aspects(text, aspect):
    assert aspect in asked_aspects(text)


@pytest.mark.parametrize(
    "text",
    ["Where is Jinchang?", "is it a garden city", "tell me about the lake", "population?"],
)
def test_plain_questions_ask_no_special_aspect(text):
    assert asked_aspects(text) == []


def test_misspelt_asking_words_ask_unless_they_are_document_words():
    assert asked_aspects("hotles in jinchnag") == ["hotels"]
    assert asked_aspects("resturants?") == ["food and restaurants"]
    assert asked_aspects("wether tomorrow jinchang") == ["weather"]
    assert asked_aspects("stations", frozenset({"stations"})) == []


def test_when_needs_a_year_in_the_answer():
    assert (
        unanswered_aspect("when did it become a garden city", ["In 2014, it was named a Garden City."])
        is None
    )
    assert unanswered_aspect("since when is it the nickel capital", ["It is the Nickel Capital."]) == "dates"


def test_unanswered_aspect_needs_evidence_in_the_knowledge():
    assert unanswered_aspect("how deep is the lake", ["The lake is the largest reservoir."]) == "depth"
    assert unanswered_aspect("how deep is the lake", ["The lake is 30 metres deep."]) is None
    assert unanswered_aspect("tell me about the lake", ["anything"]) is None


@pytest.mark.parametrize(
    "text, position",
    [("the second one", 1), ("2", 1), ("number four please", 3), ("the last one", 7), ("3rd", 2)],
)
def test_parse_ordinal(text, position):
    assert parse_ordinal(text, 8) == position


@pytest.mark.parametrize("text", ["the ninth", "0", "tell me more", ""])
def test_parse_ordinal_out_of_range_or_missing(text):
    assert parse_ordinal(text, 8) is None


@pytest.mark.parametrize(
    "text, answered",
    [
        ("how many people live in jinchang", True),
        ("how many attractions are there", True),
        ("How many tonnes of nickel does Jinchang produce each year?", False),
        ("How many tourists visit Jinchang every year?", False),
        ("How many Roman soldiers settled in Liqian?", False),
        ("how many museums", True),
        ("How many square kilometres does Jinchang cover?", True),
        ("how many inhabitans does jinchang have", True),
    ],
)
def test_counts_need_a_number_for_what_is_counted(text, answered):
    evidence = ["Jinchang had a population of 458,200.", "There are 3 museums."]
    assert (unanswered_aspect(text, evidence) is None) == answered


def test_a_size_needs_a_measure_not_just_the_word_area():
    evidence = ["the largest artificial reservoir landscape in the Northwestern area of China"]
    assert unanswered_aspect("how big is it compared to other reservoirs", evidence) == "size"
    assert unanswered_aspect("how big is it", ["It has an area of 9,593 km2."]) is None


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("What time does Liqian close?", "opening hours"),
        ("Who designed the Yongchang Protection Memorial?", "builders"),
        ("How long does it take to visit the Jinchuan museum?", "time a visit takes"),
        ("What is the area of Badan Jaran Desert?", "size"),
        ("Is there a train station?", "transport"),
    ],
)
def test_more_aspects_the_document_lacks(text, aspect):
    evidence = ["The City of Zijin Flowers, Romantic Jinchang is its new urban business card."]
    assert unanswered_aspect(text, evidence) == aspect


def test_a_year_the_document_does_not_give():
    evidence = ["Jinchang had a population of 458,200 at the end of 2019."]
    assert (
        unanswered_aspect("What's the population of Jinchang in 2022?", evidence) == "figures for that year"
    )
    assert unanswered_aspect("What was the population at the end of 2019?", evidence) is None
