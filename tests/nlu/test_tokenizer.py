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
