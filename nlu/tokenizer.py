"""A whitespace tokenizer that reads at most a fixed number of characters of a message.

DIET's attention grows with the square of the number of tokens: a 100,000-character
message exhausts memory and the visitor gets no reply. Reading only the beginning keeps
every message cheap; the actions tell the visitor that the message was too long.
"""

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

# The same limit as actions.context.MAX_MESSAGE_CHARS (a test keeps them equal).
DEFAULT_MAX_CHARACTERS = 1000


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
        return super().tokenize(message, attribute)
