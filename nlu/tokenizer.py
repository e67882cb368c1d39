"""A whitespace tokenizer that reads at most a fixed number of characters of a message,
and of a long chatty message only the question at its end.

DIET's attention grows with the square of the number of tokens: a 100,000-character
message exhausts memory and the visitor gets no reply. Reading only the beginning keeps
every message cheap; the actions tell the visitor that the message was too long.

"My cousin works in Lanzhou and says the small cities are quiet... How many residents did
Jinchang have?": the story before the question would make the intent out of scope, so
the NLU reads the question (knowledge.language.question_part), as the actions do.
"""

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from knowledge.language import question_part

logger = logging.getLogger(__name__)

# The same limit as actions.context.MAX_MESSAGE_CHARS (a test keeps them equal).
DEFAULT_MAX_CHARACTERS = 1000
# A message at least this long that ends with a question is read from that question on.
CHATTY_CHARACTERS = 150


def asking_start(text: str) -> int:
    """Where the question of a long chatty message starts (0: read all of it)."""
    if len(text) < CHATTY_CHARACTERS:
        return 0
    asked = question_part(text).strip()
    if not asked.endswith("?") or len(asked) * 2 > len(text):
        return 0
    return max(text.rfind(asked), 0)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BoundedWhitespaceTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer over the first `max_characters` characters of each text."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """WhitespaceTokenizer's options plus `max_characters`."""
        return {**WhitespaceTokenizer.get_default_config(), "max_characters": DEFAULT_MAX_CHARACTERS}

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        """Tokens of the text's beginning; offsets stay those of the full text."""
        text = message.get(attribute)
        limit = int(self._config["max_characters"])
        if isinstance(text, str) and len(text) > limit:
            logger.info("message of %d characters: reading the first %d", len(text), limit)
            message = Message(data={attribute: text[:limit]})
        start = asking_start(text) if isinstance(text, str) and len(text) <= limit else 0
        if not start:
            return super().tokenize(message, attribute)
        tokens = super().tokenize(Message(data={attribute: text[start:]}), attribute)
        for token in tokens:
            token.start, token.end = token.start + start, token.end + start
        return tokens
