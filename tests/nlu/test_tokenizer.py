"""The NLU reads at most a fixed number of characters of a message."""

from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.message import Message

from actions.context import MAX_MESSAGE_CHARS
from nlu.tokenizer import BoundedWhitespaceTokenizer

ROOT = Path(__file__).resolve().parents[2]


def tokenizer(limit: int) -> BoundedWhitespaceTokenizer:
    return BoundedWhitespaceTokenizer(
        {**BoundedWhitespaceTokenizer.get_default_config(), "max_characters": limit}
    )


def test_a_long_message_is_tokenized_only_at_its_beginning():
    tokens = tokenizer(20).tokenize(Message(data={"text": "where is the lake " * 1000}), "text")
    assert [t.text for t in tokens] == ["where", "is", "the", "lake", "wh"]


def test_a_short_message_is_tokenized_whole():
    tokens = tokenizer(1000).tokenize(Message(data={"text": "Where is Liqian?"}), "text")
    assert [t.text for t in tokens] == ["Where", "is", "Liqian"]


def test_the_nlu_limit_and_the_actions_limit_agree():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    (step,) = [c for c in config["pipeline"] if c["name"].endswith("BoundedWhitespaceTokenizer")]
    assert step["max_characters"] == MAX_MESSAGE_CHARS


CHATTY = (
    "My cousin works in a hospital in Lanzhou and she said that the smaller cities in Gansu are "
    "much quieter, which sounds nice because I hate crowds. How many residents did Jinchang have?"
)


def test_a_long_chatty_message_is_read_from_its_question_with_offsets_in_the_message():
    tokens = tokenizer(1000).tokenize(Message(data={"text": CHATTY}), "text")
    assert [t.text for t in tokens] == ["How", "many", "residents", "did", "Jinchang", "have"]
    assert all(CHATTY[t.start : t.end] == t.text for t in tokens)


def test_a_long_message_without_a_closing_question_and_a_short_one_are_read_whole():
    story = CHATTY.replace("How many residents did Jinchang have?", "Tell me about Jinchang, please.")
    assert len(tokenizer(1000).tokenize(Message(data={"text": story}), "text")) > 20
    short = "I love lakes. Where is Jinshui Lake?"
    assert tokenizer(1000).tokenize(Message(data={"text": short}), "text")[0].text == "I"
