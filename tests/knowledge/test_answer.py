"""Reading a question and answering it from the sentences, on a tiny document."""

import pytest

from knowledge.answer import answer
from knowledge.base import KnowledgeBase
from knowledge.build import build
from knowledge.sentences import (
    DECLINES,
    SUBJECT_ATTRACTION,
    SUBJECT_CITY,
    SUBJECT_PLACE,
    read_question,
    said_plainly,
)
from tests.knowledge.test_read import BILINGUAL_NOTICE, ENCYCLOPEDIA

DOCUMENT = """Tarrow of Wend province lies in the southern part of the Pale Valley, neighbouring Brisk on the north. It is known as the Glass Town because it is the oldest glass making base in Wend.

Tarrow covers 640 square kilometres and is home to 52,000 residents as of 2022. Brisk, a larger city, has a population of 90,000. In 2018, Tarrow was awarded the title of Clean Air City by the Wend Environment Office.

Its sights include Kiln Museum and Reed Lake. The Kiln Museum opens from 9:00 to 17:00 and is closed on Tuesdays. Reed Lake is an artificial lake 3 km from the centre.
"""


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase(build(DOCUMENT, "tarrow.txt"))


def ask(kb, text, **context):
    return answer(kb, read_question(kb, text, **context))


def said(kb, text):
    """What the answer to a question the NLU could not place says (its values, as text)."""
    return str(ask(kb, text, intent="out_of_scope").values)


def test_the_subject_is_named_remembered_or_the_city(kb):
    assert read_question(kb, "When does Kiln Museum open?").subject_kind == SUBJECT_ATTRACTION
    assert read_question(kb, "How many people live in Brisk?").subject == "Brisk"
    assert read_question(kb, "how big is that city?", remembered_place="Brisk").subject_kind == SUBJECT_PLACE
    assert read_question(kb, "how big is Tarrow?", remembered_place="Brisk").subject_kind == SUBJECT_CITY
    assert (
        read_question(kb, "is it open on Sundays?", remembered_attraction="Kiln Museum").subject
        == "Kiln Museum"
    )


def test_practical_answers_come_from_the_subject_s_sentences(kb):
    found = ask(kb, "What are the opening hours of the Kiln Museum?")
    assert found.reply == "document_says" and "9:00 to 17:00" in found.values["sentence"]
    assert found.sources == (found.values["sentence"],)
    lake = ask(kb, "When does Reed Lake open?")
    assert lake.reply == "aspect_unknown_known" and "9:00" not in str(lake.values)
    assert "3 km" in ask(kb, "How far is Reed Lake?").values["sentence"]


def test_another_city_s_figures_are_its_own(kb):
    assert "90,000" in ask(kb, "How many people live in Brisk?").values["sentence"]
    unknown = ask(kb, "How big is Brisk?")
    assert unknown.reply == "fact_unknown" and unknown.values == {"fact": "area", "city": "Brisk"}


def test_verdicts(kb):
    assert ask(kb, "Is Reed Lake a natural lake?").values["verdict"] == "No"
    assert ask(kb, "Is Brisk to the south of Tarrow?").values["verdict"] == "No"
    assert ask(kb, "Was Tarrow named a Clean Air City in 2016?").values["verdict"] == "Not in 2016"
    assert ask(kb, "Is Tarrow in Wend?").values["verdict"] == "Yes"
    assert ask(kb, "Is Tarrow known for silver?").reply == "claim_unknown"


def test_unknown_names_and_honours_are_said_to_be_missing(kb):
    assert ask(kb, "Tell me about Stone Bridge").values["name"] == "Stone Bridge"
    assert ask(kb, "When was Tarrow named a Forest City?").reply == "honour_unknown"
    found = ask(kb, "What is the population?")  # the city's own fact, whatever the intent
    assert found.reply == "population" and found.values["population"] == "52,000"


PAGE = """Tarrow is a town in Wend province. At the 2020 census Tarrow had 52,000 inhabitants, down from 55,000 in 2010. Kelso, in Amber province, lies to the north.
Visitors: 1.2 million in 2023
Getting around: buses cost 2 yuan. Tourist bus T1 leaves every 30 minutes.

Administration
Tarrow has jurisdiction over one district, Mill District, and one county, Reed County. Farmers in Reed County grow most of the barley.

Culture and tourism
North of the market, the Kiln Museum keeps the old glass ovens. Heron Lake is a park with boat hire; admission to the lake is free.

Notable people
Wang Shou (1421–1489), commander who built the fort
Ma Lian (1887–1951), educator who opened the first school
"""


@pytest.fixture(scope="module")
def page():
    return KnowledgeBase(build(PAGE, "tarrow.txt"))


def test_a_page_s_sentences_answer_what_its_structure_does_not(page):
    # a year the total is not of: the sentence that gives it
    assert (
        "55,000 in 2010"
        in ask(page, "what was the population in 2010?", intent="ask_population").values["sentence"]
    )
    assert "one county" in ask(page, "how many districts and counties are there?").values["sentence"]
    # a line of a list is said alone, not with the next line
    assert (
        ask(page, "who was wang shou?").values["sentence"]
        == "Wang Shou (1421–1489), commander who built the fort"
    )
    # "..., right?" about a province the page names for another place
    # the thing counted where the page counts it, not a number in the next sentence
    assert (
        ask(page, "how many tourists come to tarrow?").values["sentence"] == "Visitors: 1.2 million in 2023"
    )
    # a place typed in lower case is still the place asked about
    assert ask(page, "what's the population of kelso", intent="ask_population").subject == "Kelso"
    verdict = ask(page, "tarrow is in amber province, right?")
    assert verdict.values["verdict"] == "No" and "Wend" in verdict.values["sentence"]


def test_a_question_beyond_the_structured_fact_gets_the_sentence_that_answers_it(page):
    found = ask(page, "which county grows the barley?", intent="ask_location")
    assert found.reply == "document_says" and "Reed County grow" in found.values["sentence"]
    # after a neighbour is named, "there" is the neighbour, whose population the page lacks
    there = ask(page, "how many people live there?", intent="ask_population", remembered_place="Kelso")
    assert there.subject == "Kelso" and "52,000" not in str(there.values)


def test_a_price_asked_right_after_a_sight_is_that_sight_s(page):
    asked = ask(page, "how much is the entry?", remembered_attraction="Kiln Museum")
    assert asked.subject == "Kiln Museum" and "free" not in str(asked.values)
    assert (
        read_question(page, "where is it?", remembered_attraction="Kiln Museum").attraction["location"][
            "text"
        ]
        == "North of the market"
    )


def test_a_figure_or_rank_the_fact_does_not_give_is_not_answered_with_the_fact(kb):
    amount = ask(kb, "how much glass does Tarrow make every year?", intent="ask_resources")
    assert amount.reply == "aspect_unknown_known" and amount.values["aspect"] == "exact figures"
    assert "Glass Town" in amount.values["known"]  # what the page does say of it
    rank = ask(kb, "what rank did Tarrow get as a Clean Air City?", intent="ask_honours")
    assert rank.values["aspect"] == "rank" and "Clean Air City" in rank.values["known"]


GUIDE = """Tarrow
Tarrow is a market town on the river Wend.

See
Kiln Museum (窑博物馆), 2 Mill St. 09:00-17:30 (Nov-Mar 10:00-16:30). A museum of pots. ¥30, children free.
Reed Lake (芦湖), east of town. Open 08:00-18:00. Boats for hire. Free.
"""


def test_a_value_asked_under_a_condition_comes_from_the_sentence_that_says_it():
    kb = KnowledgeBase(build(GUIDE, "guide.txt"))
    winter = ask(kb, "kiln museum hours in winter")
    assert winter.reply == "document_says" and "Nov-Mar 10:00-16:30" in winter.values["sentence"]
    assert "children free" in ask(kb, "do kids pay at the kiln museum?").values["sentence"]
    # the lake's hours say no season: "in winter" is not answered with them
    assert ask(kb, "reed lake hours in winter").reply != "document_says"
    assert "Free" in ask(kb, "is reed lake free").values["sentence"]  # its own "Free.", not another's


def test_after_several_neighbours_a_follow_up_is_about_them_not_the_city():
    text = "Tarrow is a market town on the river Wend. Brisk is about 40 km to the east and Kelso 90 km to the west."
    around = KnowledgeBase(build(text, "around.txt"))
    far = ask(around, "how far is it?", remembered_place="Brisk and Kelso")
    assert far.reply == "document_says" and "40 km" in far.values["sentence"]
    assert ask(
        around, "and its population?", remembered_place="Brisk and Kelso", intent="ask_population"
    ).reply != ("population")


