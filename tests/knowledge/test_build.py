"""The builder reads facts from the text: the real document and a fictional one."""

import ast
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from knowledge.build import build

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

FICTIONAL = """Marlow of Tessaly province lies in the northern part of the Amber Valley, neighboring Oskar on the west. It boasts rich copper ore and is honored as the Copper Crown of Tessaly as it's the oldest copper smelting base and a trading center of rare earth metals.

Marlow city has an area of 1,204 km2, and had a population of 87,650 at the end of 2021. It is one of the first national demonstration cities for clean water. In 2018, Marlow city was named a National Forest City by the Tessaly Bureau of Forestry. In 2020, it was selected as a National Tidy Town by the Office of Civic Order, the first selected in Tessaly Province. The City of Bells, “Bright Marlow” is its new urban business card.

Vantor ancient city, located in Reed county of Marlow city, blends the styles of old Persia and the Bronze Age. A legend about lost sailors who settled in Vantor still draws many visitors.

Marlow city is a new tourism destination due to its famous attractions, such as the misty Vantor scenic spot, Glass Lake, the deepest crater lake in Tessaly, Oru Pagoda -- the tallest wooden pagoda on Kell Mountain -- and the Marlow Copper Museum where smelting tools are shown.
"""


def entries(value: Any) -> Iterator[Dict[str, Any]]:
    """Every dict in a nested structure."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from entries(item)
    elif isinstance(value, list):
        for item in value:
            yield from entries(item)


def test_city_profile_of_the_real_document(kb_data):
    city = kb_data["city"]
    assert city["name"] == "Jinchang"
    assert city["province"]["value"] == "Gansu"
    assert city["region"]["text"] == "the eastern part of the Hexi Corridor"
    assert city["neighbours"][0]["name"] == "Wuwei" and city["neighbours"][0]["direction"] == "east"
    assert (city["area"]["value"], city["area"]["unit"]) == (9593, "km²")
    assert (city["population"]["value"], city["population"]["year"]) == (458200, 2019)
    assert city["nickname"]["value"] == "Nickel Capital of China"
    assert "platinum group metals" in city["nickname"]["reason"]
    assert city["slogan"]["value"] == "Romantic Jinchang"
    assert city["slogan"]["tagline"] == "The City of Zijin Flowers"


def test_honours_carry_year_title_and_awarding_body(kb_data):
    honours = {h["year"]: h for h in kb_data["city"]["honours"]}
    assert sorted(honours) == [2013, 2014, 2015]
    assert honours[2014]["title"] == "National Garden City"
    assert honours[2014]["body"] == "National Ministry of Housing and Urban-Rural Development"
    assert honours[2015]["body"] == "Ministry of Central Civilization"
    assert honours[2015]["note"] == "the first selected in Gansu Province"
    assert honours[2013]["body"] == "Chinese Academy of Social Sciences"
    assert "circular economy" in kb_data["city"]["designations"][0]["title"]


def test_every_attraction_in_document_order(kb_data):
    names = [a["name"] for a in kb_data["attractions"]]
    assert names == [
        "Liqian ancient city",
        "Shengrong Temple",
        "Jinshui Lake",
        "Badan Jaran Desert",
        "Zijin Flower City Ecological Scenic Spot",
        "Qilian Leopard Head Provincial Forest Park",
        "Jinchuan Science and Technology Museum",
        "Yongchang Protection Memorial",
    ]


def test_attraction_details(kb_data):
    by_name = {a["name"]: a for a in kb_data["attractions"]}
    liqian = by_name["Liqian ancient city"]
    assert "Liqian scenic spot" in liqian["aliases"]
    assert liqian["location"]["text"] == "in Yongchang county of Jinchang city"
    assert any("Roman soldiers" in h["text"] for h in liqian["history"])
    assert "architectural style of ancient Rome" in liqian["summary"]
    assert by_name["Shengrong Temple"]["location"]["text"] == "on Wudang Mountain"
    assert "the lake" in by_name["Jinshui Lake"]["aliases"]
    assert "reservoir" in by_name["Jinshui Lake"]["summary"]
    assert "Qomolangma" in by_name["Badan Jaran Desert"]["summary"]
    assert "Red Army" in by_name["Yongchang Protection Memorial"]["summary"]
    # "Yongchang" is also a county: it must not become a name of the memorial.
    assert "Yongchang" not in by_name["Yongchang Protection Memorial"]["aliases"]


def test_every_source_sentence_occurs_in_the_document(kb_data, document):
    flat = " ".join(document.split())
    sources = [e["source"] for e in entries(kb_data) if "source" in e]
    assert len(sources) > 20
    for source in sources:
        assert source in flat


def test_a_fictional_city_is_read_from_its_own_text():
    kb = build(FICTIONAL, "marlow.txt")
    city = kb["city"]
    assert city["name"] == "Marlow"
    assert city["province"]["value"] == "Tessaly"
    assert city["region"]["value"] == "Amber Valley"
    assert city["neighbours"] == [
        {"name": "Oskar", "direction": "west", "source": city["neighbours"][0]["source"]}
    ]
    assert (city["area"]["value"], city["area"]["unit"]) == (1204, "km²")
    assert (city["population"]["value"], city["population"]["year"]) == (87650, 2021)
    assert city["nickname"]["value"] == "Copper Crown of Tessaly"
    assert city["slogan"]["value"] == "Bright Marlow"
    assert [(h["year"], h["title"], h["body"]) for h in city["honours"]] == [
        (2018, "National Forest City", "Tessaly Bureau of Forestry"),
        (2020, "National Tidy Town", "Office of Civic Order"),
    ]
    attractions = {a["name"]: a for a in kb["attractions"]}
    assert list(attractions) == ["Vantor ancient city", "Glass Lake", "Oru Pagoda", "Marlow Copper Museum"]
    assert attractions["Vantor ancient city"]["location"]["text"] == "in Reed county of Marlow city"
    assert "sailors" in attractions["Vantor ancient city"]["history"][0]["text"]
    assert attractions["Glass Lake"]["summary"] == "Glass Lake is the deepest crater lake in Tessaly."
    assert attractions["Oru Pagoda"]["location"]["text"] == "on Kell Mountain"
    assert "smelting tools" in attractions["Marlow Copper Museum"]["summary"]
    flat = " ".join(FICTIONAL.split())
    assert all(e["source"] in flat for e in entries(kb) if "source" in e)


ENCYCLOPEDIA_PAGE = """We use cookies to improve your experience.
Accept all

