"""Actions that answer questions about the city: where, how big, how many, why famous.

Each names a path of knowledge.answer; the rules pick one by the NLU's intent."""

from actions.base import KnowledgeAction


class ActionAnswerCityFact(KnowledgeAction):
    """Answers one fact about the city, short and specific to the question."""

    def name(self) -> str:
        return "action_answer_city_fact"


class ActionAnswerLocation(KnowledgeAction):
    """Answers "where": the city's location, or that of the attraction in context."""

    def name(self) -> str:
        return "action_answer_location"


class ActionAnswerHonours(KnowledgeAction):
    """Answers about honours: one honour when named, else the list with years and bodies."""

    def name(self) -> str:
        return "action_answer_honours"