FEATURE = """Tarrow
Tarrow is a market town in the Pale Valley of Wend. It sits between the Grey Hills to the south and the salt flats of Amber Land to the north.

See
Kiln Museum (窑博物馆), 2 Mill St, ☏ 0935-812 3456. 09:00-17:30. A museum of pots.
Reed Lake (芦湖), east of town. Boats for hire.

At the top of the village stands the bell tower. The first tower went up in 1921 and was rebuilt in 2002, nine tiers of oak rising over the square.
"""


def test_what_a_page_says_in_other_words_still_answers():
    kb = KnowledgeBase(build(FEATURE, "feature.txt"))
    # a place the page puts to one side of the town is not where the town is
    outside = ask(kb, "is tarrow in amber land?")
    assert outside.values["verdict"] == "No" and "Pale Valley" in outside.values["sentence"]
    # "the first tower" is the bell tower of the sentence before; "nine" is a count
    assert "nine tiers" in ask(kb, "how many tiers does the bell tower have").values["sentence"]
    assert "1921" in ask(kb, "when was the bell tower built").values["sentence"]
    # "their phone number" right after a sight is its number; a sight with none says so
    phone = ask(kb, "what's their phone number?", remembered_attraction="Kiln Museum")
    assert "0935-812 3456" in phone.values["sentence"]
    assert "0935" not in str(ask(kb, "what's the phone number?", remembered_attraction="Reed Lake").values)


LISTINGS = """Tarrow
Tarrow is a market town on the river Wend.

Sleep
Old Mill Inn (老磨坊), 4 Mill St, ☏ 0935-800 1234. Doubles ¥180.
River Hostel (河边旅社), Quay Rd. Dorms ¥40, and bikes to rent.
"""


def test_a_conversation_can_be_about_a_hotel_the_guide_lists():
    kb = KnowledgeBase(build(LISTINGS, "listings.txt"))
    found = ask(kb, "is there a hostel?")
    assert "River Hostel" in found.values["sentence"]
    assert (found.subject, found.subject_kind) == ("River Hostel", SUBJECT_ATTRACTION)
    room = ask(kb, "how much is a room?", remembered_attraction="River Hostel")
    assert "¥40" in room.values["sentence"] and "¥180" not in room.values["sentence"]
    # the inn's number is not the hostel's
    assert "0935" not in str(ask(kb, "what's the phone number?", remembered_attraction="River Hostel").values)
    assert (
        "0935-800 1234"
        in ask(kb, "what's their phone number?", remembered_attraction="Old Mill Inn").values["sentence"]
    )


AROUND = """Tarrow
Tarrow is a market town on the river Wend. It has two divisions, Mill District and Reed County.

Get in
Buses to Brisk take 50 minutes and to Kelso 2 hours.

See
Kiln Museum (窑博物馆), 12 km west of the town. 09:00-17:30.

Sleep
Old Mill Inn (老磨坊), next to the Kiln Museum. Doubles ¥180.
"""


def test_a_follow_up_asks_the_last_question_again_of_what_it_names():
    kb = KnowledgeBase(build(AROUND, "around.txt"))
    again = read_question(kb, "and to kelso?", previous="how long is the bus to Brisk?")
    assert again.text == "how long is the bus to kelso?"
    assert (
        read_question(kb, "and its population?", previous="what's east of tarrow").text
        == "and its population?"
    )
    whole = read_question(kb, "and in the whole town?", previous="how many people live in mill district?")
    assert whole.text == "how many people live in the whole town?"
    # where "it" is measured from is not what the question is about
    far = ask(kb, "how far is it from the town?", remembered_attraction="Kiln Museum")
    assert "12 km" in far.values["sentence"]
    near = ask(kb, "is there a hotel near it?", remembered_attraction="Kiln Museum")
    assert "Old Mill Inn" in near.values["sentence"]


def test_a_division_is_neither_the_city_it_is_spelt_like_nor_a_sight_named_after_it():
    text = (
        "Tarrow is a market town on the river Wend. Its two divisions are Tarrew District, "
        "with 52,000 people, and Reed County.\n\nSee\nTarrew Glass Museum (玻璃馆), 2 Mill St. A museum of glass.\n"
    )
    kb = KnowledgeBase(build(text, "divisions.txt"))
    museum = kb.attraction("tarrew")
    asked = read_question(kb, "how many people live in tarrew district?", named_attraction=museum)
    assert (asked.subject, asked.subject_kind) == ("Tarrew District", SUBJECT_PLACE)
    assert (
        read_question(kb, "how many people live in tarow?").subject_kind == SUBJECT_CITY
    )  # a typo of the town


ESSAY = """Tarrow
Tarrow is a market town in Wend province. It covers 640 square kilometres and had 52,000 people in 2020. There are 12 ethnic minorities, of whom the Reed people are the most numerous. Three expressways run 210 kilometres within the town.

Not everything in Tarrow is glass. In Reed County, Feiyun Cave (飞云洞) runs for 7 km into the hills. The highlight is a 40-metre waterfall in the largest chamber. Inside it stays at about 15°C all year, which in July feels like a gift.

From June to early October you can also raft the Wend River, a 9 km run.

OMG the food! Try the pilaf at the canteen next to Feiyun Cave. Fresh naan is 3 yuan at the night stalls.
"""


def test_an_essay_s_sentences_answer_for_the_sight_and_the_activity_they_go_on_about():
    kb = KnowledgeBase(build(ESSAY, "essay.txt"))
    # the sentences after the one that opens with the cave, naming nothing new, are the cave's
    assert "15°C" in ask(kb, "how cold is it inside the cave").values["sentence"]
    assert "40-metre" in ask(kb, "how high is the waterfall in the cave?").values["sentence"]
    # a cave named on the way opens no paragraph about it
    cave = kb.attraction("Feiyun Cave")
    assert not any("naan" in f["text"] for f in cave["facts"])
    # "when can you go rafting?" is answered by the months, though no "best" is said
    assert "June to early October" in ask(kb, "when can you go rafting").values["sentence"]


def test_a_figure_of_something_else_is_not_the_town_s_area_or_population():
    kb = KnowledgeBase(build(ESSAY, "essay.txt"))
    minority = ask(kb, "which minority is largest", intent="ask_area")
    assert "Reed people" in minority.values["sentence"]
    roads = ask(kb, "how many km of expressways", intent="ask_area")
    assert "210 kilometres" in roads.values["sentence"]
    share = ask(kb, "how big is the glass industry's share", intent="ask_area")
    assert share.reply == "aspect_unknown" and "640" not in str(share.values)
    assert ask(kb, "how big is tarrow", intent="ask_area").reply != "aspect_unknown"


FORUM = """Tarrow Travel Forum
Tarrow is a market town in Wend province.

How do we get there from Brisk, and what are the bus times? Is the lake worth it?
Buses leave Brisk North at 8:10 and 13:00; the ride takes 4 hours.

Top sights

1. Reed Lake (芦湖)
Reed Lake, 12 km southwest of Tarrow town, is shallow.
Opening hours: 7:30-19:00 (May 1 – October 15); 9:00-17:00 (October 16 – April 30)
Ticket: 70 yuan (peak season), 40 yuan (low season)

FAQ
Q: Do foreigners need a permit to visit Tarrow?
A: No. A passport and visa are enough.
"""


def test_a_forums_questions_answer_nothing_and_an_faqs_answers_do():
    kb = KnowledgeBase(build(FORUM, "forum.txt"))
    times = ask(kb, "what are the bus times from brisk")
    assert "8:10" in times.values["sentence"]
    permit = ask(kb, "do foreigners need a permit for tarrow")
    assert permit.reply == "document_says" and "A: No." in permit.values["sentence"]
    # a season's months given with their days; a price that differs by season
    assert "9:00-17:00" in ask(kb, "reed lake hours in winter").values["sentence"]
    assert "peak season" in ask(kb, "how much is the reed lake ticket in july").values["sentence"]
    assert "12 km southwest" in kb.attraction("Reed Lake")["location"]["text"]


def test_a_trip_to_a_place_is_asked_of_the_town_and_a_vehicle_s_how_long_is_a_duration():
    text = (
        "Tarrow\nTarrow is a market town in Wend province. Brisk lies 80 km to the east.\n\n"
        "Getting there\nLong-distance buses leave Tarrow bus station for Brisk (1 hour 20 minutes) "
        "and Kelso (about 5 hours).\n\nSights\nThe Bell Pagoda, of five storeys, stands in the square.\n"
    )
    kb = KnowledgeBase(build(text, "trip.txt"))
    bus = ask(kb, "how long is the bus to brisk")
    assert bus.reply == "document_says" and "1 hour 20 minutes" in bus.values["sentence"]
    floors = ask(kb, "how many floors does the bell pagoda have")
    assert "five storeys" in floors.values.get("sentence", "") + floors.values.get("summary", "")


