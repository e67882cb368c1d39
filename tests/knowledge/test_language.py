"""General English the answers rely on: lemmas, answer kinds, yes/no, the asking part."""

import pytest

from knowledge.language import (
    answer_types,
    gives,
    is_yes_no,
    lemma,
    mentions,
    months_said,
    opposites,
    question_part,
    same_word,
)


def test_lemmas_come_from_the_lookup_table():
    assert [lemma(w) for w in ("flights", "built", "leopards", "opening")] == [
        "flight",
        "build",
        "leopard",
        "open",
    ]
    assert lemma("first") == "first"  # never a figure


def test_synonyms_opposites_and_spellings():
    assert mentions(["flight"], "fly") and not mentions(["flight"], "fly", loose=False)
    assert "artificial" in opposites("natural")
    assert mentions(["course"], "class")  # "how much is the cooking class?" of a cooking course
    assert same_word("architecture", "architectural") and not same_word("nature", "national")


@pytest.mark.parametrize(
    "question, first",
    [
        ("When is the museum open?", "opening hours"),
        ("Where can I fly to from Jinchang?", "transport"),
        ("How much does the museum cost?", "ticket prices"),
        ("How far is the temple?", "distance"),
        ("Who built Liqian ancient city?", "people"),
        ("When was it restored?", "dates"),
        ("Where is Liqian?", "location"),
        ("How big is that county?", "size"),
        ("How many people live there?", "figures"),
        ("When does the night cruise leave?", "opening hours"),
        ("is january a good time to visit", "best time"),
    ],
)
def test_the_kind_of_answer_a_question_wants(question, first):
    assert answer_types(question)[0] == first


@pytest.mark.parametrize(
    "question, not_asked",
    [
        ("How many hours of sunshine do they get?", "opening hours"),
        ("What time zone is it in?", "opening hours"),
        ("Where is the opening ceremony?", "opening hours"),  # an event, not a gate's hours
        ("What's the area code?", "size"),
        ("Who was Wang Shoucheng?", "people"),  # who he was, not a name
    ],
)
def test_words_that_ask_for_something_else(question, not_asked):
    assert not_asked not in answer_types(question)


def test_a_sentence_gives_a_kind_of_answer():
    assert gives("It opens from 8:30 to 18:00 every day.", "opening hours")
    assert gives("The museum is open daily 9am-5pm.", "opening hours")
    assert not gives("It is 10 km from the centre.", "opening hours")
    # a sum in yuan has its figure: the Yuan River costs nothing
    assert gives("typical price (yuan) 12–18", "ticket prices") and gives("about 40 yuan", "ticket prices")
    assert not gives("31 May: Dragon Boat Races on the Yuan River", "ticket prices")
    # a length is not a distance from somewhere; a name's origin said as such
    assert gives("length in the territory 87 kilometers", "length")
    assert not gives("25 kilometers from the county seat", "length")
    assert gives('the county is called "land of thousand peaks", the origin of the county name', "name")
    assert gives("It was named a Garden City by the Ministry of Housing.", "people")
    assert not gives("A legend about Roman soldiers who settled in Liqian.", "people")
    assert gives("Government mayor: Zhang Lihua", "people")
    assert gives("Open: Departures at 19:30 and 20:45", "opening hours")
    assert gives("Wang Shou (1421–1489), commander who built the fort", "people")
    assert gives("The lake is 12 m deep.", "depth") and not gives("The lake covers 12 hectares.", "depth")
    assert not gives("Duration: 1-2 hours", "opening hours")
    assert gives("Spring (April-May) and autumn are the best times to visit.", "best time")
    assert gives("It lies about 350 km (220 miles) northwest of Lanzhou.", "distance")
    # a programme's entry gives its time; "Sept 20" is a date; "95元" a price
    assert gives("21:00 Drone show over Drum Square.", "opening hours")
    assert gives("Fri–Sat, Sept 20–21", "dates") and gives("Entrance ticket: 95元", "ticket prices")


def test_yes_no_and_the_asking_part_of_a_chatty_message():
    assert is_yes_no("Is Jinshui Lake natural?") and not is_yes_no("Is that park national or provincial?")
    chatty = "We are comparing cities for my company, so to start simple: how much land does it cover?"
    assert question_part(chatty) == "how much land does it cover?"
    assert question_part("Who built St. Brigid's Church?") == "Who built St. Brigid's Church?"


def test_the_months_a_range_covers_are_said():
    assert months_said("09:00-17:30 (Nov-Mar 10:00-16:30).") == (
        "november",
        "december",
        "january",
        "february",
        "march",
    )
    assert months_said("¥50 in the flower season (June-August)") == ("june", "july", "august")
    assert months_said("You may go") == ()


def test_a_noun_in_ing_is_not_the_verb_of_another_noun():
    assert lemma("parking") == "parking" and lemma("parks") == "park"
