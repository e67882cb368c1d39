"""Attraction actions: the list, one attraction, its story, picking from the list."""

from rasa_sdk.events import SlotSet

from actions.attractions import ActionDescribeAttraction, ActionListAttractions
from actions.city import ActionAnswerCityFact
from knowledge.base import KnowledgeBase
from knowledge.build import build
from tests.conftest import first_line, make_tracker, run_action


def test_list_is_complete_ordered_and_has_buttons(kb, domain):
    reply, names, events = run_action(
        ActionListAttractions(kb), make_tracker("what can I see?", "ask_attractions"), domain
    )
    assert names == ["attractions"]
    assert reply.startswith("Jinchang is a new tourism destination along the ancient Silk Road. ")
    assert "The city document names eight attractions: Liqian ancient city, Shengrong Temple," in reply
    assert reply.count("\n") == 8  # one line per button
    listed = kb.attraction_names()
    assert SlotSet("listed_attractions", listed) in events


def test_describe_named_attraction(kb, domain):
    tracker = make_tracker(
        "What is Jinshui Lake?", "ask_attraction", [{"entity": "attraction", "value": "Jinshui Lake"}]
    )
    reply, _, events = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert (
        first_line(reply)
        == "Jinshui Lake is the largest artificial reservoir landscape in the Northwestern area of China."
    )
    assert SlotSet("attraction", "Jinshui Lake") in events


def test_describe_misspelt_attraction_without_entity(kb, domain):
    reply, _, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("badain jaran", "ask_attraction"), domain
    )
    assert "“Mount Qomolangma” Desert" in reply


def test_story_of_liqian(kb, domain):
    tracker = make_tracker(
        "What's the story of Liqian?", "ask_history", [{"entity": "attraction", "value": "Liqian"}]
    )
    reply, names, _ = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert names == ["attraction_history"]
    assert "exiled ancient Roman soldiers" in reply


def test_the_legend_without_a_name_is_the_only_one_told(kb, domain):
    reply, _, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("tell me the legend", "ask_history"), domain
    )
    assert "Roman soldiers" in reply


def test_no_story_is_said_honestly_then_what_is_known(kb, domain):
    tracker = make_tracker("history of the lake", "ask_history")
    reply, names, _ = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert names == ["attraction_history_unknown", "attraction"]
    assert reply.startswith("Sorry") and "reservoir" in reply


def test_attraction_with_no_detail(kb, domain):
    reply, names, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("qilian forest park", "ask_attraction"), domain
    )
    assert names == ["attraction_no_detail"]
    assert reply.startswith(
        "Qilian Leopard Head Provincial Forest Park is one of the attractions of Jinchang"
    )


def test_the_second_one_picks_from_the_list(kb, domain):
    tracker = make_tracker(
        "the second one", "choose_option", slots={"listed_attractions": kb.attraction_names()}
    )
    reply, _, events = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert reply.startswith("Shengrong Temple is the renowned Silk Road temple on Wudang Mountain")
    assert SlotSet("attraction", "Shengrong Temple") in events


def test_ordinal_without_a_list_asks_which(kb, domain):
    reply, names, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("the second one", "choose_option"), domain
    )
    assert names == ["ask_which_attraction"]
    assert "Jinshui Lake" in reply  # offered as a button


def test_unanswerable_aspect_of_an_attraction(kb, domain):
    tracker = make_tracker(
        "how deep is jinshui lake", "ask_attraction", [{"entity": "attraction", "value": "Jinshui Lake"}]
    )
    reply, names, _ = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert names == ["aspect_unknown_known"]
    assert reply.startswith("Sorry, I don't have information on the depth of Jinshui Lake")
    assert first_line(reply).endswith(
        "What it does say: Jinshui Lake is the largest artificial reservoir landscape in the Northwestern area of China."
    )


def test_ordinal_ignores_the_attraction_in_context_without_a_list(kb, domain):
    tracker = make_tracker("the second one", "choose_option", slots={"attraction": "Jinshui Lake"})
    _, names, _ = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert names == ["ask_which_attraction"]


def test_history_of_the_city_is_not_an_attraction_legend(kb, domain):
    reply, names, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("what is the history of jinchang", "ask_history"), domain
    )
    assert names == ["aspect_unknown"]
    assert reply.startswith("Sorry, I don't have information on the history of Jinchang")
    assert "Roman" not in reply


def test_about_the_city_misread_as_an_attraction_gets_the_overview(kb, domain):
    reply, names, _ = run_action(
        ActionDescribeAttraction(kb), make_tracker("tell me about jinchang", "ask_attraction"), domain
    )
    assert names == ["overview"]


def test_a_story_told_in_the_list_of_attractions(kb, domain):
    tracker = make_tracker("What dynasty is Shengrong Temple from?", "ask_history")
    reply, names, _ = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert names == ["attraction_history"] and "Ming and Qing dynasties" in reply


def test_a_description_finds_the_attraction_without_its_name(kb, domain):
    tracker = make_tracker("Where can I learn about the West March of the Red Army?", "ask_attraction")
    reply, _, events = run_action(ActionDescribeAttraction(kb), tracker, domain)
    assert reply.startswith("The Yongchang Protection Memorial")
    assert SlotSet("attraction", "Yongchang Protection Memorial") in events


def test_a_city_whose_document_gives_no_region_is_described_by_its_opening_sentence(domain):
    text = "Tarrow\n\nTarrow is a market town on the river Wend, known for its wool fairs. It has 52,000 residents.\n"
    small = KnowledgeBase(build(text, "tarrow.txt"))
    for action, intent in (
        (ActionDescribeAttraction, "ask_attraction"),
        (ActionAnswerCityFact, "ask_city_overview"),
    ):
        reply, names, _ = run_action(action(small), make_tracker("Tell me about Tarrow", intent), domain)
        assert names == ["document_says"] and "a market town on the river Wend" in reply