def test_it_after_a_question_about_a_thing_no_sight_names_is_that_thing():
    text = (
        "Tarrow\nTarrow is a small town in Wend province.\n\n"
        "The big market is on Saturday. In 2023 it moved to the new market hall on Xinhua Street.\n"
    )
    kb = KnowledgeBase(build(text, "market.txt"))
    again = read_question(kb, "where is it", previous="when is market day")
    assert again.text == "where is the market"  # (the words the page uses)
    assert "Xinhua Street" in answer(kb, again).values["sentence"]
    # a yes/no question, or one after the town, keeps its own words
    assert read_question(kb, "is it free", previous="is there a market").text == "is it free"
    assert read_question(kb, "where is it", previous="tell me about tarrow").text == "where is it"


ITINERARY = """Skip to content
Slow Roads
travel stories from Europe & beyond
Home
Destinations
Europe
Wend
Travel Tips
About Me
Search for:
Home » Europe » Wend » 2 Days in Tarrow: My Itinerary

2 Days in Tarrow: My Itinerary (Old Town & a Glass Village)
Share
Facebook
Pin it

Tarrow is one of those places I almost skipped. It's a river town of about 52,000 people in the hills of western Wend, and the old quarter leans over the Reed River.

Getting to Tarrow
Buses to Tarrow leave Brisk every hour; Tarrow bus station is on Mill Road.

Day 1
9:00am – Kiln Museum on Mill Road. Entry is free but it's closed on Mondays. Allow about 90 minutes.
11:00am – lunch by the bridge.
2:00pm – hiked up Bell Hill. The trail starts behind the Kiln Museum and is about 900 stone steps. It's free, and the view is the one on every postcard.
6:00pm – Old Wharf Night Market, which opens at 6pm by the north gate.
7:30pm – the night boat on the Reed River. Tickets are ¥60 and the trip lasts about 40 minutes. A guide at the inn will book boat tickets for you.
"""


def test_a_blogs_itinerary_names_its_sights_by_the_hour_and_its_menu_names_no_town():
    kb = KnowledgeBase(build(ITINERARY, "itinerary.txt"))
    assert kb.city["name"] == "Tarrow"  # not the menu's "Europe"
    assert kb.city["population"]["text"] == "about 52,000"
    assert kb.city["region"]["text"] == "the hills of western Wend"
    names = [a["name"] for a in kb.attractions]
    assert {"Kiln Museum", "Bell Hill", "Old Wharf Night Market"} <= set(names)
    assert "Glass Village" not in " ".join(names)  # "a Glass Village" is one of a kind
    monday = ask(kb, "is the kiln museum open on mondays")
    assert "closed on Mondays" in str(monday.values)
    # the trail named the museum as a landmark: it is the hill's
    steps = ask(kb, "how many steps up bell hill?")
    assert "900 stone steps" in steps.values["sentence"]
    where = ask(kb, "where is tarrow", intent="out_of_scope")
    assert "western Wend" in str(where.values)
    # the sentences after an entry of the day go on about it; "night" is the boat's, not the market's
    boat = ask(kb, "night boat ticket price")
    assert "¥60" in boat.values["sentence"] and boat.subject != "Old Wharf Night Market"
    assert "40 minutes" in ask(kb, "how long is the night boat trip").values["sentence"]


GAZETTE = """Tarrow at a Glance

Natural Conditions
The Reed River, the main river, flows 86 kilometers through the county.
Tarrow belongs to temperate continental climate, with four distinct seasons. The average temperature in July is 21.9°C.

Economy
In 2024, the county's gross domestic product (GDP) reached 14.26 billion yuan, an increase of 5.3% over the previous year.

Tourism Resources
Tarrow enjoys the reputation of "Hometown of Glass in Wend" and "Gate of the North".
Tarrow Old Garrison City: National 4A-level scenic area. The city wall was built in 1392.
Hanyao Pass Great Wall: National 3A-level scenic area, 17 kilometers long.
"""


def test_a_government_portal_s_climate_economy_and_keyed_sights_are_answered():
    kb = KnowledgeBase(build(GAZETTE, "gazette.txt"))
    # the climate is the town's, not the river's before it
    climate = ask(kb, "what kind of climate does tarrow have")
    assert "continental climate" in climate.values["sentence"]
    assert "21.9°C" in ask(kb, "is it hot in july?").values["sentence"]
    assert "5.3%" in ask(kb, "how fast did the economy grow last year").values["sentence"]
    assert ask(kb, "does the river have wifi?").reply != "document_says"
    names = [a["name"] for a in kb.attractions]
    assert {"Tarrow Old Garrison City", "Hanyao Pass Great Wall"} <= set(names)
    assert kb.city["nickname"]["value"] == "Hometown of Glass in Wend"


WIKI_GUIDE = """Jump to content
Main menu
move to sidebar
hide
Navigation
Main page
Travel destinations
Recent changes
Random page
Help
Donate

Tarrow

Tarrow (塔罗) is a county-level city in the hills of western Wend, about 90 km east of Brisk.

Get in
[edit]
By train
There are direct trains to Brisk East (2 hr 10 min, ¥198 in second class) and Kelso (1 hr 25 min, ¥126).

By bus
Tarrow Bus Station (塔罗汽车站), 66 Jiefang Rd. Buses to Kelso every 40 min (2 hr, ¥52), Linmouth (1½ hr, ¥38) and Hexley (2½ hr, ¥61), and one sleeper bus to Brisk nightly at 19:30 (¥180).

Climate
[edit]
Summers are long, hot and sticky. The best time to visit is October to early November, when skies are clear.

See
[edit]
Reed Temple (芦寺), 12 Simiao Lane. 7:30-17:30. A Chan Buddhist temple founded in 1084 under the Northern Song. ¥30.
Kiln Museum (窑博物馆), 3 Wenhua Rd. Tu-Su 9:00-17:00, closed Mondays. Over 4,200 objects, mostly Song ceramics. Free.

Eat
[edit]
Budget
Lao Zhou Rice Noodles (老周米粉), 18 Hedong St. 6:00-13:00. A breakfast institution; a big bowl of noodles is ¥12.
"""


def test_a_wiki_guide_s_menu_edit_links_and_price_tiers_are_read_as_a_reader_reads_them():
    kb = KnowledgeBase(build(WIKI_GUIDE, "guide.txt"))
    assert kb.city["name"] == "Tarrow"  # not "Navigation", a link of the wiki's menu
    names = [a["name"] for a in kb.attractions]
    assert names == ["Reed Temple", "Kiln Museum"]  # "See" over its "[edit]" link; noodles are to eat
    assert "2 hr 10 min" in ask(kb, "how long does the train from brisk take").values["sentence"]
    assert "19:30" in ask(kb, "what time does the sleeper bus to brisk leave").values["sentence"]
    assert "October" in ask(kb, "best time of year to go to tarrow?").values["sentence"]
    # of a list of prices, the place asked
    bus = ask(kb, "how much is the bus to linmouth").values["sentence"]
    assert "¥38" in bus and "¥52" not in bus and "¥61" not in bus


FAQ = """Visitor FAQ

Welcome to Tarrow! Below you will find answers to the questions our staff hear most often.

Where is Tarrow County?
Tarrow County (塔罗县) is located in southwestern Wend Province, on the north shore of Reed Lake. It lies about 165 km southwest of the provincial capital Brisk. The county covers 2,156 square kilometres.

When is the best time to visit?
April-May and September-October are the most comfortable months, with average temperatures of 18-25°C.

What are the main attractions, and how much are tickets?
• Reed Lake (芦湖) – an 86 km² freshwater lake. Boat tours cost ¥80.
• White Heron Lake Wetland Park (白鹭湖湿地公园) – a smaller 12 km² lake 8 km east of town. Free admission.
• Kiln Gorge (窑峡) – 28 km northwest of town. ¥75.
• Wen Pagoda (文塔) – a seven-storey brick pagoda from 1596 on the hill above the town. ¥10.

Is there a combined ticket?
Yes. The Tarrow Pass costs ¥150 and covers the Reed Lake boat tour and Kiln Gorge. Winter is the season of the migrating birds at White Heron Lake.

Is Tarrow wheelchair accessible?
The lakeside greenway is flat. Kiln Gorge and Wen Pagoda are unfortunately not accessible.
"""