Tarrow, market town in Wendshire, England. It lies in the northern part of the Wend (Upper) Vale. The town is bordered by Kelso to the east, by Amwell to the south-west, and by the Forest of the High Moors to the north. The town was named a Tidy Town in 2011 and a Garden Town in 2016.

Culture and tourism
North of the market, the Wool Hall Museum keeps the looms of the old mills, and Heron Lake, a flooded gravel pit, has boats for hire. The Amber Hill country park and a Norman drum tower are nearby.
"""


def test_an_encyclopedia_page_names_its_town_neighbours_honours_and_the_sights_in_its_prose():
    city = build(ENCYCLOPEDIA_PAGE, "tarrow.txt")["city"]
    assert city["name"] == "Tarrow"  # not "We" of the cookie banner
    assert city["region"]["text"] == "the northern part of the Wend (Upper) Vale"
    assert [(n["name"], n["direction"]) for n in city["neighbours"]] == [
        ("Kelso", "east"),
        ("Amwell", "southwest"),
        ("Forest of the High Moors", "north"),
    ]
    assert [(h["title"], h["year"]) for h in city["honours"]] == [("Tidy Town", 2011), ("Garden Town", 2016)]
    sights = {a["name"]: a for a in build(ENCYCLOPEDIA_PAGE, "tarrow.txt")["attractions"]}
    # a sight is a name ending in its kind; "a Norman drum tower" names none
    assert list(sights) == ["Wool Hall Museum", "Heron Lake", "Amber Hill country park"]
    assert sights["Heron Lake"]["descriptions"] == ["a flooded gravel pit"]


def test_a_facts_line_of_neighbours_names_each_with_its_direction():
    page = "Tarrow travel guide\n\nTarrow is a town.\nProvince: Wendshire\nNeighbours: Kelso (east), Amwell province (north-west)\n"
    city = build(page, "tarrow.txt")["city"]
    assert [(n["name"], n["direction"]) for n in city["neighbours"]] == [
        ("Kelso", "east"),
        ("Amwell", "northwest"),
    ]


def test_empty_document_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        build("   \n", "blank.txt")


def literals(path: Path) -> List[str]:
    """The string and number literals of a module's code, without docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and ast.get_docstring(node) is not None
    }
    return [
        str(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, (str, int, float))
        and id(node) not in docstrings
    ]


def test_the_builder_and_the_answers_hold_no_fact_of_any_document():
    """Every value comes from the text: no name or figure of a document is in the code."""
    code = " ".join(
        text
        for name in ("extract.py", "build.py", "answer.py", "language.py")
        for text in literals(KNOWLEDGE / name)
    )
    for document in [
        KNOWLEDGE / "jinchang.txt",
        *sorted((Path(__file__).parent / "documents").glob("*.txt")),
    ]:
        text = document.read_text(encoding="utf-8")
        names = set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)) - GENERAL_WORDS
        figures = {f.replace(",", "") for f in re.findall(r"\b\d[\d,]{2,}\b", text)} - GENERAL_FIGURES
        for value in names | figures:
            assert not re.search(rf"\b{re.escape(value)}\b", code), (
                f"{document.name}: {value!r} is in the code"
            )


