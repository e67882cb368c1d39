"""Custom actions with one of each kind of result, for the tests of the in-process actions
(server/rasa_server.py, 7): run by rasa_sdk's executor in the test and by a real action server."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection


class ActionTestAnswer(Action):
    """A reply with buttons and custom data, and a slot."""

    def name(self) -> str:
        return "action_test_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(
            text=f"You said {tracker.latest_message['text']!r}.",
            buttons=[{"title": "Where is it?", "payload": "Where is it?"}],
            json_message={"sources": [{"sentence": "It is in Gansu.", "paragraph": 1}]},
        )
        dispatcher.utter_message(response="utter_test_greet")
        return [SlotSet("place", "Gansu"), SlotSet("visited", ("Liqian", "Jinshui Lake"))]


class ActionTestFollowup(Action):
    """Hands the turn on to another action."""

    def name(self) -> str:
        return "action_test_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        return [FollowupAction("action_test_answer")]


class ActionTestChange(Action):
    """Changes what it was given in place: Rasa's own objects must not change with it."""

    def name(self) -> str:
        return "action_test_change"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        tracker.latest_message["entities"].append({"entity": "place", "value": "changed"})
        tracker.latest_message["intent"]["name"] = "changed"
        domain["responses"]["utter_test_greet"][0]["text"] = "changed"
        return []


class ActionTestFail(Action):
    """A bug: an exception."""

    def name(self) -> str:
        return "action_test_fail"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text="never sent")
        raise RuntimeError("a bug in an action")


class ActionTestReject(Action):
    """Refuses to run, so that another policy chooses (as a form does)."""

    def name(self) -> str:
        return "action_test_reject"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        raise ActionExecutionRejection(self.name(), "not now")