def test_an_faq_s_questions_head_their_answers_and_name_no_sights():
    kb = KnowledgeBase(build(FAQ, "faq.txt"))
    names = [a["name"] for a in kb.attractions]
    assert names == ["Reed Lake", "White Heron Lake Wetland Park", "Kiln Gorge", "Wen Pagoda"]
    where = ask(kb, "where is tarrow", intent="ask_location")
    assert where.reply == "city_location_region_alone"
    assert where.values["region"] == "southwestern Wend Province"  # said once, not "Wend province, in ..."
    # "It" goes on about the county the sentence before opened with, not the lake it ended with
    assert "165 km" in ask(kb, "how far is tarrow from brisk").values["sentence"]
    assert "April-May" in ask(kb, "best time to visit tarrow?").values["sentence"]  # its heading asks it
    assert "¥150" in ask(kb, "how much is the tarrow pass").values["sentence"]  # a sight's sentence says it
    assert "1596" in ask(kb, "when was wen pagoda built").values["sentence"]  # "a brick pagoda from 1596"


AGENCY = """Tarrow Travel Guide

Tarrow lies 48 km from the border and is the kind of place most travellers have never heard of.
A county was established here in 1913, and Tarrow became a county-level city in 2015.

Quick Facts
Location: southwestern Wend Province, 560 km west of Brisk
Population: 186,000

Top Attractions in Tarrow

1. Kiln Gorge (窑峡)
The reason most visitors come to Tarrow. About 1,200 hectares of tea trees cover the slopes.

In spring you can watch the villagers pick the leaves.

Ticket: CNY 60
Opening hours: 8:00–18:00

2. Jinta Temple (金塔寺, Golden Pagoda Temple)
The most photographed sight in town, founded in 1703.

Ticket: CNY 20
Opening hours: 7:00–19:00

3. Heihe Hot Springs (黑河温泉)
An open-air resort 18 km east of town with 42 pools.

Ticket: CNY 128 on weekdays, CNY 158 on weekends and public holidays
Opening hours: 10:00–23:00

Recommended Tours
★ 1-Day Kiln Gorge Private Tour – from US$139 per person
★ 3-Day Tarrow Essence: Tea and Temples – from US$459 per person

Customer Reviews
Our guide Ms. Yang met us at the airport with a big smile. We did the 3-day tour and loved it.
"""


def test_a_tour_company_s_numbered_entries_own_their_ticket_lines_and_other_names():
    kb = KnowledgeBase(build(AGENCY, "agency.txt"))
    assert kb.city["region"]["text"] == "southwestern Wend Province"
    assert kb.city["province"]["value"] == "Wend"
    names = [a["name"] for a in kb.attractions]
    assert names == ["Kiln Gorge", "Jinta Temple", "Heihe Hot Springs"]  # not "Golden Pagoda Temple"
    assert "CNY 60" in str(ask(kb, "kiln gorge ticket price").values)
    assert "CNY 20" in str(ask(kb, "golden pagoda temple ticket").values)
    saturday = str(ask(kb, "hot springs price on saturday").values)
    assert "CNY 158" in saturday and "CNY 128" not in saturday  # the weekend's price
    assert (
        ask(kb, "when did tarrow become a city").values["sentence"]
        == "Tarrow became a county-level city in 2015."
    )
    assert "US$459" in ask(kb, "how much is the 3 day tour").values["sentence"]
    assert not any(owner.startswith("Our guide") for owner in kb.owners)  # "Ms." ends no title


INFOBOX_PAGE = """Tarrow
Country\tWend
Population (2020 census)
 • Town\t426,812
 • Density\t48/km2 (124/sq mi)
Time zone\tUTC+8 (Wend Standard)

Tarrow is a town in Wend. The glassworks employ about 28,000 people locally. The Romans were said to have settled here.
"""


def test_a_question_s_words_are_matched_as_the_page_writes_them():
    kb = KnowledgeBase(build(INFOBOX_PAGE, "infobox.txt"))
    # the infobox's key counts the people; the glassworks' 28,000 are employees
    assert ask(kb, "how many ppl live in tarrow", intent="ask_population").values["population"] == "426,812"
    assert "UTC+8" in ask(kb, "what timezone is tarrow in").values["sentence"]  # the page's "Time zone"
    assert "Romans" in ask(kb, "whats this story about romans").values["sentence"]


COLUMN = """Skip to content
Skip to site index
Travel
The Harbour Ledger
Search
Subscribe for $1/week   Log in
World   U.S.   Politics   Business   Opinion   Travel

ADVERTISEMENT
SKIP ADVERTISEMENT

36 Hours in Tarrow, Wend

A covered bridge, a temple bell and hillsides of tea: a quiet river town in southern Wend.

By Eleanor Marsh
Oct. 17, 2024

Tarrow sits where the Lan River leaves the hills, 96 kilometers southwest of Brisk and about 310 kilometers from Kell. For eight centuries Tarrow grew rich shipping tea downriver, and Tarrow still seems to know itself by name. The annual average temperature is 16.2℃, the extreme highest temperature recorded is 39.5℃, the annual average precipitation is 1,650 mm and the frost-free period is 262 days.

Friday

1 | 4 p.m. | Bells and tea

Begin on the hill above town at Qingfeng Temple (清风寺), reached by 386 stone steps. The halls you see were rebuilt in 1688 after a fire. (Entry 40 yuan; open 7 a.m. to 5:30 p.m.; 12 Sigu Lane.)

2 | 10 a.m. | A merchant's mansion

The Ma Family Compound (马家大院) was built in 1796 by a salt merchant of Tarrow. A combined ticket for the compound and Qingfeng Temple costs 85 yuan. (Entry 30 yuan; 8:30 a.m. to 5 p.m.; 21 Laojie.)
"""


def test_a_newspaper_column_s_frame_is_dropped_and_its_bracketed_details_are_its_places():
    kb = KnowledgeBase(build(COLUMN, "column.txt"))
    assert kb.city["name"] == "Tarrow"  # not "U" of the menu's "U.S.", nor "Travel"
    assert not any("Eleanor" in s or "SKIP" in s for s in kb.data["sentences"] + kb.sections)
    names = [a["name"] for a in kb.attractions]
    assert "Qingfeng Temple" in names and "Ma Family Compound" in names
    temple = ask(kb, "qingfeng temple entry fee").values["sentence"]
    assert "40 yuan" in temple and "30 yuan" not in temple
    compound = ask(kb, "when does the ma family compound open").values["sentence"]
    assert "8:30 a.m." in compound and "7 a.m." not in compound  # not the temple's, named there
    brisk = str(ask(kb, "how far is tarrow from brisk").values)
    assert "96 kilometers" in brisk and "310" not in brisk  # the part of two distances asked
    assert ask(kb, "average temperature in tarrow").values["sentence"] == (
        "The annual average temperature is 16.2℃."
    )  # of a list of figures, the clause asked


GUIDEBOOK = """Tarrow

Why go
Tarrow sits in the far south of Wend at 620m above sea level, 165km by road from Brisk and 310km from Kell.

Sights

Tarrow Drum Tower
DRUM TOWER
(塔楼鼓楼; Zhongxin Sq; included in village ticket; 24hr)
The first tower on this square went up in 1761, but the one you see today was rebuilt in 1921. It rises 13 tiers of eaves to 26.8m.

Tarrow Museum
MUSEUM
(塔楼博物馆; 8 Gulou Rd; free; 9am-5pm Tue-Sun)
Opened in 2012 in a building styled after a granary, the museum holds some 1200 objects.

Eating

Lao Yang's Noodles
NOODLES ¥
(老杨米粉; 14 Gulou Rd; noodles ¥10-15; 6.30am-1pm) A steamy breakfast institution.
"""


def test_a_guidebook_entry_s_type_line_is_no_sight_and_its_text_is_the_sight_s():
    kb = KnowledgeBase(build(GUIDEBOOK, "guidebook.txt"))
    assert [a["name"] for a in kb.attractions] == ["Tarrow Drum Tower", "Tarrow Museum"]  # not "DRUM TOWER"
    assert "26.8m" in ask(kb, "how tall is the drum tower").values["sentence"]
    # the entry's details line, its own sentence, under the museum's name; a day the page
    # never names is answered by the days it gives
    monday = ask(kb, "is the museum open on monday").values["sentence"]
    assert monday == "Tarrow Museum: (塔楼博物馆; 8 Gulou Rd; free; 9am-5pm Tue-Sun)"
    kell = str(ask(kb, "how far is tarrow from kell").values)
    assert "310km from Kell" in kell and "165km" not in kell


