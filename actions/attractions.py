"""Actions about the attractions: the list, one attraction, its story."""

from actions.base import KnowledgeAction


class ActionListAttractions(KnowledgeAction):
    """Lists every attraction in document order, with a button for each."""

    def name(self) -> str:
        return "action_list_attractions"


class ActionDescribeAttraction(KnowledgeAction):
    """Describes the attraction named, picked from a list, or in context."""

    def name(self) -> str:
        return "action_describe_attraction"
