"""City actions: each question gets its own short answer from the knowledge base."""

import pytest
from rasa_sdk.events import SlotSet

from actions.attractions import ActionDescribeAttraction
from actions.city import ActionAnswerCityFact, ActionAnswerHonours, ActionAnswerLocation
from tests.conftest import first_line, make_tracker, run_action


@pytest.mark.parametrize(
    "intent, text, expected, absent",
    [
        ("ask_area", "how big is it?", "Jinchang has an area of 9,593 km².", "458,200"),
        (
            "ask_population",
            "population?",
            "Jinchang had a population of 458,200 at the end of 2019.",
            "9,593",
        ),
        (
            "ask_neighbours",
            "Which city lies east of Jinchang?",
            "Jinchang neighbours Wuwei on the east.",
            "458",
        ),
        ("ask_nickname", "why the nickel capital?", "known as the Nickel Capital of China because", "9,593"),
        ("ask_resources", "Does Jinchang produce cobalt?", "nickel and cobalt producing base", "458"),
        ("ask_slogan", "what's the slogan", "“Romantic Jinchang”: The City of Zijin Flowers", "458"),
    ],
)
def test_each_fact_is_answered_alone(kb, domain, intent, text, expected, absent):
    reply, names, events = run_action(ActionAnswerCityFact(kb), make_tracker(text, intent), domain)
    assert expected in reply
    assert absent not in reply
    assert SlotSet("attraction", None) in events


def test_overview_is_a_short_profile(kb, domain):
    reply, _, _ = run_action(
        ActionAnswerCityFact(kb), make_tracker("tell me about jinchang", "ask_city_overview"), domain
    )
    assert reply.startswith("Jinchang is in Gansu province, in the eastern part of the Hexi Corridor.")
    assert "Nickel Capital of China" in reply and "9,593 km²" in reply and "458,200" in reply


def test_another_city_is_not_answered_with_jinchang_facts(kb, domain):
    tracker = make_tracker(
        "What's the population of Lanzhou?", "ask_population", [{"entity": "place", "value": "Lanzhou"}]
    )
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["other_place"]
    assert "Lanzhou" in reply and "458" not in reply


def test_area_of_an_attraction_is_honestly_unknown(kb, domain):
    tracker = make_tracker("what is the area of jinshui lake", "ask_area")
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["attraction_fact_unknown"]
    assert reply.startswith("Sorry") and "9,593" not in reply


def test_unanswerable_aspect_of_the_city(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerCityFact(kb), make_tracker("What is the GDP of Jinchang?", "ask_resources"), domain
    )
    assert names == ["aspect_unknown_known"]
    assert "economy figures" in reply and "doesn't cover" in reply


def test_city_location(kb, domain):
    reply, _, events = run_action(
        ActionAnswerLocation(kb), make_tracker("where is jinchang", "ask_location"), domain
    )
    assert (
        first_line(reply)
        == "Jinchang is in Gansu province, in the eastern part of the Hexi Corridor, neighbouring Wuwei on the east."
    )
    assert SlotSet("attraction", None) in events


def test_where_is_it_follows_the_attraction_in_context(kb, domain):
    tracker = make_tracker("where is it?", "ask_location", slots={"attraction": "Liqian ancient city"})
    reply, _, events = run_action(ActionAnswerLocation(kb), tracker, domain)
    assert first_line(reply) == "Liqian ancient city is in Yongchang county of Jinchang city."
    assert SlotSet("attraction", "Liqian ancient city") in events


def test_named_attraction_beats_context(kb, domain):
    tracker = make_tracker(
        "Which mountain is Shengrong Temple on?",
        "ask_location",
        [{"entity": "attraction", "value": "Shengrong Temple"}],
        {"attraction": "Liqian ancient city"},
    )
    reply, _, _ = run_action(ActionAnswerLocation(kb), tracker, domain)
    assert first_line(reply) == "Shengrong Temple is on Wudang Mountain."