PROFILE = """Tarrow County Profile

Tarrow County (塔罗县) is located in the southwest of Wend Province, 86 kilometers away from the urban area of Kell and 268 kilometers away from the provincial capital Brisk. The county governs 9 towns and 4 townships, with a total area of 2,318 square kilometers and a registered population of 386,200 (end of 2023).
"""


def test_a_size_asked_in_words_taken_for_the_location_is_answered_with_the_size():
    kb = KnowledgeBase(build(PROFILE, "profile.txt"))
    found = ask(kb, "how big is tarrow county", intent="ask_location")
    assert "2,318 square kilometers" in found.values["sentence"]  # not "Tarrow is in Wend province"
    brisk = str(ask(kb, "how far is tarrow from brisk").values)  # "... of Kell and 268 ...": two parts
    assert "268 kilometers" in brisk and "86 kilometers" not in brisk


SONG_BOX = """Tarrow

Sights

Tarrow Museum
(塔楼博物馆; 8 Gulou Rd; free; 9am-5pm Tue-Sun)
Opened in 2012 in a building styled after a granary, the museum holds some 1200 objects of reed weaving and song.

DON'T MISS
Sung by twenty voices without instruments, the Tarrow reed song was listed as national heritage in 2011. A free 20-minute performance takes place at 10am daily on Drum Square. The full evening show starts at 8pm nightly (¥60, 70 minutes) on the stage behind the tower.
"""


def test_a_follow_up_naming_nothing_asks_about_what_the_last_answer_quoted():
    kb = KnowledgeBase(build(SONG_BOX, "box.txt"))
    asked = ["what's the reed song"]
    found = ask(kb, asked[0])
    assert "national heritage" in found.values["sentence"]
    replies = []
    for text in ("when can i see it", "how much is the evening show", "how long is it"):
        remembered = found.subject if found.subject_kind == SUBJECT_ATTRACTION else None
        found = ask(kb, text, remembered_attraction=remembered, previous=asked[-1], told=found.sources)
        replies.append(found.values.get("sentence", found.reply))
        asked.append(text)
    # a time of the song, not the year it was listed; the show's price, not the museum's
    # "free"; how long the show lasts
    assert "10am" in replies[0]
    assert "¥60" in replies[1]
    assert "70 minutes" in replies[2]
    # the museum told of: its own entry answers
    museum = ask(kb, "tell me about the museum")
    price = ask(kb, "how much is it", remembered_attraction="Tarrow Museum", told=museum.sources)
    assert "free" in str(price.values) and "¥60" not in str(price.values)


def test_a_question_the_nlu_is_sure_is_out_of_scope_is_answered_by_the_rare_words_it_shares():
    page = DOCUMENT + (
        "\nStay safe\nTarrow is very safe. The main dangers are sandstorms in spring and fierce sun in"
        " summer. Tap water is not drinkable. Emergency numbers: police 110, ambulance 120.\n"
        "\nDrink\nThe bars on Lake Road serve drinks until midnight.\n"
    )
    kb = KnowledgeBase(build(page, "t.txt"))
    found = ask(kb, "is the tap water ok to drink", intent="out_of_scope")
    assert "not drinkable" in found.values["sentence"]
    assert ask(kb, "what is the capital of wend", intent="out_of_scope").reply != "document_says"


def test_a_duration_with_a_half_is_a_duration():
    kb = KnowledgeBase(
        build("Tarrow\n\nSee\nRafting on the Reed River takes about 2½ hr through the canyon.\n", "t.txt")
    )
    assert "2½ hr" in ask(kb, "how long does the rafting take").values["sentence"]


CARDS = """Things to Do in Tarrow

1. Tarrow Old Street
Open Time: Open all day
Ticket: Free
Highlights: A flagstone street of wooden shophouses.

2. Reed Temple
Open Time: 08:30-17:30
Ticket: CNY 30; students CNY 15; children under 1.2 m enter free
Highlights: A Ming temple with two old ginkgo trees.

3. Kiln Grottoes
Open Time: 08:00-17:00
Ticket: CNY 45
Highlights: Buddhist figures carved into a cliff.
"""


def test_prices_written_cny_first_are_compared_and_paying_to_enter_asks_the_price():
    kb = KnowledgeBase(build(CARDS, "cards.txt"))
    cheaper = ask(kb, "Which is cheaper, Kiln Grottoes or the Reed Temple?")
    assert cheaper.reply == "compared" and cheaper.values["name"] == "Reed Temple"
    assert "Free" in str(ask(kb, "Do I have to pay to enter the Old Street?").values)


def test_the_cheapest_hotel_is_the_cheapest_the_page_lists_not_the_cheapest_sight():
    page = (
        CARDS
        + "\nNearby hotels\nRiver Inn: doubles from CNY 180 a night.\nHill Lodge: doubles from CNY 320 a night.\n"
    )
    kb = KnowledgeBase(build(page, "cards.txt"))
    for text in ("What's the cheapest hotel?", "which is the cheapest place to stay"):
        found = ask(kb, text)
        assert found.reply != "compared" and "River Inn" in str(found.values)
    assert "Hill Lodge" in str(ask(kb, "which hotel is the most expensive?").values)


def test_which_province_is_answered_by_the_province_a_name_says():
    page = (
        "About the city\nTarrow (塔罗市) is a prefecture-level city in eastern Wend Province, in south-west China. "
        "Tarrow is about 190 km east of Brisk, the provincial capital, and an hour away by train.\n"
    )
    kb = KnowledgeBase(build(page, "guide.txt"))
    found = ask(kb, "Which province is Tarrow in?", intent="ask_location")
    assert "Wend Province" in str(found.values) and "190 km" not in str(found.values)


def test_which_sights_are_free_names_every_free_one():
    page = CARDS + (
        "\n4. Heron Marsh\nTicket: free; boat ride CNY 150 per hour\nHighlights: Herons in winter.\n"
        "\n5. Reed Hall\nOpen Time: 09:00-17:00\nTicket: CNY 10\nHighlights: Reeds.\n"
    )
    kb = KnowledgeBase(build(page, "cards.txt"))
    for text in ("Which sights are free?", "what's free to do?"):
        found = ask(kb, text)
        assert found.reply == "free_sights" and found.values["listed"] == ["Tarrow Old Street", "Heron Marsh"]
    assert ask(kb, "which is the cheapest sight?").reply == "compared"
    assert ask(kb, "what day is free entry?").reply != "free_sights"


def test_a_sentence_about_one_of_the_things_the_last_named_answers_for_them():
    page = (
        "About the town\nTarrow is a small town in Wend Province.\n\n"
        "Drifting downstream\nFrom the Old Pier, bamboo rafts drift 6 km down the river in about 50 minutes. "
        "A raft for up to four people costs 120 yuan; a seat on a shared raft is 45 yuan. "
        "Taxis back to town cost 30 yuan.\n\n"
        "Getting there\nI took a G-train from Brisk South (2h 50m, CNY 152 in second class) and then the shuttle bus. "
        "The shuttle bus costs CNY 25 and takes 50 minutes.\n"
    )
    kb = KnowledgeBase(build(page, "column.txt"))
    assert "120 yuan" in str(ask(kb, "how much is a bamboo raft", intent="ask_price").values)
    assert "152" in said(kb, "how long is the train from brisk south")


def test_the_name_of_a_thing_is_no_honour_asked():
    page = (
        "Overview\nTarrow is a city in the north of Wend Province. In 2023, Tarrow was rated as "
        '"National Civilized City".\n\nHistory\nIn 619 AD, Tarzhou was established, which is the origin '
        'of the name "Tar".\n\nTraffic\nThe high-speed railway sets up Tarrow West Station, 1 hour from Brisk.\n'
    )
    kb = KnowledgeBase(build(page, "portal.txt"))
    for text in ("where does the name tar come from", "what's the name of the high speed railway station"):
        found = ask(kb, text, intent="out_of_scope")
        assert found.reply != "honour_unknown", text
    assert "origin" in said(kb, "where does the name tar come from")


