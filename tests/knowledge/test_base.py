"""Knowledge-base lookups: attractions by messy names, honours, document search."""

import pytest

from knowledge.base import KnowledgeBase
from knowledge.search import SentenceIndex


@pytest.mark.parametrize(
    "text, name",
    [
        ("tell me about liquian", "Liqian ancient city"),
        ("badain jaran", "Badan Jaran Desert"),
        ("shengrong templ", "Shengrong Temple"),
        ("tell me more about the lake", "Jinshui Lake"),
        ("What can I see at the Jinchuan museum?", "Jinchuan Science and Technology Museum"),
        ("Is there a provincial forest park?", "Qilian Leopard Head Provincial Forest Park"),
        ("the memorial", "Yongchang Protection Memorial"),
        ("LIQIAN SCENIC SPOT", "Liqian ancient city"),
        ("tell me about lichian", "Liqian ancient city"),  # written as it sounds
        ("chilian", "Qilian Leopard Head Provincial Forest Park"),
    ],
)
def test_find_attraction_understands_visitor_spelling(kb: KnowledgeBase, text, name):
    assert kb.find_attraction(text)["name"] == name


@pytest.mark.parametrize("text", ["where is jinchang city", "scenic spot", "hello", ""])
def test_find_attraction_refuses_the_city_and_ambiguous_words(kb: KnowledgeBase, text):
    assert kb.find_attraction(text) is None


def test_attraction_by_alias_or_exact_name(kb: KnowledgeBase):
    assert kb.attraction("the desert")["name"] == "Badan Jaran Desert"
    assert kb.attraction("jinshui lake")["name"] == "Jinshui Lake"
    assert kb.attraction("Atlantis") is None


@pytest.mark.parametrize(
    "text, year",
    [("when did it become a garden city?", 2014), ("civilised city", 2015), ("most liveable", 2013)],
)
def test_find_honour(kb: KnowledgeBase, text, year):
    assert kb.find_honour(text)["year"] == year


def test_find_honour_none_for_a_general_question(kb: KnowledgeBase):
    assert kb.find_honour("what awards has it won") is None


def test_search_finds_the_legend_and_its_attraction(kb: KnowledgeBase):
    hit, attraction = kb.search("roman soldiers legend")
    assert hit.text.startswith("A legend about exiled ancient Roman soldiers")
    assert attraction["name"] == "Liqian ancient city"


def test_search_splits_the_list_of_attractions_into_one_passage_each(kb: KnowledgeBase):
    hit, attraction = kb.search("which temple is on wudang mountian")
    assert attraction["name"] == "Shengrong Temple"
    hit, attraction = kb.search("Is Jinchang on the Silk Road?")
    assert attraction is None and "tourism destination along the ancient Silk Road" in hit.text


@pytest.mark.parametrize(
    "text",
    ["hotel room price", "capital of france", "history of the city", "Who won the 2018 World Cup?", ""],
)
def test_search_needs_clear_evidence(kb: KnowledgeBase, text):
    assert kb.search(text) is None


def test_search_accepts_a_year_alone(kb: KnowledgeBase):
    hit, _ = kb.search("and what happened in 2015?")
    assert hit.text.startswith("In 2015")


def test_find_attraction_by_description(kb: KnowledgeBase):
    assert kb.find_attraction_by_description("the largest artificial reservoir")["name"] == "Jinshui Lake"
    assert (
        kb.find_attraction_by_description("West March of the Red Army")["name"]
        == "Yongchang Protection Memorial"
    )
    assert kb.find_attraction_by_description("how big is jinchang") is None


def test_mentions_place(kb: KnowledgeBase):
    assert kb.mentions_place("Gansu") and kb.mentions_place("wuwei") and kb.mentions_place("Hexi Corridor")
    assert not kb.mentions_place("Lanzhou")


def test_sentence_index_top_one_and_typos():
    index = SentenceIndex(["The red fox sleeps.", "A blue whale swims far.", "Green tea is hot."])
    assert index.best("where does the whale swim").text == "A blue whale swims far."
    assert index.best("greeen tea").text == "Green tea is hot."
    assert index.best("greeen tea").terms == {"green", "tea"}
    assert index.best("nothing matches") is None


def test_sentence_index_rejects_no_sentences():
    with pytest.raises(ValueError):
        SentenceIndex([])


def test_knowledge_base_rejects_incomplete_data():
    with pytest.raises(ValueError, match="attractions"):
        KnowledgeBase({"city": {}, "sentences": ["x"]})


def test_find_story_needs_one_attraction_telling_it(kb: KnowledgeBase):
    assert kb.find_story("tell me the legend")["name"] == "Liqian ancient city"
    assert kb.find_story("what happened there") is None


def test_short_common_words_are_not_typos_of_names(kb: KnowledgeBase):
    assert kb.find_attraction("what's the weather like tomorrow") is None