# Capitalised words of the documents that are general English, allowed in the code's rules.
# Round figures the code holds for its own reasons (the message limit of 1,000 characters).
GENERAL_FIGURES = {"1000"}
GENERAL_WORDS = set(
    "The This Its City National Museum Temple Lake Park Mountain Church Pagoda Desert Street Province Ministry "
    "Attractions Admission Buses Visitors Legend With Known Trains Tickets What Where When Location Opening "
    "Hours Best Time Visit Getting Good Know Facts Population Area History Climate Geography Food Tourism "
    "Transportation Economy Culture Demographics Sights Chinese Since According These Those There Here While Most"
    " Many Some Contents Home Share Print Close Copyright They Inside Today Near Census Match After Before Because Although Though Unless Once Destination Place Town County Outside Sept Beyond".split()
)


PORTAL = """Home > About > City Profile
Release time: 2024-03-15  Source: Tarrow Bureau of Statistics

Overview
Tarrow City is located in the north of Wend Province, on the Pale River. The total area of the city is 640 square kilometers,of which farmland accounts for 60%. In 2023 Tarrow was awarded the titles of National Forest City and Provincial Clean City. In 2023, the city received 2.1 million tourists.
"""

FEATURE = """Rain and bridges: slow days in Tarrow
By A. Writer

Tarrow (塔罗), a city of about 1.6 million people in the south-east of Wend province, is not on many itineraries. The next day I took the bus to Kelso Miao Village (凯索苗寨) in Reed County. Kelso has done well from tourism: the ticket is 100 yuan. Buses to Kelso leave every hour.
"""


def test_a_government_portals_profile_gives_its_province_area_and_titles():
    city = build(PORTAL, "portal.txt")["city"]
    assert (city["province"]["value"], city["region"]["text"]) == ("Wend", "the north")
    assert city["area"]["text"] == "640"
    assert [h["title"] for h in city["honours"]] == ["National Forest City", "Provincial Clean City"]


def test_a_feature_article_names_its_sights_with_their_chinese_names():
    kb = build(FEATURE, "feature.txt")
    assert kb["city"]["population"]["text"] == "about 1.6 million"
    assert kb["city"]["province"]["value"] == "Wend"
    (village,) = kb["attractions"]
    assert village["name"] == "Kelso Miao Village" and "Kelso" in village["aliases"]
    assert any("100 yuan" in f["text"] for f in village["facts"])  # "Kelso has done well ..."


def test_places_around_the_city_at_a_distance_are_its_neighbours():
    text = "Tarrow is a market town on the river Wend. Brisk is about 40 km to the east and Kelso 90 km to the west."
    neighbours = build(text, "around.txt")["city"]["neighbours"]
    assert [(n["name"], n["direction"]) for n in neighbours] == [("Brisk", "east"), ("Kelso", "west")]


def test_an_abbreviations_full_stop_ends_no_sentence():
    page = "Tarrow\n\nThe Pie House is opposite No. 2 Middle School on Mill Rd. and opens at noon. It is small.\n"
    assert build(page, "tarrow.txt")["sentences"][-2:] == [
        "The Pie House is opposite No. 2 Middle School on Mill Rd. and opens at noon.",
        "It is small.",
    ]


def test_an_encyclopedias_reference_marks_end_no_sentence_and_its_nickname_keeps_its_reason():
    page = (
        'Tarrow\n\nTarrow grew up around a glass works and is known as the "Glass Town of Wend"; the '
        "Tarrow Glass Company is the province's largest glassmaker.[3] Reed County contains the site "
        "of the old county of Kelby.[4]\n"
    )
    kb = build(page, "tarrow.txt")
    assert kb["sentences"][-1] == "Reed County contains the site of the old county of Kelby."
    nickname = kb["city"]["nickname"]
    assert nickname["value"] == "Glass Town of Wend" and "largest glassmaker" in nickname["reason"]
    assert nickname["clause"]  # said as a clause: "known as the Glass Town of Wend: the ... is ..."


def test_a_name_said_in_lower_case_all_through_a_transcript_names_the_town():
    from tests.knowledge.test_read import VIDEO

    page = VIDEO.replace(
        "Three Days in Tarrow!! 🇨🇳 the town nobody visits", "I Found China's Quietest Town?! Tarrow, Wend"
    )
    assert build(page, "video.txt")["city"]["name"] == "Tarrow"  # not "China's" of the title