def test_how_long_the_train_from_a_place_takes_is_said_of_that_place():
    page = (
        "Getting there\nTarrow has no airport; you fly into Kelso. High-speed train from Kelso North to "
        "Tarrow West takes about 1h25 and second class is ¥98. From Brisk South it's about 2h10, ¥156. "
        "Don't take the long-distance bus, it's 3.5 hours on the old road.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    assert "1h25" in str(ask(kb, "how long is the train from kelso to tarrow", intent="ask_duration").values)
    assert "2h10" in str(ask(kb, "how long does the train from brisk take", intent="ask_duration").values)


def test_a_later_reply_that_corrects_an_earlier_one_is_the_answer():
    page = (
        "Tarrow trip questions\n\nAny tips for Tarrow? Is the Heron Lake ticket still cheap?\n\n"
        "Went last year. The Heron Lake ticket is 60 yuan. Pro tip: the Tarrow Museum is free on Mondays.\n\n"
        "Reply Share\n\n"
        "Sorry but that's backwards - the museum is CLOSED on Mondays (except public holidays).\n\n"
        "Some corrections from a local:\n- Actually the Heron Lake ticket went up to 80 yuan in July 2023.\n"
        "- The boat ride on the lake is 40 extra.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    price = said(kb, "heron lake ticket price")
    assert "80 yuan" in price and "60 yuan" not in price
    assert "CLOSED on Mondays" in said(kb, "is the museum free on mondays")


def test_how_much_rain_is_answered_with_the_rainfall_not_the_temperature():
    page = (
        "Climate\nTarrow has a temperate monsoon climate. The annual average temperature is 7.3℃. "
        "The terrain of the whole city is high in the northwest, the average altitude is 1,260 meters. "
        "The annual precipitation is 412 millimeters, mostly in July to September.\n"
    )
    kb = KnowledgeBase(build(page, "portal.txt"))
    for text in ("how much rain falls there", "how much rain does tarrow get a year", "annual rainfall?"):
        assert "412 millimeters" in str(ask(kb, text, intent="out_of_scope").values), text


def test_a_follow_up_may_leave_out_what_the_question_before_it_asked_about():
    page = (
        "Population\nThe permanent resident population of the whole city was 563,217 persons in 2020, "
        "compared with 621,540 in 2010.\n\n"
        "Climate\nTarrow has a temperate monsoon climate. The annual precipitation is 412 millimeters, mostly "
        "concentrated in July to September.\n"
    )
    kb = KnowledgeBase(build(page, "portal.txt"))
    rain = "The annual precipitation is 412 millimeters, mostly concentrated in July to September."
    found = ask(kb, "when does most of it fall", previous="how much rain falls there", told=[rain])
    assert "July to September" in str(found.values)


def test_a_show_is_a_performance():
    page = (
        "Top sights\n\nHeron Village (白鹭村)\nAbout 26 km west of Tarrow, Heron Village is a village of stilt "
        "houses. Villagers welcome guests with a wine ceremony at the gate, and a song-and-dance performance "
        "is held in the drum square at 10:30 and 15:00 every day.\n\nLanterns\nIn the evening a free light "
        "show is projected onto the city wall at 20:00 every Friday.\n"
    )
    kb = KnowledgeBase(build(page, "brochure.txt"))
    found = ask(kb, "what time is the dance show at heron village", intent="out_of_scope")
    assert "10:30" in str(found.values)


def test_a_sight_s_bus_and_its_distance_from_the_town_are_read_as_a_thread_writes_them():
    page = (
        "What to see\n\nHeron Tulou Cluster (白鹭土楼群): THE reason to come. 52 km west of town, five earthen "
        "roundhouses. Ticket ¥90, open 8:00-17:30. Buses leave from the Tarrow Long-distance Bus Station "
        "(NOT the train station!) every 40 min from 7:00, ¥25, about 1.5 hours.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    assert "¥25" in said(kb, "how much is the bus to the heron tulou")
    assert "52 km" in said(kb, "how far is the heron tulou from tarrow")


def test_the_waterfall_is_the_one_falls_the_page_lists():
    page = (
        "What to see\n\nHeron Falls (白鹭瀑布): 28 km north, 76 m drop, ¥45, open 7:30-17:30. Best after the rains "
        "in May-June.\n\nReed Temple (芦苇寺): on the hill behind the old town, founded in 1086. Free.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    found = ask(kb, "how high is the waterfall", intent="out_of_scope")
    assert found.subject == "Heron Falls" and "76 m" in str(found.values)


def test_why_a_place_is_called_so_is_answered_with_where_its_name_comes_from():
    page = (
        "Tarrow\nTarrow (lit. 'grey ford') is a county in the west of the province. "
        "The county was set up in 742 and is named because of the alder trees that grow along the river. "
        "It was named a national forest county in 2015 (the first in the province). "
        "Heron Lake is 12 km north of the county seat.\n"
    )
    kb = KnowledgeBase(build(page, "portal.txt"))
    for text in ("why is it called tarrow", "where does the name come from"):
        reply = str(ask(kb, text, intent="ask_nickname").values)
        assert "alder trees" in reply or "grey ford" in reply, text
    assert "grey ford" in said(kb, "what does the name tarrow mean")


def test_how_often_a_bus_runs_is_answered_with_its_frequency():
    page = (
        "Getting there\nThe nearest station is Kell South, on the high-speed line. "
        "From Kell South to Tarrow the county bus leaves from the square outside the station every 30 minutes "
        "from 6:30 to 19:00. The ride is 45 minutes and costs ¥12. "
        "Avoid the October Golden Week (Oct 1–7), when the bus queue can be 3 hours.\n\n"
        "Just to add: there are no ATMs for foreign cards in the bus station, so get cash before you run "
        "for the bus to Tarrow.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    assert "every 30 minutes" in said(kb, "how often does the bus to tarrow run")
    # a date range of a month is no time of day
    assert "6:30 to 19:00" in said(kb, "what time does the bus run")


def test_a_time_of_something_a_sights_line_names_on_the_way():
    page = (
        "What to see\n"
        "1. Qinglong Street (青龙街) – the 800 m old street with wooden shophouses. Free, and the night market "
        "starts at 18:00.\n"
        "2. Heron Lake (鹭湖) – a reservoir with boats. Boats leave from the pier every hour from 8:30 to 16:00.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    assert "18:00" in said(kb, "when does the night market start")
    assert "8:30 to 16:00" in said(kb, "what time do the boats run")


def test_a_correction_of_a_price_is_not_the_answer_to_the_hours():
    page = (
        "Is Tarrow worth it?\n\nHeron Lake boat trip: boats leave every hour from 8:30 to 16:00; ticket ¥120.\n\n"
        "Great answer.\n\nUpdate for anyone reading this now: the lake boat went up to ¥150 in March 2024.\n"
    )
    kb = KnowledgeBase(build(page, "thread.txt"))
    assert "8:30 to 16:00" in said(kb, "what time do the lake boats run")
    assert "¥150" in said(kb, "how much is the lake boat")


def test_a_note_under_a_table_corrects_only_the_row_of_the_place_it_names():
    page = (
        "# Tarrow\n\nTarrow is a small town on the coast of Wend.\n\n"
        "## See\n| Name | Type | Ticket | Notes |\n|---|---|---|---|\n"
        "| Heron Mountain | Mountain | ¥60 | Cable car ¥140 return. Bus 9 |\n"
        "| Kell Islet | Island | Ferry ¥25 return | Ferry every 30 min |\n\n"
        "Note (June 2024): The Kell ferry is said to have gone up to ¥30 return this summer.\n"
    )
    kb = KnowledgeBase(build(page, "wiki.txt"))
    assert "Bus 9" in said(kb, "which bus goes to heron mountain")
    assert "¥30" in said(kb, "how much is the ferry to kell islet")


def test_a_list_of_what_is_nearby_gives_distances():
    page = (
        "About Tarrow\nTarrow is a small market town in Kell Prefecture, at the foot of Heron Mountain.\n\n"
        "Area info\nWhat's nearby\nHeron Bridge\t350 m\nOld Bell Tower\t0.8 km\n"
        "Closest airports\nKell Sanba Airport\t42 km\n"
    )
    kb = KnowledgeBase(build(page, "hotel.txt"))
    assert "42 km" in said(kb, "how far is the airport")


def test_the_county_a_town_is_part_of_is_the_sentence_that_names_it():
    page = (
        "Is Tarrow worth visiting?\n\nDidn't find anyone who spoke English apart from our host, so have a "
        "translation app ready.\n\nA friend mentioned Tarrow, a small town in Kell County with a gorge and a "
        "pagoda.\n\n"
        "How long? 2 days is enough for the town and the gorge. From Kell South the G-trains take 2 h 05 min, "
        "and there are about 9 trains a day.\n"
    )
    kb = KnowledgeBase(build(page, "answers.txt"))
    for intent in ("ask_location", "out_of_scope"):
        assert "Kell County" in str(ask(kb, "which county is tarrow part of", intent=intent).values), intent
    assert "2 days is enough" in said(kb, "how many days do i need in tarrow")


def test_a_word_said_in_a_compound_of_the_heading():
    page = (
        "Shopping\n\nYang Family Silversmith\n(杨氏银饰; 21 Gulou Rd; 9am-6pm)\nFive generations of the Yang family "
        "have worked here. You can watch them work for free; simple bracelets start at ¥280.\n\n"
        "LOCAL KNOWLEDGE\nTHE LONG-TABLE BANQUET\nMay Ling, guesthouse owner\n\n"
        "\"If you're in a group, book a banquet. Tables are set end to end along Hexi Rd. It costs ¥120 per "
        'person, minimum 10 people."\n'
    )
    kb = KnowledgeBase(build(page, "guidebook.txt"))
    assert "¥280" in said(kb, "how much are silver bracelets")
    assert "¥120" in said(kb, "how much is the long table banquet")


def test_a_sights_own_site_answers_for_the_sight():
    page = (
        "This website uses cookies to improve your experience. Accept | Settings\nTarrow Museum 塔罗博物馆\n"
        "Home > Visit > Plan your visit\n\nPlan your visit\nTarrow Museum stands on the south bank of the Wend "
        "in the old town of Tarrow.\n\nOpening hours\nSummer season (1 April – 31 October)\n"
        "Tuesday – Sunday: 9:00 – 17:30\nWinter season (1 November – 31 March)\nTuesday – Sunday: 9:30 – 16:30\n\n"
        "Getting here\nBy metro: Line 2 to Tarrow Station, then a 600 m walk east along Museum Road.\n\n"
        "Tarrow and around\nTarrow is an old market town. Nearby sights: Heron Temple, open 8:00–18:00.\n"
    )
    kb = KnowledgeBase(build(page, "museum.txt"))
    assert "9:30 – 16:30" in said(kb, "what time does the museum open in winter")
    assert "Line 2" in said(kb, "how do i get to the museum by metro")


def test_a_price_is_the_line_under_tickets_not_a_time_of_admission():
    page = (
        "Tarrow Museum\n\nPlan your visit\nTarrow Museum stands on the south bank of the Wend.\n\n"
        "Opening hours\nTuesday – Sunday: 9:00 – 17:30\nLast admission: 16:45\n\n"
        "Tickets\nAdmission to the permanent galleries:\nAdults: ¥50\nChildren under 1.2 m: free\n\n"
        "Facilities\nCloakroom (free) – ground floor\nFree WiFi: TarrowMuseum-Free\n"
    )
    kb = KnowledgeBase(build(page, "museum.txt"))
    assert "¥50" in said(kb, "how much does the museum cost")
    assert "16:45" in said(kb, "what is the last entry time at the museum")


def test_a_journey_is_answered_by_the_line_setting_out_from_the_place_asked():
    page = (
        "Getting there\n\nThe nearest station is Kell South (凯尔南站), on the high-speed line to Tarrow.\n\n"
        "Taxis wait outside.\n\n"
        "From Kell South to Tarrow: the county bus leaves from the square outside the station every 30 minutes. "
        "The ride is 45 minutes and costs ¥12.\n"
    )
    kb = KnowledgeBase(build(page, "answers.txt"))
    assert "county bus" in said(kb, "how do i get from kell south to tarrow")


def test_it_after_a_sentence_naming_a_sight_is_the_sight_though_it_names_others():
    page = (
        "What to see\n1. Old Salt Road (盐道) – a stone-paved path that salt porters used, 6.5 km from town to "
        "Heron Village.\n2. Qinglong Street (青龙街) – the 800 m old street.\n3. Heron Village (鹭村) – stilt houses.\n\n"
        "If you have one day, walk the Old Salt Road instead. It starts at Yanshi Gate, the stone gate at the east "
        "end of Qinglong Street, and follows the cliff for 6.5 km to Heron Village.\n"
    )
    kb = KnowledgeBase(build(page, "answers.txt"))
    assert "Yanshi Gate" in str(ask(kb, "where does the salt road start", intent="ask_location").values)


def test_a_train_named_by_its_number_answers_for_the_train_and_a_timetable_row_gives_its_times():
    page = (
        "Tarrow\n\nTarrow is a market town at the end of a single-track line from Brisk.\n\n"
        "The route: K81 Brisk -> Tarrow\n"
        "Station        km     Arrive    Depart\nBrisk           0      --       07:42\n"
        "Kell           46     08:31     08:35\nTarrow         98     09:40      --\n\n"
        "Return: K82 leaves Tarrow at 15:20 and arrives in Brisk at 18:06.\n"
    )
    kb = KnowledgeBase(build(page, "rail.txt"))
    assert "18:06" in said(kb, "when does the return train arrive in brisk")
    assert "08:35" in said(kb, "when does the train leave kell")


def test_the_citys_name_with_its_division_asks_nothing_more_of_its_size():
    page = "Tarrow\n\nTarrow is a county in the hills of Wend, far from the big cities.\n\nArea: 2,460 km²\n"
    kb = KnowledgeBase(build(page, "county.txt"))
    assert "2,460" in said(kb, "how big is tarrow county")


def test_a_yes_no_question_the_pages_faq_asks_is_answered_by_its_answer():
    page = (
        "Tarrow\n\nTarrow is a market town at the end of the line from Brisk. Brisk North is the high-speed station.\n\n"
        "FAQ\nQ: Is there a high-speed train to Tarrow?\n"
        "A: No. The nearest high-speed station is Kell West, 74 km away.\n\n"
        "Q: Can I buy the ticket at Brisk station on the day?\nA: Usually, except at holiday times.\n"
    )
    kb = KnowledgeBase(build(page, "rail.txt"))
    assert "Kell West" in said(kb, "is there a high speed train to tarrow")


def test_a_price_in_euros_is_a_price():
    page = (
        "Tarrow\n\nTarrow is a county of terraces in the south of Wend.\n\n"
        "Not included\n- Travel cancellation insurance (Reiseversicherung), offered from 79 EUR\n- Tips\n"
    )
    kb = KnowledgeBase(build(page, "brochure.txt"))
    assert "79 EUR" in said(kb, "how much is the travel cancellation insurance")


# A destination page's "top experiences", each titled by what to do at a sight.
TOP_EXPERIENCES = """Sallow

Why go
Sallow is a tea town in the hills of Wend province, known for its bamboo and its temple bells.

Top experiences in Sallow

1. Get lost in the Quill Bamboo Sea (羽竹海)
Around 12 sq km of moso bamboo surround Quill village, 15km west of town. Entry ¥45, and the ridge trail takes three hours.

2. Pick (and roast) tea at Fernhill Tea Estate (蕨山茶园)
In April the estate runs picking sessions (¥90 per person); book a day ahead.

3. Hear the bells at Heron Temple (鹭寺)
Founded in 938 and rebuilt in 1893, the temple rings its bells at dawn.
"""


def test_a_sight_titled_by_what_to_do_there_is_named_by_its_name_and_owns_its_entry():
    kb = KnowledgeBase(build(TOP_EXPERIENCES, "top.txt"))
    assert [a["name"] for a in kb.attractions] == ["Quill Bamboo Sea", "Fernhill Tea Estate", "Heron Temple"]
    assert "¥45" in said(kb, "how much is the bamboo sea")
    # the entry's title is the sight's: asked after it, "how much is it?" is about the estate
    title = "Pick (and roast) tea at Fernhill Tea Estate (蕨山茶园)"
    assert kb.owner_of(title)["name"] == "Fernhill Tea Estate"
    found = ask(kb, "how much is it", intent="ask_price", remembered_attraction="Fernhill Tea Estate")
    assert "¥90" in str(found.values)
    # the page's "top experiences" are its sights, counted
    assert ask(kb, "how many top experiences does it list", intent="out_of_scope").values["count"] == "three"


# A news site's festival programme: days as headings, each entry led by its time.
PROGRAMME = """Sallow Reed Festival opens Friday

SALLOW, May 2 - The Sallow Reed Festival returns to the town this month, organisers said.

Programme at a glance
Fri, May 17
19:30  Opening ceremony, Drum Square. Free, with an e-ticket from the festival app.
21:00  Lantern parade along the Mill Canal.

Sat, May 18
10:00  Reed weaving fair in the Old Granary Museum, 60 stalls.

Sun, May 19
20:00  Reed song concert at Heron Temple. Tickets ¥80.
"""


def test_a_programmes_entries_are_answered_with_their_day_time_and_place():
    kb = KnowledgeBase(build(PROGRAMME, "festival.txt"))
    # "opening" of a ceremony asks for no opening hours
    assert "Drum Square" in said(kb, "where is the opening ceremony")
    assert "21:00" in said(kb, "what time is the lantern parade")
    # the entry's day is its heading; a line of a sight's (the temple's) answers for the town
    concert = said(kb, "when is the concert")
    assert "Sun, May 19" in concert and "20:00" in concert


def test_a_notices_prices_in_yuan_and_its_concessions_are_answered_with_what_they_cost():
    kb = KnowledgeBase(build(BILINGUAL_NOTICE, "notice.txt"))
    # "80元" is a price, and the table's row keyed "Entrance ticket (景区门票)" is the page's own
    assert "80元" in said(kb, "how much is the entrance ticket")
    # a case under "Half price" is answered with that price
    students = str(ask(kb, "do students get half price", intent="ask_price").values)
    assert "Half price: full-time students with valid student ID" in students


def test_a_section_heading_inside_a_paragraph_ends_what_is_quoted_with_a_short_sentence():
    kb = KnowledgeBase(build(ENCYCLOPEDIA, "wend.txt"))
    ticket = said(kb, "how much is the pagoda ticket")
    assert "30 yuan" in ticket and "Reed Lake" not in ticket


# A page whose answer lies outside the kind of value its question is taken for.
PASSES = """Tarrow Old Town

Tarrow is a small river town on the Wend.

Tickets
The Old Town pass costs 60 yuan. It is valid for 48 hours and includes the river shuttle.
Taxis wait at the north gate; a ride to the station costs about 20 yuan.
"""


def test_a_sentence_that_plainly_says_what_was_asked_overrules_a_doesnt_say():
    kb = KnowledgeBase(build(PASSES, "passes.txt"))
    # taken for a price, answered by what the pass's sentence says of it
    assert "48 hours" in said(kb, "how long is the old town pass valid")
    # a word the page never says ("museum"), or a value of another kind, leaves it honest
    assert ask(kb, "how long is the museum pass valid", intent="out_of_scope").reply in DECLINES
    assert ask(kb, "how long is the river shuttle", intent="out_of_scope").reply in DECLINES
    # a kind of place the page never names has no price of the page's ("the taxi ... 20 yuan")
    assert ask(kb, "is the museum free", intent="out_of_scope").reply in DECLINES


def test_a_yes_or_no_about_a_price_is_settled_only_by_a_price():
    kb = KnowledgeBase(
        build(PASSES + "The city has added 40 shuttle buses for the festival.\n", "passes.txt")
    )
    # the buses' line says they run, not what they cost: the "doesn't say" stands
    assert ask(kb, "do the shuttle buses cost anything", intent="out_of_scope").reply in DECLINES


def test_who_found_a_sight_is_answered_by_whom_it_was_found_though_not_by_name():
    kb = KnowledgeBase(build(ENCYCLOPEDIA + "\nHeron Pagoda was found by a shepherd in 1602.\n", "wend.txt"))
    assert "shepherd" in said(kb, "who discovered heron pagoda")
    assert "1602" in said(kb, "when was heron pagoda discovered")


def test_a_date_opening_a_sentence_dates_it_and_a_word_in_a_compound_is_said():
    kb = KnowledgeBase(
        build(
            ENCYCLOPEDIA
            + "\nIn 2018, Wend County withdrew from the list of poverty-stricken counties of Pale.\n",
            "wend.txt",
        )
    )
    # (the sentence itself, as said_plainly finds it: "poverty" is written "poverty-stricken",
    # and the date opens the sentence, nine words before it)
    found = said_plainly(
        kb, read_question(kb, "when did the county get out of poverty", intent="out_of_scope")
    )
    assert found is not None and "2018" in found.values["sentence"]


# A prefecture's article as an encyclopedia pastes it: a climate table by month, and its
# counties with their figures.
TABLES = """Tarrow
Tarrow is a prefecture-level city of Wend Province.

Climate
Tarrow has a cold semi-arid climate.
Climate data for Tarrow (1991–2020 normals)
Month\tJan\tFeb\tMar\tApr\tMay\tJun\tJul\tAug\tSep\tOct\tNov\tDec\tYear
Record high °C\t11.2\t18.0\t27.4\t33.0\t35.1\t38.2\t39.9\t37.0\t34.1\t28.8\t21.0\t13.5\t39.9
Mean daily maximum °C\t−1.5\t3.1\t10.2\t18.0\t24.1\t28.5\t30.4\t28.0\t22.6\t16.0\t7.2\t0.3\t15.6
Mean daily minimum °C\t−14.8\t−10.3\t−3.5\t3.2\t9.4\t14.5\t17.6\t16.1\t10.2\t3.1\t−4.9\t−12.2\t2.6
Record low °C\t−30.1\t−27.9\t−21.0\t−11.5\t−3.8\t2.9\t9.0\t5.8\t−3.0\t−11.9\t−23.0\t−28.5\t−30.1
Average precipitation mm\t2.5\t4.1\t9.8\t18.7\t30.2\t47.5\t96.1\t88.4\t50.3\t21.9\t7.7\t2.8\t380.0

Administrative divisions
Name\tPopulation (2020)\tArea (km2)
Reed District\t190,411\t1,030
Kiln County\t72,905\t3,310
Brisk County\t39,204\t2,015
Salt County\t110,367\t1,688

Geography
The largest lake is Heron Lake, which covers 12 km2.
"""


@pytest.fixture(scope="module")
def tables():
    return KnowledgeBase(build(TABLES, "tables.txt"))


def reply(kb, text):
    """The reply's words as a visitor reads them (its name and values)."""
    found = ask(kb, text, intent="out_of_scope")
    return f"{found.reply} {found.values}"


def test_a_month_of_the_climate_table_is_read_from_its_column(tables):
    assert "88.4" in reply(tables, "how much does it rain in august?")
    weather = reply(tables, "what's the weather like in July?")
    assert "30.4" in weather and "17.6" in weather and "96.1" in weather and "39.9" not in weather
    assert "−14.8" in reply(tables, "how cold does it get at night in january")


def test_the_month_of_the_most_or_least_and_the_record_only_when_asked_ever(tables):
    assert "'July'" in reply(tables, "which month gets the most rain?")
    assert "'January'" in reply(tables, "what's the driest month")
    hottest = reply(tables, "hottest month?")
    assert "'July'" in hottest and "30.4" in hottest
    assert "−30.1" in reply(tables, "what's the coldest it has ever been?")


def test_the_row_of_the_most_or_least_is_of_the_kind_of_place_asked(tables):
    assert "Reed District" in reply(tables, "which district or county has the most people?")
    assert "Salt County" in reply(tables, "which county has the most people?")
    assert "Brisk County" in reply(tables, "which county has the smallest population")
    assert "Kiln County" in reply(tables, "biggest county by area?")


def test_a_superlative_the_table_does_not_compare_is_no_row_of_it(tables):
    assert "Heron Lake" in reply(tables, "what's the biggest lake?")
    assert "table" not in reply(tables, "which town has the most people?")


def test_the_places_of_a_kind_are_the_table_s_rows_of_that_kind(tables):
    counties = reply(tables, "what counties does Tarrow have?")
    assert "Kiln County" in counties and "Brisk County" in counties and "Salt County" in counties
    assert "Reed District" not in counties
    assert "table" not in reply(tables, "what do they speak in the southern counties?")


def test_an_infobox_s_extreme_answers_only_a_question_of_the_extreme():
    infobox = (
        "Tarrow\nTarrow is a town of Wend.\n\nHighest elevation\t2,218 m\nLowest elevation\t587 m\n"
        "Elevation\t1,162 m\nPostal code\t718600\n"
    )
    kb = KnowledgeBase(build(infobox, "infobox.txt"))
    assert "1,162 m" in said(kb, "what's the altitude of Tarrow?")
    assert "2,218 m" in said(kb, "what's the highest elevation?")


def test_a_number_asked_of_a_topic_is_that_number_not_any_line_of_the_topic():
    page = (
        "Tarrow is a town of Wend province.\n\nWhere to stay\n"
        "Check-in at the Kiln Hostel is from 14:00, and check-out is until 12:00. "
        "The Kiln Hostel is 0.8 km from the Bell Tower. Dorm beds at the hostel cost 60 yuan.\n"
    )
    kb = KnowledgeBase(build(page, "hostel.txt"))
    assert ask(kb, "What's the hostel's phone number?", intent="out_of_scope").reply in DECLINES
    assert "0.8 km" in said(kb, "how far is the hostel from the bell tower?")


def test_that_month_is_the_month_the_previous_question_asked(tables):
    found = ask(tables, "how much rain falls that month?", intent="out_of_scope", previous="and in january?")
    assert "2.5" in str(found.values) and "96.1" not in str(found.values)