def test_location_not_in_document_is_said_so(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerLocation(kb), make_tracker("where is jinshui lake", "ask_location"), domain
    )
    assert names == ["attraction_location_unknown"]
    assert "doesn't mention exactly where Jinshui Lake is" in reply


def test_naming_the_city_overrides_the_attraction_context(kb, domain):
    tracker = make_tracker("where is jinchang?", "ask_location", slots={"attraction": "Jinshui Lake"})
    reply, _, _ = run_action(ActionAnswerLocation(kb), tracker, domain)
    assert reply.startswith("Jinchang is in Gansu province")


def test_honours_list_has_years_and_bodies(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerHonours(kb), make_tracker("What awards has it won?", "ask_honours"), domain
    )
    assert names == ["honours"]
    assert "• 2014: National Garden City (National Ministry of Housing and Urban-Rural Development)" in reply
    assert "• 2015: National Civilized City (Ministry of Central Civilization)" in reply
    assert "circular economy" in reply


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("when did it become a garden city?", [], "In 2014, Jinchang city was named a National Garden City"),
        (
            "Who selected Jinchang as a National Civilized City?",
            [{"entity": "honour", "value": "National Civilized City"}],
            "Ministry of Central Civilization",
        ),
        ("In which year was it named among China's most livable cities?", [], "In 2013"),
    ],
)
def test_one_honour_when_named(kb, domain, text, entities, expected):
    reply, names, _ = run_action(ActionAnswerHonours(kb), make_tracker(text, "ask_honours", entities), domain)
    assert names == ["honour"]
    assert expected in reply


def test_population_of_a_place_the_document_names_is_not_the_city_s(kb, domain):
    tracker = make_tracker("how many people live in yongchang county?", "ask_population")
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["fact_unknown"]
    assert "population of Yongchang county" in reply and "458,200" not in reply


def test_a_place_the_document_names_may_be_part_of_a_city_question(kb, domain):
    tracker = make_tracker(
        "Who ranked Jinchang the most livable city in Gansu?",
        "ask_honours",
        [{"entity": "place", "value": "Gansu"}],
    )
    reply, names, _ = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert names == ["honour"] and "Chinese Academy of Social Sciences" in reply


def test_honour_by_year_names_the_city(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerHonours(kb), make_tracker("and what happened in 2015?", "ask_honours"), domain
    )
    assert reply.startswith("In 2015, Jinchang was selected as a National Civilized City")


def test_a_where_question_the_document_answers_otherwise(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerLocation(kb), make_tracker("Is Jinchang on the Silk Road?", "ask_location"), domain
    )
    assert names == ["verdict"]
    assert reply.startswith("Yes: ") and "tourism destination along the ancient Silk Road" in reply


def test_in_the_hexi_corridor_is_a_yes_with_the_location(kb, domain):
    tracker = make_tracker("is jinchang in the hexi corridor?", "ask_location")
    reply, names, _ = run_action(ActionAnswerLocation(kb), tracker, domain)
    assert (
        names == ["verdict"]
        and first_line(reply)
        == "Yes: Jinchang is in Gansu province, in the eastern part of the Hexi Corridor."
    )


def test_another_city_s_honour_is_declined(kb, domain):
    tracker = make_tracker(
        "Which ministry named Wuwei a garden city?", "ask_honours", [{"entity": "place", "value": "Wuwei"}]
    )
    reply, names, _ = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert names == ["other_place"] and "Wuwei" in reply and "Housing" not in reply


def test_when_without_a_date_in_the_document_is_honest(kb, domain):
    tracker = make_tracker("In what year did Jinchang become the nickel capital?", "ask_nickname")
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["aspect_unknown_known"]
    assert reply.startswith("Sorry, I don't have information on the dates of Jinchang")
    assert "2013" not in reply and "Nickel Capital of China" in reply


def test_is_it_big_after_an_attraction_is_about_the_attraction(kb, domain):
    tracker = make_tracker("is it big?", "ask_area", slots={"attraction": "Jinshui Lake"})
    reply, names, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert names == ["attraction_fact_unknown"]
    assert "largest artificial reservoir" in reply and "9,593" not in reply


