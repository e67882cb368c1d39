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


def test_search_finds_the_legend_and_nothing_for_hotels(kb: KnowledgeBase):
    sentence, score = kb.search("roman soldiers legend")
    assert sentence.startswith("A legend about exiled ancient Roman soldiers")
    assert kb.search("hotel room price") is None


def test_sentence_index_top_one_and_typos():
    index = SentenceIndex(["The red fox sleeps.", "A blue whale swims far.", "Green tea is hot."])
    assert index.best("where does the whale swim")[0] == "A blue whale swims far."
    assert index.best("gren tea")[0] == "Green tea is hot."
    assert index.best("nothing matches") is None


def test_sentence_index_rejects_no_sentences():
    with pytest.raises(ValueError):
        SentenceIndex([])


def test_knowledge_base_rejects_incomplete_data():
    with pytest.raises(ValueError, match="attractions"):
        KnowledgeBase({"city": {}, "sentences": ["x"]})