CENSUS_PORTAL = """Welcome to the Tarrow City People's Government Portal Website!
Current position: Home > Walk into Tarrow > Tarrow Overview

Overview of Tarrow
Tarrow City is located in the north of Wend Province.

Population
According to the data of the Seventh National Population Census, as of 0:00 on November 1, 2020, the permanent resident population of the whole city was 563,217 persons. At the end of 2023, the urbanization rate of permanent resident population reached 59.82%.

Tourism Resources
4A-level scenic spots include Heron Pagoda, Reed Temple and Amber Grassland.
Heron Pagoda: built in 1062, octagonal with five storeys, the height is 61.2 meters.
Reed Temple: a Ming temple on the river.
"""


def test_a_portal_s_census_is_the_population_and_a_sight_keyed_and_listed_is_one_sight():
    kb = build(CENSUS_PORTAL, "portal.txt")
    assert kb["city"]["population"]["value"] == 563217  # not the 59.82% of the urbanization rate
    names = [a["name"] for a in kb["attractions"]]
    assert names.count("Heron Pagoda") == 1 and names.count("Reed Temple") == 1
    pagoda = next(a for a in kb["attractions"] if a["name"] == "Heron Pagoda")
    assert any("1062" in f["text"] for f in pagoda["facts"])


THREAD = (
    "Skip to main content\nreddit\nSearch in r/travelchina\nGet App\nLog In\nOpen menu\n\n"
    "Open in app\n\nr/travelchina icon\nGo to travelchina\nr/travelchina\n•\n2 yr. ago\nbackpack_ottilie\n\n"
    "Is Tarrow (Wend) worth 2-3 days? How to get there from Kelso, what to see, where to stay?\nQuestion\n\n"
    "Hi all! I'm doing Wend for 10 days, starting in Kelso. A friend told me I have to go to Tarrow "
    "for the old town.\n\nTarrow is lovely. The Tarrow Museum is free with your passport. "
    "Take the train to Tarrow West and bus K1 from there.\n"
)


def test_a_forum_thread_is_about_the_town_it_asks_about_not_the_site_s_menu():
    assert build(THREAD, "thread.txt")["city"]["name"] == "Tarrow"


SIGHTS_TABLE = """# Tarrow

## See
| Name | Type | Ticket | Hours | Notes |
|---|---|---|---|---|
| Heron Fort | Qing-dynasty fort | ¥30 | 8:00–17:30 | Built 1842 |
| Tarrow Museum | Museum | Free | 9:00–17:00, closed Mon | Boats on the 2nd floor |
| Kell Islet (凯屿) | Island, beaches | Ferry ¥25 return | 7:30–17:00 | Island itself free |

* **Note (June 2024):** The Kell ferry is said to have gone up to ¥30 return.
"""


def test_a_tables_rows_name_its_sights_and_a_column_or_a_note_is_none():
    names = [a["name"] for a in build(SIGHTS_TABLE, "wiki.txt")["attractions"]]
    assert sorted(names) == ["Heron Fort", "Kell Islet", "Tarrow Museum"]


TOUR_PAGE = """KELL REISEN GmbH - Wanderreisen
Hauptstrasse 4, Kell | Tel. +49 761 000 | info@kell-reisen.de

TARROW - TERRACES AND OLD TOWN
Tour number: CN-T-10 | 10 days | hiking

Far from the big tourist streams, the county Tarrow in the south of Wend is a secret tip.

FACTS BOX
Destination:        Tarrow County (塔罗县), Wend Province
Inhabitants:        approx. 241,000 (county)
Surface:            2,460 km²

Day 3: By train to Tarrow
Lunch in the old town of Tarrow, then a walk to the Heron Gate. Kell Reisen books the hotel.

INCLUDED SERVICES
- Train tickets Brisk - Tarrow - Brisk, 2nd class
- All transfers in a private bus
- Entrance fees (Heron Gate, Tarrow Museum)
"""


def test_a_tour_operators_page_is_about_the_destination_its_facts_box_names():
    kb = build(TOUR_PAGE, "tour.txt")
    city = kb["city"]
    assert city["name"] == "Tarrow"  # not the operator over the page, named as often
    assert (city["population"]["text"], city["area"]["text"]) == ("about 241,000", "2,460")
    # a tour's list of what it includes names no sight, and owns none of the lines after it
    assert "Train tickets Brisk" not in [a["name"] for a in kb["attractions"]]
    assert not [owner for owner in kb["owners"] if owner.startswith("Train")]