def test_the_city_after_an_attraction_is_the_city(kb, domain):
    tracker = make_tracker(
        "ok. what's the population of the city?", "ask_population", slots={"attraction": "Badan Jaran Desert"}
    )
    reply, _, _ = run_action(ActionAnswerCityFact(kb), tracker, domain)
    assert "458,200" in reply


def test_an_honour_question_about_an_attraction_describes_it(kb, domain):
    tracker = make_tracker("is that park national or provincial level?", "ask_honours")
    reply, names, _ = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert names == ["attraction_no_detail"] and "Qilian Leopard Head Provincial Forest Park" in reply


def test_a_follow_up_about_the_title_just_discussed(kb, domain):
    title = "National Civilized City"
    tracker = make_tracker("was it the first in gansu to get it?", "ask_honours", slots={"honour": title})
    reply, _, events = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert reply.startswith("Yes: In 2015") and "the first selected in Gansu Province" in reply
    tracker = make_tracker("who gave that title?", "ask_honours", slots={"honour": "National Garden City"})
    reply, _, _ = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert "National Ministry of Housing and Urban-Rural Development" in reply


def test_asking_for_all_awards_after_one_lists_them(kb, domain):
    tracker = make_tracker(
        "what other awards has it won?", "ask_honours", slots={"honour": "National Garden City"}
    )
    _, names, events = run_action(ActionAnswerHonours(kb), tracker, domain)
    assert names == ["honours"] and SlotSet("honour", None) in events


def test_when_was_the_city_founded_is_not_an_award_year(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerHonours(kb),
        make_tracker("In which year was Jinchang city founded?", "ask_honours"),
        domain,
    )
    assert names == ["aspect_unknown"] and "2013" not in reply


def test_a_place_in_the_story_before_the_question_is_not_its_subject(kb, domain):
    text = "My cousin lives in Lanzhou and says Gansu is quiet. How many residents did Jinchang have?"
    reply, names, _ = run_action(ActionAnswerCityFact(kb), make_tracker(text, "ask_population"), domain)
    assert names == ["population"] and kb.city["population"]["text"] in reply


def test_its_after_the_neighbour_asks_the_neighbours_figures_not_the_citys_slogan(kb, domain):
    place = {"place": kb.city["neighbours"][0]["name"]}
    reply, names, _ = run_action(
        ActionAnswerCityFact(kb),
        make_tracker("what's its population?", "ask_population", slots=place),
        domain,
    )
    assert names == ["fact_unknown"] and kb.city["population"]["text"] not in reply
    reply, names, _ = run_action(
        ActionAnswerCityFact(kb), make_tracker("and its slogan?", "ask_slogan", slots=place), domain
    )
    assert names == ["slogan"] and kb.city["slogan"]["value"] in reply


@pytest.mark.parametrize(
    "action, text, intent, place, reply_name, said",
    [
        # a province the document never names, asked to be confirmed
        (
            ActionAnswerLocation,
            "jinchang is in qinghai province right?",
            "ask_location",
            "Qinghai",
            "verdict",
            "No: Jinchang is in Gansu province",
        ),
        # "listed" is no honour here
        (
            ActionAnswerHonours,
            "how many attractions are listed?",
            "ask_honours",
            None,
            "attractions",
            "eight attractions",
        ),
        # a reference typed after the question does not replace it
        (
            ActionDescribeAttraction,
            "How much does a camel ride cost in the desert? camel-9391",
            "ask_attraction",
            None,
            "aspect_unknown_known",
            "ticket prices of Badan Jaran Desert",
        ),
    ],
)
def test_forum_wording(kb, domain, action, text, intent, place, reply_name, said):
    entities = [{"entity": "place", "value": place}] if place else []
    reply, names, _ = run_action(action(kb), make_tracker(text, intent, entities), domain)
    assert names == [reply_name] and said in reply
